"""The Open311 GeoReport v2 server: thin views over the services, served under /open311/v2/
and /georeport/v2/. The format follows the extension (.xml, .json); errors are the spec's
documents with 404 (unknown resource), 403 (missing or wrong api_key) or 400 (all else).

Parsing is liberal: an empty parameter is an absent one, ``service/{code}`` works like
``services/{code}``, ``api_key`` may come in the query string. Extensions: ``page`` and
``page_size``; ``extensions=true`` adds ``detailed_status``, ``district`` and the public
status history ``notes`` to each request. Personal data never appear in any answer."""

import datetime as dt
import re
from functools import wraps

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from gemeinsinn.core.models import CityProfile
from gemeinsinn.servicerequests import conf, open311, services
from gemeinsinn.servicerequests.models import (
    DETAILED_STATUS,
    Category,
    ServiceRequest,
    StatusChange,
    open311_status,
)

MAX_DAYS = 90
MAX_PAGE_SIZE = 1000
MAX_IDS = 1000
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_SPACE_OFFSET = re.compile(r"(\d) (\d\d:?\d\d)$")  # "+01:00" sent unescaped arrives as " 01:00"


class ApiError(Exception):
    def __init__(self, status: int, *messages: str, headers: dict | None = None):
        self.status = status
        self.messages = messages
        self.headers = headers or {}
        super().__init__(" ".join(messages))


def respond(fmt: str, root: str, content, status: int = 200, headers: dict | None = None):
    if fmt == "json":
        response = JsonResponse(
            content,
            safe=False,
            status=status,
            content_type="application/json; charset=utf-8",
            json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
        )
    else:
        response = HttpResponse(
            open311.xml_document(root, content),
            status=status,
            content_type="text/xml; charset=utf-8",
        )
    for name, value in (headers or {}).items():
        response[name] = value
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(fmt: str, error: ApiError):
    content = open311.errors((error.status, message) for message in error.messages)
    return respond(fmt, "errors", content, error.status, error.headers)


def _param(request, name: str) -> str | None:
    """A parameter from the body (POST) or the query string; empty counts as absent."""
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None or not value.strip():
        value = request.GET.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _check_jurisdiction(request) -> None:
    given = _param(request, "jurisdiction_id")
    configured = conf.jurisdiction_id()
    if given is None:
        if conf.jurisdiction_required():
            raise ApiError(
                400,
                _("jurisdiction_id fehlt; dieser Server bedient „%(id)s“.") % {"id": configured},
            )
        return
    if configured and given.lower() != configured.lower():
        raise ApiError(
            404,
            _("Die jurisdiction_id „%(given)s“ ist unbekannt; dieser Server bedient „%(id)s“.")
            % {"given": given[:100], "id": configured},
        )


def _reject_nul(request, path_values: dict) -> None:
    """NUL bytes cannot be stored or searched (PostgreSQL refuses them): a clear 400 instead."""
    values = [*path_values.values()]
    for query in (request.GET, request.POST):
        for key, items in query.lists():
            values += [key, *items]
    if any("\x00" in str(value) for value in values):
        raise ApiError(
            400,
            _(
                "Die Anfrage enthält ein Nullzeichen (NUL, %(code)s). "
                "Bitte entfernen Sie es aus Adresse und Parametern."
            )
            % {"code": "%00"},
        )


def endpoint(*methods: str):
    """Wrap an API view: allowed methods, jurisdiction, and errors as Open311 documents."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, fmt="xml", **kwargs):
            try:
                if request.method not in methods:
                    raise ApiError(
                        405,
                        _("Die Methode %(method)s ist hier nicht möglich; erlaubt: %(allowed)s.")
                        % {"method": request.method, "allowed": ", ".join(methods)},
                        headers={"Allow": ", ".join(methods)},
                    )
                _reject_nul(request, kwargs)
                _check_jurisdiction(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except ApiError as error:
                return error_response(fmt, error)

        return wrapper

    return decorate


# --- services --------------------------------------------------------------------------------


@endpoint("GET", "HEAD")
def discovery(request, fmt):
    changed = Category.objects.order_by("-changed_at").values_list("changed_at", flat=True).first()
    urls = []
    for namespace in ("open311", "georeport"):
        path = reverse(f"servicerequests:{namespace}:discovery", kwargs={"fmt": fmt})
        urls.append(request.build_absolute_uri(path.rsplit("/", 1)[0] + "/"))
    city = CityProfile.current().name
    document = open311.discovery(
        changeset=changed or timezone.now().replace(microsecond=0),
        contact=conf.contact() or _("Stadtverwaltung %(city)s") % {"city": city},
        key_service=_(
            "Einen API-Schlüssel für das Melden vergibt die Stadtverwaltung %(city)s auf Anfrage."
        )
        % {"city": city},
        urls=urls,
    )
    return respond(fmt, "discovery", document)


@endpoint("GET", "HEAD")
def service_list(request, fmt):
    categories = Category.objects.filter(is_active=True).prefetch_related("attributes")
    content = [
        open311.service(
            c.code,
            c.display_name,
            c.display_description,
            metadata=bool(c.attributes.all()),
            service_type=c.service_type,
            keywords=c.keywords,
            group=c.group,
        )
        for c in categories
    ]
    return respond(fmt, "services", content)


@endpoint("GET", "HEAD")
def service_definition(request, code, fmt):
    category = (
        Category.objects.filter(code=code, is_active=True)
        .prefetch_related("attributes__values")
        .first()
    )
    if category is None:
        raise ApiError(404, _("Die Kategorie „%(code)s“ gibt es nicht.") % {"code": code[:50]})
    attributes = [
        open311.attribute(
            variable=a.variable,
            code=a.code,
            datatype=a.datatype,
            required=a.required,
            datatype_description=a.datatype_description,
            order=a.order,
            description=a.display_description,
            values=[(v.key, v.display_name) for v in a.values.all()],
        )
        for a in category.attributes.all()
    ]
    return respond(
        fmt, "service_definition", {"service_code": category.code, "attributes": attributes}
    )


# --- requests --------------------------------------------------------------------------------


def _parse_date(name: str, text: str) -> dt.datetime:
    moment = services._parse_moment(_SPACE_OFFSET.sub(r"\1+\2", text))
    if moment is not None and not 1900 <= moment.year <= 9000:
        raise ApiError(
            400,
            _("%(name)s „%(value)s“ liegt außerhalb der Jahre 1900 bis 9000.")
            % {"name": name, "value": text[:40]},
        )
    if moment is None:
        raise ApiError(
            400,
            _("%(name)s „%(value)s“ ist kein Datum im W3C-Format, z. B. 2026-01-31T00:00:00Z.")
            % {"name": name, "value": text[:40]},
        )
    return moment


def _date_range(request) -> tuple[dt.datetime, dt.datetime]:
    try:
        return _checked_range(request)
    except OverflowError:
        raise ApiError(
            400, _("start_date oder end_date liegt außerhalb der möglichen Daten.")
        ) from None


def _checked_range(request) -> tuple[dt.datetime, dt.datetime]:
    start_text, end_text = _param(request, "start_date"), _param(request, "end_date")
    start = _parse_date("start_date", start_text) if start_text else None
    end = _parse_date("end_date", end_text) if end_text else None
    span = dt.timedelta(days=MAX_DAYS)
    if start is None and end is None:
        end = timezone.now()
        start = end - span
    elif start is None:
        start = end - span
    elif end is None:
        end = start + span
    if end < start:
        raise ApiError(400, _("end_date liegt vor start_date."))
    if end - start > span:
        raise ApiError(
            400,
            _(
                "Der Zeitraum von start_date bis end_date ist %(days)d Tage lang; erlaubt sind "
                "höchstens %(max)d Tage. Fragen Sie längere Zeiträume in Abschnitten ab."
            )
            % {"days": (end - start).days, "max": MAX_DAYS},
        )
    return start, end


def _positive(request, name: str, default: int, maximum: int) -> int:
    text = _param(request, name)
    if text is None:
        return default
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise ApiError(400, _("%(name)s muss eine ganze Zahl ab 1 sein.") % {"name": name})
    return min(number, maximum)


def _is_id(text: str) -> bool:
    """A number that can be a report's id (ASCII digits that fit a 64-bit integer)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def _comma_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


_FIELDS = (
    "id", "category_id", "status", "status_notes", "description", "requested_at", "updated_at",
    "expected_at", "address", "address_id", "zipcode", "lat", "long", "media_url", "photo_id",
    "area__key", "area__name",
)  # fmt: skip
(ID, CATEGORY, STATUS, NOTES, DESCRIPTION, REQUESTED, UPDATED, EXPECTED, ADDRESS, ADDRESS_ID,
 ZIPCODE, LAT, LONG, MEDIA_URL, PHOTO, AREA_KEY, AREA_NAME) = range(len(_FIELDS))  # fmt: skip


def _rows(query) -> list[tuple]:
    """The query's rows as plain tuples in the order of _FIELDS, read with the database
    cursor: Django's per-value converters took a third of the time of a 1 000-row answer;
    the date-times are converted by _stamper instead."""
    try:
        sql, params = query.values_list(*_FIELDS).query.sql_with_params()
    except EmptyResultSet:  # e.g. an empty list of ids: nothing can match
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _stamper():
    zone = timezone.get_current_timezone()
    offsets: dict[tuple, dt.timezone] = {}  # UTC hour -> the city's offset then

    def stamp(value) -> str | None:
        """A stored date-time (SQLite: UTC, PostgreSQL: aware) as W3C local time. The zone's
        offset is looked up once per hour of UTC time (offsets change on full hours)."""
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        utc = dt.UTC
        value = value.replace(tzinfo=utc) if value.tzinfo is None else value.astimezone(utc)
        hour = (value.year, value.month, value.day, value.hour)
        offset = offsets.get(hour)
        if offset is None:
            offset = offsets[hour] = dt.timezone(value.astimezone(zone).utcoffset())
        return value.astimezone(offset).isoformat(timespec="seconds")

    return stamp


def _items(request, rows: list[tuple], extensions: bool) -> list[dict]:
    stamp = _stamper()
    services_by_id = {
        c.pk: (
            c.display_name,
            c.code,
            c.department.display_name if c.department else None,
            c.service_notice or None,
        )
        for c in Category.objects.select_related("department")
    }
    notes: dict[int, list] = {}
    if extensions and rows:
        for step in StatusChange.objects.filter(request_id__in=[r[ID] for r in rows]):
            if step.is_public:
                notes.setdefault(step.request_id, []).append(
                    {
                        "datetime": stamp(step.created_at),
                        "status": open311_status(step.new_status),
                        "detailed_status": DETAILED_STATUS[step.new_status],
                        "description": step.public_note or step.get_new_status_display(),
                    }
                )
    photos = ""
    if any(row[PHOTO] for row in rows):
        one = request.build_absolute_uri(reverse("servicerequests:photo", args=[1]))
        photos = one.removesuffix("1.jpg")
    items = []
    for row in rows:
        name, code, agency, notice = services_by_id[row[CATEGORY]]
        item = {
            "service_request_id": str(row[ID]),
            "status": open311_status(row[STATUS]),
            "status_notes": row[NOTES] or None,
            "service_name": name,
            "service_code": code,
            "description": row[DESCRIPTION] or None,
            "agency_responsible": agency,
            "service_notice": notice,
            "requested_datetime": stamp(row[REQUESTED]),
            "updated_datetime": stamp(row[UPDATED]),
            "expected_datetime": stamp(row[EXPECTED]),
            "address": row[ADDRESS] or None,
            "address_id": row[ADDRESS_ID] or None,
            "zipcode": row[ZIPCODE] or None,
            "lat": row[LAT],
            "long": row[LONG],
            "media_url": f"{photos}{row[PHOTO]}.jpg" if row[PHOTO] else (row[MEDIA_URL] or None),
        }
        if extensions:
            item["detailed_status"] = DETAILED_STATUS[row[STATUS]]
            item["district"] = row[AREA_NAME]
            item["district_key"] = row[AREA_KEY]
            item["notes"] = notes.get(row[ID], [])
        items.append(item)
    return items


def _extensions(request) -> bool:
    return (_param(request, "extensions") or "").lower() in {"true", "1", "yes"}


@endpoint("GET", "HEAD", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    query = ServiceRequest.objects.all()
    ids_text = _param(request, "service_request_id")
    if ids_text is not None:
        ids = _comma_list(ids_text)
        if len(ids) > MAX_IDS:
            raise ApiError(
                400, _("Höchstens %(max)d service_request_id auf einmal.") % {"max": MAX_IDS}
            )
        query = services.filter_requests(query, ids=[int(i) for i in ids if _is_id(i)])
    else:
        statuses = [s.lower() for s in _comma_list(_param(request, "status"))]
        wrong = [s for s in statuses if s not in ("open", "closed")]
        if wrong:
            raise ApiError(
                400,
                _("status „%(value)s“ gibt es nicht; möglich sind open und closed.")
                % {"value": wrong[0][:40]},
            )
        start, end = _date_range(request)
        query = services.filter_requests(
            query,
            codes=_comma_list(_param(request, "service_code")),
            start=start,
            end=end,
            open311_statuses=statuses,
        )
    page_size = _positive(request, "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    page = _positive(request, "page", 1, 10**9)
    offset = (page - 1) * page_size
    # the ids first, from the indexes alone; then the rows of just these
    ids = list(
        query.order_by("-requested_at", "-id").values_list("id", flat=True)[
            offset : offset + page_size
        ]
    )
    rows = _rows(ServiceRequest.objects.filter(pk__in=ids).order_by("-requested_at", "-id"))
    return respond(fmt, "service_requests", _items(request, rows, _extensions(request)))


@endpoint("GET", "HEAD")
def request_detail(request, request_id, fmt):
    rows = []
    if _is_id(request_id):
        rows = _rows(ServiceRequest.objects.filter(pk=request_id))
    if not rows:
        raise ApiError(404, _("Die Meldung „%(id)s“ gibt es nicht.") % {"id": str(request_id)[:30]})
    return respond(fmt, "service_requests", _items(request, rows, _extensions(request)))


@endpoint("GET", "HEAD")
def token(request, token, fmt):
    found = ServiceRequest.objects.filter(token=token).values_list("id", flat=True).first()
    if found is None:
        raise ApiError(404, _("Den Vorgangsschlüssel (token) „%(token)s“ gibt es nicht.")
                       % {"token": token[:40]})  # fmt: skip
    return respond(fmt, "service_requests", [{"service_request_id": str(found), "token": token}])


def _attributes(data) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match:
            answers.setdefault(match.group(1), []).extend(data.getlist(key))
    return answers


def _create(request, fmt):
    raw_key = _param(request, "api_key")
    if raw_key is None:
        raise ApiError(403, _("api_key fehlt. Zum Melden braucht es einen API-Schlüssel."))
    key = services.authenticate_key(raw_key)
    if key is None:
        raise ApiError(403, _("Der api_key ist ungültig oder gesperrt."))
    data = request.POST
    submission = services.Submission(
        service_code=_param(request, "service_code") or "",
        lat=data.get("lat"),
        long=data.get("long"),
        address_string=data.get("address_string", ""),
        address_id=data.get("address_id", ""),
        attributes=_attributes(data),
        description=data.get("description", ""),
        email=data.get("email", ""),
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        phone=data.get("phone", ""),
        device_id=data.get("device_id", ""),
        account_id=data.get("account_id", ""),
        media_url=data.get("media_url", ""),
        photos=request.FILES.getlist("media"),
    )
    rate = (
        services.RateLimit(f"open311-key:{key.pk}", key.rate_limit, 60) if key.rate_limit else None
    )
    try:
        report = services.submit_request(
            submission,
            source="api",
            api_key=key,
            rate=rate,
            base_url=request.build_absolute_uri("/"),
        )
    except services.SubmissionError as error:
        status = 404 if error.status == 404 else 400
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
        raise ApiError(status, *[p.message for p in error.problems], headers=headers) from None
    category = report.category
    item = (
        {"token": report.token}
        if category.service_type == "batch"
        else {"service_request_id": str(report.pk)}
    )
    item["service_notice"] = category.service_notice or None
    item["account_id"] = None
    return respond(fmt, "service_requests", [item])


@csrf_exempt
def not_found(request, rest=""):
    fmt = "json" if rest.endswith(".json") else "xml"
    return error_response(
        fmt,
        ApiError(
            404,
            _("Diese Adresse gibt es im Open311-API nicht. Der Einstieg ist discovery.xml."),
        ),
    )
