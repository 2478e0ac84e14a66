"""Staff pages of events for the planning office and departments: the list with drafts,
create and edit, the attendee list with counts by sector and its CSV/XLSX download, and
recording workshop results as ideas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gemeinsinn.events import services
from gemeinsinn.events.forms import EventForm, ResultForm
from gemeinsinn.events.models import Event
from gemeinsinn.ideas.services import IdeaInput
from gemeinsinn.monitoring.downloads import table_response


def _require(user) -> None:
    if not services.may_manage(user):
        raise PermissionDenied(
            _("Diese Seite ist der Sozialplanung und den Fachämtern vorbehalten.")
        )


@login_required
def event_list(request):
    _require(request.user)
    events = Event.objects.select_related("area").order_by("-starts_at", "-id")
    return render(
        request,
        "events/staff/list.html",
        {"rows": [(event, services.seats(event)) for event in events]},
    )


@login_required
def edit(request, pk=None):
    _require(request.user)
    event = get_object_or_404(Event, pk=pk) if pk else None
    form = EventForm(request.POST or None, instance=event)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_event(
                    request.user, form.save(commit=False), base_url=request.build_absolute_uri("/")
                )
            except services.EventError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Die Veranstaltung ist gespeichert."))
                return redirect("events:attendees", pk=saved.pk)
        status = 400
    return render(request, "events/staff/form.html", {"form": form, "event": event}, status=status)


@login_required
def attendees(request, pk):
    _require(request.user)
    event = get_object_or_404(Event.objects.select_related("area"), pk=pk)
    return render(
        request,
        "events/staff/attendees.html",
        {
            "event": event,
            "seats": services.seats(event),
            "attendees": services.attendees(event),
            "sectors": services.sector_counts(event),
        },
    )


@login_required
def export(request, pk, fmt):
    _require(request.user)
    event = get_object_or_404(Event, pk=pk)
    header, rows = services.attendee_table(event)
    return table_response(f"teilnehmende_veranstaltung_{event.pk}", header, rows, fmt)


@login_required
def results(request, pk):
    _require(request.user)
    event = get_object_or_404(Event.objects.select_related("area"), pk=pk)
    form = ResultForm(request.POST or None, event=event)
    status = 200
    if request.method == "POST":
        form.is_valid()
        given = IdeaInput(
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
            category=request.POST.get("category", ""),
            area=request.POST.get("area", ""),
            lat=request.POST.get("lat", ""),
            long=request.POST.get("long", ""),
        )
        try:
            idea = services.record_result(event, request.user, given)
        except services.EventError as error:
            form.errors.clear()
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 400
        else:
            messages.success(
                request,
                _("Das Ergebnis „%(title)s“ steht jetzt bei den Ideen.") % {"title": idea.title},
            )
            return redirect("events:results", pk=event.pk)
    return render(
        request,
        "events/staff/results.html",
        {"event": event, "form": form, "results": list(event.ideas.select_related("area"))},
        status=status,
    )
