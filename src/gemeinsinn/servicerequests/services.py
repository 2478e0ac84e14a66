"""Use cases of the Mängelmelder. The web form, the Open311 API, the staff queue, the
commands and the demo all call these functions, so that every way in behaves the same.

Errors a reporter can cause raise :class:`SubmissionError` with every problem at once, each
a German message and the HTTP status the API answers with; nothing has been stored then."""

import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

import nh3
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gemeinsinn.core import images, ratelimit
from gemeinsinn.core.clients import client_bucket  # noqa: F401 - used by the views
from gemeinsinn.core.models import record
from gemeinsinn.servicerequests import alerts, catalogue
from gemeinsinn.servicerequests.models import (
    CLOSED_STATUSES,
    DUPLICATE,
    OPEN_STATUSES,
    RECEIVED,
    REVIEWING,
    STATUSES,
    ApiKey,
    Category,
    Photo,
    ServiceRequest,
    StatusChange,
)
from gemeinsinn.servicerequests.statistics import (  # noqa: F401 - use cases of statistics
    district_table,
    update_indicators,
)

MAX_DESCRIPTION = 4000
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = images.MAX_PHOTO_BYTES
MAX_PHOTO_PIXELS = images.MAX_PHOTO_PIXELS
PHOTO_EDGE = images.PHOTO_EDGE
PHOTO_FORMATS = images.PHOTO_FORMATS
MAX_NOTE = 4000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestProblem:
    """One thing wrong with a submission. ``field`` names the parameter as the API spells it
    (service_code, lat, long, description, attribute[CODE], media, email …), empty for the
    request as a whole; ``status`` is the HTTP status of the Open311 error."""

    message: str
    field: str = ""
    status: int = 400

    def __str__(self) -> str:
        return self.message


class SubmissionError(Exception):
    """Raised with every problem of a submission; nothing has been stored."""

    def __init__(self, problems: list[RequestProblem], retry_after: int | None = None):
        self.problems = problems
        self.retry_after = retry_after
        super().__init__(" ".join(p.message for p in problems))

    @property
    def status(self) -> int:
        """The status of the most specific problem: 404 (unknown resource) before 429 (too
        many) before 400."""
        statuses = {p.status for p in self.problems}
        for status in (404, 403, 429):
            if status in statuses:
                return status
        return 400


class WorkflowError(Exception):
    """A staff action that cannot be done as asked (German message)."""


# --- submitting a report -------------------------------------------------------------------


@dataclass
class Submission:
    """A report as the web form or an API client sends it: plain texts, nothing checked yet.
    ``attributes`` maps an attribute code to its values (one for single values)."""

    service_code: str = ""
    lat: str | float | None = None
    long: str | float | None = None
    address_string: str = ""
    address_id: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    description: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""
    photos: list = field(default_factory=list)  # uploaded files (name, size, read())


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` reports of one client (``bucket``) within ``window`` seconds;
    ``limit`` 0 means no limit."""

    bucket: str
    limit: int
    window: int


def _clean_text(value) -> str:
    text = "" if value is None else str(value)
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _parse_coordinate(
    value, name: str, where: str, low: float, high: float, problems: list
) -> float | None:
    text = _clean_text(value).replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        problems.append(
            RequestProblem(
                _("%(name)s „%(value)s“ ist keine Zahl. Schreiben Sie z. B. 51.2105.")
                % {"name": name, "value": text[:40]},
                field=where,
            )
        )
        return None
    if not math.isfinite(number) or not low <= number <= high:
        problems.append(
            RequestProblem(
                _("%(name)s %(value)s liegt nicht zwischen %(low)s und %(high)s.")
                % {"name": name, "value": text[:40], "low": low, "high": high},
                field=where,
            )
        )
        return None
    return number


def _check_description(text: str, problems: list) -> None:
    if len(text) > MAX_DESCRIPTION:
        problems.append(
            RequestProblem(
                _(
                    "Die Beschreibung ist %(length)d Zeichen lang; erlaubt sind höchstens "
                    "%(max)d. Bitte kürzen Sie sie."
                )
                % {"length": len(text), "max": MAX_DESCRIPTION},
                field="description",
            )
        )
    if nh3.is_html(text):
        problems.append(
            RequestProblem(
                _(
                    "Die Beschreibung enthält HTML (z. B. <b> oder <a>). Bitte schreiben Sie "
                    "nur Text, ohne spitze Klammern um Wörter."
                ),
                field="description",
            )
        )


def _check_attributes(category: Category, given: dict[str, list[str]], problems: list) -> dict:
    """The answers to the category's questions, checked; codes the category does not ask are
    ignored (liberal parsing)."""
    answers: dict = {}
    for attribute in category.attributes.all():
        if not attribute.variable:
            continue
        values = [_clean_text(v) for v in given.get(attribute.code, [])]
        values = [v for v in values if v]
        name = attribute.display_description
        where = f"attribute[{attribute.code}]"
        if not values:
            if attribute.required:
                problems.append(
                    RequestProblem(
                        _("Die Angabe „%(name)s“ fehlt; sie ist bei „%(category)s“ nötig.")
                        % {"name": name, "category": category.display_name},
                        field=where,
                    )
                )
            continue
        if attribute.is_list:
            allowed = {v.key: v for v in attribute.values.all()}
            wrong = [v for v in values if v not in allowed]
            if wrong:
                choices = ", ".join(
                    f"{key} ({value.display_name})" for key, value in allowed.items()
                )
                problems.append(
                    RequestProblem(
                        _("„%(value)s“ ist keine Auswahl für „%(name)s“. Möglich: %(choices)s.")
                        % {"value": wrong[0][:50], "name": name, "choices": choices},
                        field=where,
                    )
                )
                continue
            if attribute.datatype == "singlevaluelist":
                if len(set(values)) > 1:
                    problems.append(
                        RequestProblem(
                            _("Für „%(name)s“ ist nur eine Auswahl möglich.") % {"name": name},
                            field=where,
                        )
                    )
                    continue
                answers[attribute.code] = values[0]
            else:
                answers[attribute.code] = sorted(set(values), key=values.index)
            continue
        value = values[0]
        if attribute.datatype == "number":
            try:
                number = float(value.replace(",", "."))
                if not math.isfinite(number):
                    raise ValueError
            except ValueError:
                problems.append(
                    RequestProblem(
                        _("„%(value)s“ ist keine Zahl (Angabe „%(name)s“).")
                        % {"value": value[:50], "name": name},
                        field=where,
                    )
                )
                continue
            answers[attribute.code] = number
        elif attribute.datatype == "datetime":
            moment = _parse_moment(value)
            if moment is None:
                problems.append(
                    RequestProblem(
                        _(
                            "„%(value)s“ ist kein Datum (Angabe „%(name)s“). Schreiben Sie es "
                            "als JJJJ-MM-TT oder JJJJ-MM-TTThh:mm."
                        )
                        % {"value": value[:50], "name": name},
                        field=where,
                    )
                )
                continue
            answers[attribute.code] = moment.isoformat()
        else:
            limit = 300 if attribute.datatype == "string" else 2000
            if attribute.datatype == "string":
                value = " ".join(value.split())
            if len(value) > limit or nh3.is_html(value):
                problems.append(
                    RequestProblem(
                        _("Die Angabe „%(name)s“ ist zu lang oder enthält HTML.") % {"name": name},
                        field=where,
                    )
                )
                continue
            answers[attribute.code] = value
    return answers


def _parse_moment(text: str) -> dt.datetime | None:
    """An ISO 8601 date or date-time; without a zone it is the city's local time."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        moment = None
    if moment is None:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
        moment = dt.datetime.combine(day, dt.time())
    if timezone.is_naive(moment):
        try:
            moment = timezone.make_aware(moment)
        except (OverflowError, ValueError):  # the first or last days of the calendar
            return None
    return moment


def prepare_photo(upload, number: int) -> images.PreparedPhoto:
    """Check that the upload is a photo and re-encode it as JPEG: turned upright, at most
    PHOTO_EDGE pixels, without EXIF and any other metadata (no location, no camera)."""
    name = getattr(upload, "name", "") or _("Foto %(number)d") % {"number": number}
    try:
        return images.reencode_photo(upload, name)
    except images.PhotoRejected as error:
        raise SubmissionError([RequestProblem(str(error), field="media")]) from None


def _check_rate(rate: RateLimit | None, now: dt.datetime) -> None:
    if rate is None:
        return
    wait = ratelimit.wait_seconds(rate.bucket, rate.limit, rate.window, now)
    if wait:
        raise SubmissionError(
            [
                RequestProblem(
                    _(
                        "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Meldungen "
                        "(höchstens %(limit)d in %(window)d Minuten). Bitte versuchen Sie es in "
                        "%(minutes)d Minuten noch einmal."
                    )
                    % {
                        "limit": rate.limit,
                        "window": max(1, rate.window // 60),
                        "minutes": max(1, math.ceil(wait / 60)),
                    },
                    status=429,
                )
            ],
            retry_after=wait,
        )


def _count_hit(rate: RateLimit | None, now: dt.datetime) -> None:
    if rate is not None and rate.limit > 0:
        ratelimit.count(rate.bucket, now)


def _category(code: str, problems: list) -> Category | None:
    if not code:
        problems.append(
            RequestProblem(_("Die Kategorie fehlt (Parameter service_code)."), field="service_code")
        )
        return None
    category = catalogue.active_category(code)
    if category is None:
        problems.append(
            RequestProblem(
                _("Die Kategorie „%(code)s“ gibt es nicht. Die Liste steht unter services.xml.")
                % {"code": code[:50]},
                field="service_code",
                status=404,
            )
        )
    return category


def _check_location(lat_text, long_text, address_text, address_id_text, problems) -> dict:
    """lat, long, area, address and address_id of a place given by coordinates (checked to lie
    in the city) or by an address or address id alone."""
    values: dict = {}
    lat_given = _clean_text(lat_text) != ""
    long_given = _clean_text(long_text) != ""
    address = " ".join(_clean_text(address_text).split())
    address_id = _clean_text(address_id_text)
    values["address"] = address[:300]
    values["address_id"] = address_id[:100]
    values["lat"] = values["long"] = values["area"] = None
    if lat_given or long_given:
        if not (lat_given and long_given):
            problems.append(
                RequestProblem(
                    _("Für einen Ort braucht es Breiten- und Längengrad (lat und long)."),
                    field="lat" if not lat_given else "long",
                )
            )
        else:
            lat = _parse_coordinate(lat_text, _("Breitengrad"), "lat", -90.0, 90.0, problems)
            lon = _parse_coordinate(long_text, _("Längengrad"), "long", -180.0, 180.0, problems)
            if lat is not None and lon is not None:
                area, known = catalogue.locate(lat, lon)
                if known and area is None:
                    problems.append(
                        RequestProblem(
                            _(
                                "Der Ort %(lat)s, %(lon)s liegt nicht im Stadtgebiet. Bitte "
                                "wählen Sie einen Ort in der Stadt; für Orte außerhalb ist "
                                "eine andere Verwaltung zuständig."
                            )
                            % {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}"},
                            field="lat",
                        )
                    )
                values.update(lat=lat, long=lon, area=area)
    elif not address and not address_id:
        problems.append(
            RequestProblem(
                _(
                    "Der Ort fehlt. Geben Sie Koordinaten (lat und long), eine Adresse "
                    "(address_string) oder eine Adresskennung (address_id) an."
                ),
                field="location",
            )
        )
    if len(address) > 300:
        problems.append(
            RequestProblem(_("Die Adresse ist länger als 300 Zeichen."), field="address_string")
        )
    return values


def check_place(lat, long, address: str = "") -> dict:
    """The first step of the web form: is the place usable? Returns lat, long, area and
    address, or raises SubmissionError."""
    problems: list[RequestProblem] = []
    values = _check_location(lat, long, address, "", problems)
    if problems:
        raise SubmissionError(problems)
    return values


def validate_submission(submission: Submission) -> dict:
    """Check everything a reporter sent; returns the clean values for a ServiceRequest and
    the prepared photos, or raises SubmissionError with every problem."""
    problems: list[RequestProblem] = []
    code = _clean_text(submission.service_code)
    category = _category(code, problems)
    if category is None and any(p.status == 404 for p in problems):
        raise SubmissionError(problems)

    values: dict = {"category": category}
    values.update(
        _check_location(
            submission.lat,
            submission.long,
            submission.address_string,
            submission.address_id,
            problems,
        )
    )

    description = _clean_text(submission.description)
    _check_description(description, problems)
    values["description"] = description

    if category is not None:
        values["attributes"] = _check_attributes(category, submission.attributes, problems)

    email = _clean_text(submission.email)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                RequestProblem(
                    _("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": email[:80]},
                    field="email",
                )
            )
    values["email"] = email[:254]
    for name, limit in (
        ("first_name", 100),
        ("last_name", 100),
        ("phone", 50),
        ("device_id", 100),
        ("account_id", 100),
    ):
        text = " ".join(_clean_text(getattr(submission, name)).split())
        if len(text) > limit:
            problems.append(
                RequestProblem(
                    _("Die Angabe %(name)s ist länger als %(limit)d Zeichen.")
                    % {"name": name, "limit": limit},
                    field=name,
                )
            )
        values[name] = text[:limit]

    media_url = _clean_text(submission.media_url)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            problems.append(
                RequestProblem(
                    _("media_url „%(value)s“ ist keine gültige http(s)-Adresse.")
                    % {"value": media_url[:80]},
                    field="media_url",
                )
            )
    values["media_url"] = media_url

    photos = [p for p in submission.photos if p]
    prepared = []
    if len(photos) > MAX_PHOTOS:
        problems.append(
            RequestProblem(
                _("Höchstens %(max)d Fotos je Meldung.") % {"max": MAX_PHOTOS}, field="media"
            )
        )
    else:
        for number, upload in enumerate(photos, start=1):
            try:
                prepared.append(prepare_photo(upload, number))
            except SubmissionError as error:
                problems.extend(error.problems)
    if problems:
        raise SubmissionError(problems)
    values["photos"] = prepared
    return values


def submit_request(
    submission: Submission,
    *,
    source: str = "web",
    api_key: ApiKey | None = None,
    rate: RateLimit | None = None,
    now: dt.datetime | None = None,
    base_url: str = "",
) -> ServiceRequest:
    """Create a report from a submission: all checks first, then one transaction; after it,
    the e-mail alerts of the report's area go out (links start with base_url).
    Raises SubmissionError (nothing stored) for any problem, including a flood."""
    now = now or timezone.now()
    _check_rate(rate, now)
    values = validate_submission(submission)
    photos = values.pop("photos")
    category: Category = values["category"]
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            _check_rate(rate, now)
            report = ServiceRequest.objects.create(
                **values,
                status=RECEIVED,
                token=secrets.token_hex(16),
                secret=secrets.token_urlsafe(32),
                source=source,
                api_key=api_key,
                requested_at=now,
                updated_at=now,
                expected_at=(
                    now + dt.timedelta(days=category.expected_days)
                    if category.expected_days
                    else None
                ),
            )
            StatusChange.objects.create(
                request=report, created_at=now, old_status="", new_status=RECEIVED
            )
            for order, photo in enumerate(photos):
                stored = Photo(request=report, width=photo.width, height=photo.height, order=order)
                stored.image.save(f"{report.pk}-{order + 1}.jpg", ContentFile(photo.content), False)
                saved_files.append(stored.image.name)
                stored.save()
                if order == 0:
                    report.photo_id = stored.pk
                    report.save(update_fields=["photo_id"])
            _count_hit(rate, now)
            if api_key is not None and (
                api_key.last_used_at is None or now - api_key.last_used_at > dt.timedelta(minutes=1)
            ):
                ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            transaction.on_commit(lambda: alerts.announce(report, base_url))
    except BaseException:
        if saved_files:
            from django.core.files.storage import default_storage

            for name in saved_files:
                default_storage.delete(name)
        raise
    return report


# --- finding reports -----------------------------------------------------------------------


def nearby_open_requests(
    category: Category,
    lat: float,
    lon: float,
    *,
    radius_m: float = 150.0,
    limit: int = 5,
    exclude_id: int | None = None,
) -> list[tuple[ServiceRequest, int]]:
    """Open reports of the category within radius_m metres, nearest first, with distance."""
    dlat = radius_m / 111_320.0
    dlon = radius_m / (111_320.0 * max(0.01, math.cos(math.radians(lat))))
    candidates = ServiceRequest.objects.filter(
        category=category,
        status__in=OPEN_STATUSES,
        lat__range=(lat - dlat, lat + dlat),
        long__range=(lon - dlon, lon + dlon),
    ).select_related("area")
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    found = []
    for report in candidates[:500]:
        distance = distance_m(lat, lon, report.lat, report.long)
        if distance <= radius_m:
            found.append((report, round(distance)))
    found.sort(key=lambda pair: (pair[1], pair[0].pk))
    return found[:limit]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000.0 * math.asin(min(1.0, math.sqrt(a)))


def public_history(report: ServiceRequest) -> list[StatusChange]:
    """The steps the public sees: status changes and public answers, never internal notes."""
    return [step for step in report.history.all() if step.is_public]


# --- staff workflow ------------------------------------------------------------------------


def _status_label(status: str) -> str:
    return str(dict(STATUSES).get(status, status))


def _clean_note(text: str, what: str) -> str:
    note = _clean_text(text)
    if len(note) > MAX_NOTE:
        raise WorkflowError(
            _("Die %(what)s ist länger als %(max)d Zeichen.") % {"what": what, "max": MAX_NOTE}
        )
    return note


def change_status(
    report: ServiceRequest,
    new_status: str,
    *,
    public_note: str = "",
    internal_note: str = "",
    user=None,
    base_url: str = "",
    now: dt.datetime | None = None,
    notify: bool = True,
) -> StatusChange:
    """Set a new status and/or add a public answer or an internal note. Closing (erledigt,
    abgelehnt) needs a public reason; the reporter is told of each status change by e-mail."""
    now = now or timezone.now()
    if new_status not in dict(STATUSES):
        raise WorkflowError(_("Den Status „%(status)s“ gibt es nicht.") % {"status": new_status})
    public_note = _clean_note(public_note, _("öffentliche Antwort"))
    internal_note = _clean_note(internal_note, _("interne Notiz"))
    if new_status == DUPLICATE and report.status != DUPLICATE:
        raise WorkflowError(
            _(
                "Duplikate werden mit „Als Duplikat zusammenführen“ einer anderen Meldung "
                "zugeordnet."
            )
        )
    changed = new_status != report.status
    if new_status in CLOSED_STATUSES and changed and not public_note:
        raise WorkflowError(
            _(
                "Zum Abschließen („%(status)s“) braucht es eine öffentliche Begründung: "
                "Was wurde getan, oder warum wird nichts getan?"
            )
            % {"status": _status_label(new_status)}
        )
    if not changed and not public_note and not internal_note:
        raise WorkflowError(_("Nichts zu speichern: Status, Antwort und Notiz sind unverändert."))
    with transaction.atomic():
        step = _apply(report, new_status, public_note, internal_note, user, now)
        if changed:
            record(
                "servicerequests.status",
                _("Meldung %(id)s: %(old)s → %(new)s")
                % {
                    "id": report.pk,
                    "old": _status_label(step.old_status),
                    "new": _status_label(new_status),
                },
                actor=user,
                request=report.pk,
            )
        if notify and changed and report.email:
            transaction.on_commit(lambda: notify_reporter(report, step, base_url))
    return step


def _apply(report, new_status, public_note, internal_note, user, now) -> StatusChange:
    old_status = report.status
    step = StatusChange.objects.create(
        request=report,
        created_at=now,
        old_status=old_status,
        new_status=new_status,
        public_note=public_note,
        internal_note=internal_note,
        author=user if getattr(user, "is_authenticated", False) else None,
    )
    report.status = new_status
    report.updated_at = now
    if public_note:
        report.status_notes = public_note
        if report.first_answer_at is None:
            report.first_answer_at = now
    if new_status in CLOSED_STATUSES and old_status not in CLOSED_STATUSES:
        report.closed_at = now
    elif new_status in OPEN_STATUSES:
        report.closed_at = None
        report.feedback_solved = None
        report.feedback_at = None
    report.save(
        update_fields=[
            "status",
            "updated_at",
            "status_notes",
            "first_answer_at",
            "closed_at",
            "feedback_solved",
            "feedback_at",
        ]
    )
    return step


def merge_duplicates(
    duplicate: ServiceRequest,
    original: ServiceRequest,
    *,
    public_note: str = "",
    user=None,
    base_url: str = "",
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Close ``duplicate`` as a duplicate of ``original`` (or of the report that original
    itself duplicates); its supporters count for the original. Returns the original."""
    now = now or timezone.now()
    seen = {original.pk}
    while original.duplicate_of_id and original.duplicate_of_id not in seen:
        original = ServiceRequest.objects.get(pk=original.duplicate_of_id)
        seen.add(original.pk)
    if original.pk == duplicate.pk:
        raise WorkflowError(_("Eine Meldung kann nicht ihr eigenes Duplikat sein."))
    if duplicate.status == DUPLICATE:
        raise WorkflowError(
            _("Meldung %(id)s ist schon als Duplikat zusammengeführt.") % {"id": duplicate.pk}
        )
    note = _clean_note(public_note, _("öffentliche Antwort")) or _(
        "Dieses Problem wurde bereits gemeldet (Meldung Nr. %(id)s). Wir bearbeiten es dort; "
        "den Stand sehen Sie auf der Seite jener Meldung."
    ) % {"id": original.pk}
    with transaction.atomic():
        step = _apply(duplicate, DUPLICATE, note, "", user, now)
        duplicate.duplicate_of = original
        duplicate.save(update_fields=["duplicate_of"])
        ServiceRequest.objects.filter(duplicate_of=duplicate).update(duplicate_of=original)
        ServiceRequest.objects.filter(pk=original.pk).update(
            support_count=F("support_count") + duplicate.support_count + 1, updated_at=now
        )
        StatusChange.objects.create(
            request=original,
            created_at=now,
            old_status=original.status,
            new_status=original.status,
            internal_note=_("Meldung Nr. %(id)s als Duplikat hierher zusammengeführt.")
            % {"id": duplicate.pk},
            author=user if getattr(user, "is_authenticated", False) else None,
        )
        record(
            "servicerequests.merge",
            _("Meldung %(dup)s als Duplikat von %(orig)s zusammengeführt")
            % {"dup": duplicate.pk, "orig": original.pk},
            actor=user,
        )
        if duplicate.email:
            transaction.on_commit(lambda: notify_reporter(duplicate, step, base_url))
    original.refresh_from_db()
    return original


def support_request(report: ServiceRequest, client: str, now: dt.datetime | None = None) -> bool:
    """Count one "me too" for an open report; each client once per report. True if counted."""
    now = now or timezone.now()
    if report.status not in OPEN_STATUSES:
        return False
    bucket = client_bucket(f"report-support{report.pk}", client)
    with transaction.atomic():
        if ratelimit.seen_since(bucket, now - dt.timedelta(days=1)):
            return False
        ratelimit.count(bucket, now)
        ServiceRequest.objects.filter(pk=report.pk).update(support_count=F("support_count") + 1)
    return True


def record_feedback(
    report: ServiceRequest, secret: str, solved: bool, now: dt.datetime | None = None
) -> None:
    """The reporter says whether a closed report's problem is really solved. "No" opens the
    report again for review, with a public note."""
    now = now or timezone.now()
    if not secret or not hmac.compare_digest(secret, report.secret):
        raise WorkflowError(_("Dieser Link ist ungültig."))
    if report.status not in CLOSED_STATUSES or report.status == DUPLICATE:
        raise WorkflowError(_("Diese Meldung ist nicht abgeschlossen."))
    with transaction.atomic():
        if solved:
            report.feedback_solved = True
            report.feedback_at = now
            report.save(update_fields=["feedback_solved", "feedback_at"])
        else:
            _apply(
                report,
                REVIEWING,
                _("Laut meldender Person besteht das Problem weiter; wir prüfen es erneut."),
                "",
                None,
                now,
            )
            report.feedback_solved = False
            report.feedback_at = now
            report.save(update_fields=["feedback_solved", "feedback_at"])


def notify_reporter(report: ServiceRequest, step: StatusChange, base_url: str = "") -> int:
    """E-mail the reporter about a status change (plain text, German)."""
    if not report.email:
        return 0
    link = base_url.rstrip("/") + reverse("servicerequests:detail", args=[report.pk])
    lines = [
        _("Guten Tag,"),
        "",
        _("der Stand Ihrer Meldung Nr. %(id)s (%(category)s) hat sich geändert: %(status)s.")
        % {
            "id": report.pk,
            "category": report.category.name,
            "status": _status_label(step.new_status),
        },
    ]
    if step.public_note:
        lines += ["", _("Antwort der Verwaltung:"), step.public_note]
    lines += ["", _("Alle Schritte sehen Sie hier: %(link)s") % {"link": link}]
    if step.new_status in CLOSED_STATUSES and step.new_status != DUPLICATE:
        feedback = base_url.rstrip("/") + reverse(
            "servicerequests:feedback", args=[report.pk, report.secret]
        )
        lines += [
            "",
            _("Ist das Problem wirklich gelöst? Sagen Sie es uns: %(link)s") % {"link": feedback},
        ]
    lines += [
        "",
        _("Diese Nachricht wurde automatisch versandt; Ihre E-Mail-Adresse ist nicht öffentlich."),
    ]
    subject = _("Ihre Meldung Nr. %(id)s: %(status)s") % {
        "id": report.pk,
        "status": _status_label(step.new_status),
    }
    return alerts.send_logged([EmailMessage(subject, "\n".join(lines), None, [report.email])])


# --- API keys ------------------------------------------------------------------------------


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def create_api_key(name: str, *, user=None, rate_limit: int = 60) -> tuple[ApiKey, str]:
    """A new key for an Open311 client; the key itself is returned once and never stored."""
    name = " ".join(_clean_text(name).split())
    if not name:
        raise WorkflowError(_("Der Schlüssel braucht einen Namen, z. B. den der App."))
    raw = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name[:200],
        prefix=raw[:8],
        key_hash=_hash_key(raw),
        rate_limit=rate_limit,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    record(
        "servicerequests.apikey",
        _("API-Schlüssel „%(name)s“ angelegt") % {"name": key.name},
        actor=user,
    )
    return key, raw


def authenticate_key(raw: str) -> ApiKey | None:
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        return None
    return ApiKey.objects.filter(key_hash=_hash_key(raw), is_active=True).first()


# --- queries shared by the API and the public list -------------------------------------------


def filter_requests(
    queryset=None,
    *,
    ids: Iterable[int] | None = None,
    codes: Iterable[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    open311_statuses: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    area_ids: Iterable[int] | None = None,
):
    query = ServiceRequest.objects.all() if queryset is None else queryset
    if ids is not None:
        return query.filter(pk__in=list(ids))
    if codes:
        query = query.filter(category__code__in=list(codes))
    if start is not None:
        query = query.filter(requested_at__gte=start)
    if end is not None:
        query = query.filter(requested_at__lte=end)
    if open311_statuses:
        wanted = set(open311_statuses)
        if wanted == {"open"}:
            query = query.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            query = query.filter(status__in=CLOSED_STATUSES)
    if statuses:
        query = query.filter(status__in=list(statuses))
    if codes and not open311_statuses and not statuses:
        # every status, said explicitly: the index (category, status, requested_at) then
        # serves the date range too instead of reading all of a category's reports
        query = query.filter(status__in=[code for code, _label in STATUSES])
    if area_ids is not None:
        query = query.filter(area_id__in=list(area_ids))
    return query


# --- categories ----------------------------------------------------------------------------


def ensure_default_categories() -> int:
    """Add the default departments and categories (with their questions) that are missing;
    a city's own changes are kept. Returns the number of categories created."""
    from gemeinsinn.servicerequests import default_categories as defaults
    from gemeinsinn.servicerequests.models import Attribute, AttributeValue, Department

    created = 0
    with transaction.atomic():
        departments = {}
        for name, name_en in defaults.DEPARTMENTS:
            departments[name], _new = Department.objects.get_or_create(
                name=name, defaults={"name_en": name_en}
            )
        for order, row in enumerate(defaults.CATEGORIES, start=1):
            code, name, name_en, group, keywords, department, days, text, text_en, questions = row
            if Category.objects.filter(code=code).exists():
                continue
            category = Category.objects.create(
                code=code,
                name=name,
                name_en=name_en,
                group=group,
                keywords=keywords,
                department=departments[department],
                expected_days=days,
                description=text,
                description_en=text_en,
                order=order,
            )
            created += 1
            for number, question in enumerate(questions, start=1):
                a_code, a_text, a_text_en, datatype, required, hint, choices = question
                attribute = Attribute.objects.create(
                    category=category,
                    code=a_code,
                    description=a_text,
                    description_en=a_text_en,
                    datatype=datatype,
                    required=required,
                    datatype_description=hint,
                    order=number,
                )
                AttributeValue.objects.bulk_create(
                    AttributeValue(
                        attribute=attribute, key=key, name=v_name, name_en=v_name_en, order=i
                    )
                    for i, (key, v_name, v_name_en) in enumerate(choices)
                )
    return created
