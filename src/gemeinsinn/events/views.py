"""Public pages of events: the list (upcoming and past, by district), one event with its
accessibility information, the registration form, its e-mail links (confirm, cancel) and
the calendar file. Everything works without JavaScript and without an account."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area
from gemeinsinn.core.clients import client_address
from gemeinsinn.events import ical, services
from gemeinsinn.events.forms import FilterForm, RegistrationForm
from gemeinsinn.events.models import Event


def event_list(request):
    form = FilterForm(request.GET or None)
    events = services.public_events()
    area = None
    if form.is_valid() and form.cleaned_data["gebiet"]:
        area = Area.objects.filter(pk=form.cleaned_data["gebiet"]).first()
        if area is not None:
            events = services.for_area(events, area)
    now = timezone.now()
    return render(
        request,
        "events/list.html",
        {
            "form": form,
            "area": area,
            "upcoming": list(services.upcoming(events, now)),
            "past": list(services.past(events, now)[:30]),
        },
    )


def _visible_event(request, pk) -> Event:
    event = get_object_or_404(Event.objects.select_related("area"), pk=pk)
    if not event.is_public and not services.may_manage(request.user):
        raise Http404
    return event


def detail(request, pk, form=None, status=200):
    event = _visible_event(request, pk)
    now = timezone.now()
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "seats": services.seats(event),
            "problem": services.registration_problem(event, now),
            "is_past": event.ends_at < now,
            "form": form or RegistrationForm(event=event),
            "results": list(event.ideas.filter(is_hidden=False).select_related("area")),
            "may_manage": services.may_manage(request.user),
            "erase_days": services.ERASE_AFTER.days,
        },
        status=status,
    )


def register(request, pk):
    event = _visible_event(request, pk)
    if request.method != "POST":
        return redirect("events:detail", pk=pk)
    form = RegistrationForm(request.POST, event=event)
    form.is_valid()
    if request.POST.get("website"):
        form.add_error(None, _("Die Anmeldung konnte nicht angenommen werden."))
        return detail(request, pk, form=form, status=400)
    given = services.RegistrationInput(
        name=request.POST.get("name", ""),
        email=request.POST.get("email", ""),
        organisation=request.POST.get("organisation", ""),
        sector=request.POST.get("sector", ""),
        needs=request.POST.get("needs", ""),
        consent=request.POST.get("consent") == "on",
    )
    try:
        registration = services.register(
            event,
            given,
            client=client_address(request),
            base_url=request.build_absolute_uri("/"),
        )
    except services.EventError as error:
        form.errors.clear()
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return detail(request, pk, form=form, status=400)
    if services.seats(event).free:
        text = _(
            "Fast geschafft: Wir haben Ihnen eine E-Mail an %(email)s geschickt. Bitte bestätigen "
            "Sie Ihre Anmeldung mit dem Link darin; erst dann ist Ihr Platz reserviert."
        )
    else:
        text = _(
            "Die Veranstaltung ist ausgebucht. Wir haben Ihnen eine E-Mail an %(email)s "
            "geschickt: Wenn Sie Ihre Anmeldung mit dem Link darin bestätigen, kommen Sie auf "
            "die Warteliste und rücken nach, sobald ein Platz frei wird."
        )
    messages.success(request, text % {"email": registration.email})
    return redirect("events:detail", pk=pk)


def confirm(request, token):
    try:
        registration = services.confirm(token)
    except services.EventError as error:
        return render(request, "events/link.html", {"error": error.message}, status=400)
    return render(request, "events/link.html", {"registration": registration, "action": "confirm"})


def cancel(request, token):
    """The link from the e-mail shows a button; only the button cancels (mail programs open
    links to check them)."""
    try:
        registration = services.by_token(token)
        if request.method == "POST":
            registration = services.cancel(token, base_url=request.build_absolute_uri("/"))
            return render(
                request, "events/link.html", {"registration": registration, "action": "cancelled"}
            )
    except services.EventError as error:
        return render(request, "events/link.html", {"error": error.message}, status=400)
    return render(request, "events/link.html", {"registration": registration, "action": "cancel"})


def calendar_file(request, pk):
    event = _visible_event(request, pk)
    location = ", ".join(part for part in (event.place_name, event.place_address) if part)
    text = ical.calendar(
        uid=f"veranstaltung-{event.pk}@{request.get_host()}",
        title=event.title,
        starts=event.starts_at,
        ends=event.ends_at,
        location=location,
        description=event.description,
        url=request.build_absolute_uri(reverse("events:detail", args=[event.pk])),
        stamp=event.created_at,
        geo=(event.lat, event.long) if event.lat is not None else None,
    )
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="veranstaltung-{event.pk}.ics"'
    return response
