"""Public pages of the Mängelmelder: report a problem in two steps (what and where, then
details with nearby open reports shown first), every report's page with its history, the
filterable list and map, the Atom feed, the statistics. All work without JavaScript."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area
from gemeinsinn.core.clients import client_address
from gemeinsinn.servicerequests import alerts, conf, maps, services, statistics
from gemeinsinn.servicerequests.forms import AlertForm, DetailsForm, ListFilterForm, PlaceForm
from gemeinsinn.servicerequests.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    STATUSES,
    Category,
    Photo,
    ServiceRequest,
)

PAGE_SIZE = 50
MAP_POINTS = 2000


def _finest_areas() -> list[Area]:
    level = area_services.finest_level()
    return list(Area.objects.filter(level=level).order_by("key")) if level else []


# --- reporting -------------------------------------------------------------------------------


def report_start(request):
    """Step 1: category and place (map, address or coordinates)."""
    initial = {"kategorie": request.GET.get("kategorie", "")}
    form = PlaceForm(initial=initial)
    return _render_place(request, form)


def _render_place(request, form, status=200):
    level = area_services.finest_level()
    return render(
        request,
        "servicerequests/report_place.html",
        {"form": form, "level": level, "step": 1},
        status=status,
    )


def _place_from(params) -> tuple[PlaceForm, Category | None, dict | None]:
    """The first step's answers, checked: (form with errors, category, place)."""
    form = PlaceForm(params)
    form.is_valid()
    category = Category.objects.filter(code=params.get("kategorie", ""), is_active=True).first()
    if category is None:
        form.add_error("kategorie", _("Bitte wählen Sie aus, was Sie melden möchten."))
    place = None
    try:
        place = services.check_place(
            params.get("lat", ""), params.get("long", ""), params.get("adresse", "")
        )
    except services.SubmissionError as error:
        for problem in error.problems:
            name = {"lat": "lat", "long": "long", "address_string": "adresse"}.get(problem.field)
            if problem.field == "location":
                form.add_error(
                    "adresse",
                    _(
                        "Bitte geben Sie den Ort an: tippen Sie in die Karte, schreiben Sie "
                        "eine Adresse oder die Koordinaten."
                    ),
                )
            else:
                form.add_error(name, problem.message)
    return form, category, place


def report_details(request):
    """Step 2: open reports nearby first, then the category's questions, description,
    photos and e-mail. The place and category travel in the query string."""
    form, category, place = _place_from(request.GET)
    if category is None or place is None:
        return _render_place(request, form)
    nearby = []
    if place["lat"] is not None:
        nearby = services.nearby_open_requests(category, place["lat"], place["long"])
    details = DetailsForm(request.POST or None, request.FILES or None, category=category)
    status = 200
    if request.method == "POST":
        if request.POST.get("website"):
            details.is_valid()
            details.errors.clear()
            details.add_error(None, _("Die Meldung konnte nicht angenommen werden."))
            status = 400
        else:
            submission = services.Submission(
                service_code=category.code,
                lat=request.GET.get("lat", ""),
                long=request.GET.get("long", ""),
                address_string=request.GET.get("adresse", ""),
                attributes={
                    attribute.code: request.POST.getlist(name)
                    for attribute, name in details.questions
                },
                description=request.POST.get("beschreibung", ""),
                email=request.POST.get("email", ""),
                photos=[request.FILES.get(f"foto{i}") for i in (1, 2, 3)],
            )
            rate = services.RateLimit(
                services.client_bucket("report-web", client_address(request)),
                conf.web_limit_per_hour(),
                3600,
            )
            try:
                report = services.submit_request(
                    submission, source="web", rate=rate, base_url=request.build_absolute_uri("/")
                )
            except services.SubmissionError as error:
                details.is_valid()
                details.errors.clear()
                for problem in error.problems:
                    details.add_error(details.field_for(problem.field), problem.message)
                status = 429 if error.status == 429 else 400
            else:
                messages.success(
                    request,
                    _(
                        "Danke! Ihre Meldung ist eingegangen und hat die Nummer %(id)s. Auf "
                        "dieser Seite sehen Sie, wie es weitergeht."
                    )
                    % {"id": report.pk},
                )
                return redirect("servicerequests:detail", pk=report.pk)
    return render(
        request,
        "servicerequests/report_details.html",
        {
            "category": category,
            "place": place,
            "nearby": nearby,
            "form": details,
            "back": reverse("servicerequests:report")
            + "?"
            + urlencode({"kategorie": category.code}),
            "step": 2,
        },
        status=status,
    )


# --- one report ------------------------------------------------------------------------------


def _answers(report: ServiceRequest) -> list[tuple[str, str]]:
    shown = []
    for attribute in report.category.attributes.all():
        if attribute.code not in report.attributes:
            continue
        value = report.attributes[attribute.code]
        names = {v.key: v.display_name for v in attribute.values.all()}
        if isinstance(value, list):
            text = ", ".join(names.get(v, v) for v in value)
        elif isinstance(value, float):
            text = f"{value:g}".replace(".", ",")
        else:
            text = names.get(value, str(value))
        shown.append((attribute.display_description, text))
    return shown


def detail(request, pk):
    report = get_object_or_404(
        ServiceRequest.objects.select_related("category__department", "area", "duplicate_of"),
        pk=pk,
    )
    history = services.public_history(report)
    location_map = ""
    if report.has_location and report.area_id:
        location_map = maps.report_map(
            _finest_areas(),
            [(report.lat, report.long, report.is_open)],
            label=_("Lage der Meldung in %(area)s") % {"area": report.area.name},
            highlight=report.area_id,
            radius=7,
        )
    return render(
        request,
        "servicerequests/detail.html",
        {
            "report": report,
            "history": history,
            "answers": _answers(report),
            "photos": list(report.photos.all()),
            "location_map": location_map,
            "duplicates": list(report.duplicates.values_list("pk", flat=True)),
        },
    )


@require_POST
def support(request, pk):
    report = get_object_or_404(ServiceRequest, pk=pk)
    if services.support_request(report, client_address(request)):
        messages.success(request, _("Danke für Ihre Unterstützung dieser Meldung."))
    elif report.is_open:
        messages.info(request, _("Sie haben diese Meldung bereits unterstützt."))
    else:
        messages.info(request, _("Diese Meldung ist abgeschlossen."))
    return redirect("servicerequests:detail", pk=report.pk)


def feedback(request, pk, secret):
    report = get_object_or_404(ServiceRequest, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.record_feedback(report, secret, request.POST.get("geloest") == "ja")
        except services.WorkflowError as problem:
            error = str(problem)
        else:
            messages.success(request, _("Danke für Ihre Rückmeldung."))
            return redirect("servicerequests:detail", pk=report.pk)
    elif secret != report.secret:
        error = _("Dieser Link ist ungültig.")
    return render(
        request,
        "servicerequests/feedback.html",
        {"report": report, "error": error},
        status=403 if error else 200,
    )


def photo(request, pk):
    stored = get_object_or_404(Photo, pk=pk)
    try:
        handle = stored.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- list, map, feed -------------------------------------------------------------------------


def _area_choices():
    """Finest-level areas grouped under their parents; a parent stands for all its areas."""
    areas = _finest_areas()
    groups: dict = {}
    for area in areas:
        groups.setdefault(area.parent, []).append(area)
    choices = []
    for parent, children in groups.items():
        options = [(str(a.pk), a.name) for a in children]
        if parent is not None and parent.level_id != (children[0].level_id):
            options.insert(
                0, (str(parent.pk), _("%(name)s (alle Gebiete)") % {"name": parent.name})
            )
            choices.append((parent.name, options))
        else:
            choices.extend(options)
    return choices


def _descendants(area_id: int) -> list[int]:
    found, frontier = [area_id], [area_id]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found.extend(frontier)
    return found


def filtered_requests(params):
    """The public list's query for the filter parameters (shared by page, map and feed)."""
    form = ListFilterForm(params or None, areas=_area_choices())
    query = ServiceRequest.objects.select_related("category", "area")
    chosen_area = None
    if form.is_valid():
        data = form.cleaned_data
        if data["gebiet"]:
            chosen_area = Area.objects.filter(pk=data["gebiet"]).first()
            if chosen_area:
                query = query.filter(area_id__in=_descendants(chosen_area.pk))
        if data["kategorie"]:
            query = query.filter(category__code=data["kategorie"])
        if data["status"] == "open":
            query = query.filter(status__in=OPEN_STATUSES)
        elif data["status"] == "closed":
            query = query.filter(status__in=CLOSED_STATUSES)
        elif data["status"]:
            query = query.filter(status=data["status"])
        if data["zeitraum"]:
            since = timezone.now() - dt.timedelta(days=int(data["zeitraum"]))
            query = query.filter(requested_at__gte=since)
    return form, query.order_by("-requested_at", "-id"), chosen_area


def report_list(request):
    form, query, chosen_area = filtered_requests(request.GET)
    paginator = Paginator(query, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("seite"))
    points = list(query.filter(lat__isnull=False).values_list("lat", "long", "status")[:MAP_POINTS])
    overview = maps.report_map(
        _finest_areas(),
        [(lat, lon, status in OPEN_STATUSES) for lat, lon, status in points],
        label=_("Karte der %(count)d neuesten gefundenen Meldungen; die Liste unten nennt sie.")
        % {"count": len(points)},
        highlight=chosen_area.pk if chosen_area else None,
        radius=3.5,
    )
    params = request.GET.copy()
    params.pop("seite", None)
    return render(
        request,
        "servicerequests/list.html",
        {
            "form": form,
            "page": page,
            "overview": overview,
            "query_string": params.urlencode(),
            "feed_query": urlencode({"gebiet": chosen_area.pk}) if chosen_area else "",
            "chosen_area": chosen_area,
            "open_count": query.filter(status__in=OPEN_STATUSES).count(),
        },
    )


class ReportFeed(Feed):
    """Atom feed of the newest reports, for the whole city or one area (?gebiet=ID)."""

    feed_type = Atom1Feed

    def get_object(self, request):
        self.request = request
        return request.GET.get("gebiet", "")

    def title(self, obj):
        area = Area.objects.filter(pk=obj).first() if obj.isdigit() else None
        if area:
            return _("Mängelmelder: neue Meldungen in %(area)s") % {"area": area.name}
        return _("Mängelmelder: neue Meldungen")

    def link(self, obj):
        return reverse("servicerequests:reports") + (f"?gebiet={obj}" if obj.isdigit() else "")

    def subtitle(self, obj):
        return _("Meldungen und ihr Stand; ohne persönliche Angaben.")

    def items(self, obj):
        params = {"gebiet": obj} if obj.isdigit() else {}
        _form, query, _area = filtered_requests(params)
        return query[:50]

    def item_title(self, item):
        return _("Nr. %(id)s: %(category)s (%(status)s)") % {
            "id": item.pk,
            "category": item.category.display_name,
            "status": item.get_status_display(),
        }

    def item_description(self, item):
        parts = [item.description or ""]
        if item.status_notes:
            parts.append(_("Antwort der Verwaltung: %(note)s") % {"note": item.status_notes})
        return "\n\n".join(p for p in parts if p)

    def item_link(self, item):
        return reverse("servicerequests:detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.requested_at

    def item_updateddate(self, item):
        return item.updated_at


# --- e-mail alerts for an area -----------------------------------------------------------------


def alert_order(request):
    """Order an e-mail alert for new reports in an area (?gebiet=ID preselects one)."""
    form = AlertForm(
        request.POST or None,
        initial={"gebiet": request.GET.get("gebiet", "")},
        areas=_area_choices(),
    )
    status = 200
    if request.method == "POST":
        try:
            alert = alerts.order(
                request.POST.get("email", ""),
                request.POST.get("gebiet", ""),
                client=client_address(request),
                base_url=request.build_absolute_uri("/"),
            )
        except alerts.AlertError as error:
            form.is_valid()
            form.errors.clear()
            form.add_error(error.field or None, str(error))
            status = 400
        else:
            messages.success(
                request,
                _(
                    "Fast geschafft: Wir haben eine E-Mail an %(email)s geschickt. Bitte "
                    "bestätigen Sie darin die Benachrichtigung für %(area)s."
                )
                % {"email": alert.email, "area": alert.area.name},
            )
            return redirect(reverse("servicerequests:reports") + f"?gebiet={alert.area_id}")
    return render(request, "servicerequests/alert.html", {"form": form}, status=status)


def _alert_step(request, token, action, done_message: str, template_context: dict):
    """Show a link's page (GET) and act on its button (POST): mail scanners that open links
    must not confirm or end an alert."""
    try:
        alert = alerts.find(token)
        if request.method == "POST":
            alert = action(token)
            messages.success(request, done_message % {"area": alert.area.name})
            return redirect(reverse("servicerequests:reports") + f"?gebiet={alert.area_id}")
    except alerts.AlertError as error:
        return render(request, "servicerequests/alert_link.html", {"error": str(error)}, status=404)
    return render(request, "servicerequests/alert_link.html", {"alert": alert, **template_context})


def alert_confirm(request, token):
    return _alert_step(
        request,
        token,
        alerts.confirm,
        _("Danke! Sie erhalten jetzt eine E-Mail zu jeder neuen Meldung in %(area)s."),
        {"title": _("Benachrichtigung bestätigen"), "button": _("Ja, Benachrichtigung bestätigen")},
    )


def alert_end(request, token):
    return _alert_step(
        request,
        token,
        alerts.end,
        _("Die Benachrichtigung für %(area)s ist abbestellt; Ihre Adresse ist gelöscht."),
        {"title": _("Benachrichtigung abbestellen"), "button": _("Ja, abbestellen")},
    )


# --- statistics ------------------------------------------------------------------------------


def statistics_page(request):
    years = sorted(
        {d.year for d in ServiceRequest.objects.dates("requested_at", "year")}, reverse=True
    )
    try:
        year = int(request.GET.get("jahr") or (years[0] if years else timezone.now().year))
    except ValueError:
        year = years[0] if years else timezone.now().year
    categories = list(Category.objects.all())
    rows = statistics.district_table(year)
    return render(
        request,
        "servicerequests/statistics.html",
        {
            "year": year,
            "years": years,
            "categories": categories,
            "rows": [(row, [row.by_category[c.pk].reports for c in categories]) for row in rows],
            "level": area_services.finest_level(),
            "min_for_median": statistics.MIN_FOR_MEDIAN,
            "statuses": STATUSES,
            "no_area": ServiceRequest.objects.filter(
                Q(area__isnull=True), requested_at__year=year
            ).count(),
        },
    )
