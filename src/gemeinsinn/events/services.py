"""Use cases of events. Pages, the demo, the command and the tests call these functions.

Registration is double opt-in: a registration holds no seat until its e-mail link is opened;
then it is confirmed while seats are free, else it joins the waiting list (in the order of
confirmation). When a confirmed participant cancels, the first on the waiting list moves up
and is told by e-mail. Every error a person can cause raises :class:`EventError` with a
German message; nothing has been stored or changed then."""

import datetime as dt
import math
import secrets
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.accounts import roles
from gemeinsinn.areas.models import Area
from gemeinsinn.core import mail
from gemeinsinn.core.clients import client_bucket
from gemeinsinn.core.models import record
from gemeinsinn.events.models import (
    CANCELLED,
    CONFIRMED,
    SECTORS,
    UNCONFIRMED,
    WAITING,
    Event,
    Registration,
)
from gemeinsinn.ideas import services as idea_services

MAX_NAME = 150
MAX_ORGANISATION = 200
MAX_NEEDS = 1000
CONFIRMATION_DAYS = 3  # an unconfirmed registration expires after this time
RESEND_AFTER = dt.timedelta(minutes=10)  # the confirmation e-mail again at most this often
REGISTRATION_LIMIT = 10  # registrations per client address …
FLOOD_WINDOW = dt.timedelta(hours=1)  # … within this time
ERASE_AFTER = dt.timedelta(days=90)  # personal data of registrations is erased after the event


class EventError(Exception):
    """A user error with a German message; ``field`` names the form field, if any."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y")


def _day_time(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y, %H:%M Uhr")


def may_manage(user) -> bool:
    """Planners, departments and administrators create events and see the attendees."""
    return bool(user and user.is_authenticated) and (
        user.is_superuser
        or any(
            roles.has_role(user, role)
            for role in (roles.PLANNING, roles.DEPARTMENT, roles.ADMINISTRATION)
        )
    )


# --- events ----------------------------------------------------------------------------------


def event_problems(event: Event) -> list[tuple[str, str]]:
    """What is wrong with an event's settings, as (field, German message)."""
    problems = []
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        problems.append(("ends_at", _("Das Ende muss nach dem Beginn liegen.")))
    if event.registration_opens and event.registration_closes:
        if event.registration_closes <= event.registration_opens:
            problems.append(
                ("registration_closes", _("Die Anmeldung muss nach ihrem Beginn enden."))
            )
        elif event.starts_at and event.registration_closes > event.starts_at:
            problems.append(
                (
                    "registration_closes",
                    _("Die Anmeldung muss spätestens mit Beginn der Veranstaltung enden."),
                )
            )
    if event.capacity is not None and event.capacity < 1:
        problems.append(("capacity", _("Es braucht mindestens einen Platz.")))
    if (event.lat is None) != (event.long is None):
        problems.append(("long", _("Für einen Punkt auf der Karte braucht es beide Koordinaten.")))
    return problems


def save_event(staff, event: Event, *, now=None, base_url: str = "") -> Event:
    """Create or change an event; when the capacity grows, the waiting list moves up."""
    if not may_manage(staff):
        raise EventError(_("Nur Sozialplanung und Fachämter können Veranstaltungen bearbeiten."))
    problems = event_problems(event)
    if problems:
        field, message = problems[0]
        raise EventError(message, field)
    created = event.pk is None
    with transaction.atomic():
        if created:
            event.created_by = staff
        event.save()
        record(
            "events.create" if created else "events.change",
            (_("Veranstaltung %(id)s angelegt: %(title)s") if created
             else _("Veranstaltung %(id)s geändert: %(title)s"))
            % {"id": event.pk, "title": event.title},
            actor=staff,
        )  # fmt: skip
        if not created:
            _fill_seats(event, now or timezone.now(), base_url)
    return event


def public_events():
    return Event.objects.filter(is_public=True).select_related("area")


def _related_areas(area: Area) -> list[int]:
    """The area, the areas inside it and the areas it lies in."""
    found, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found.extend(frontier)
    parent = area.parent
    while parent is not None and parent.pk not in found:
        found.append(parent.pk)
        parent = parent.parent
    return found


def for_area(events, area: Area):
    """Events in the area, inside it, in an area containing it, or for the whole city."""
    return events.filter(Q(area_id__in=_related_areas(area)) | Q(area__isnull=True))


def upcoming(events, now=None):
    return events.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "id")


def past(events, now=None):
    return events.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-id")


def area_summary(area: Area, now=None) -> list[Event]:
    """For the district profile: the upcoming public events of the district."""
    return list(upcoming(for_area(public_events(), area), now))


@dataclass
class Seats:
    capacity: int
    confirmed: int
    waiting: int
    unconfirmed: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.confirmed)


def seats(event: Event) -> Seats:
    counts = Counter(event.registrations.values_list("status", flat=True))
    return Seats(event.capacity, counts[CONFIRMED], counts[WAITING], counts[UNCONFIRMED])


def registration_problem(event: Event, now=None) -> str:
    """Why nobody can register for the event now (German), or an empty string."""
    now = now or timezone.now()
    if not event.is_public:
        return _("Diese Veranstaltung ist noch nicht veröffentlicht.")
    if now < event.registration_opens:
        return _("Die Anmeldung ist ab dem %(day)s möglich, jetzt noch nicht.") % {
            "day": _day_time(event.registration_opens)
        }
    if now >= event.registration_closes:
        return _(
            "Die Anmeldung ist seit dem %(day)s geschlossen. Bei Fragen wenden Sie sich an die "
            "Verwaltung."
        ) % {"day": _day_time(event.registration_closes)}
    return ""


# --- registration ----------------------------------------------------------------------------


@dataclass
class RegistrationInput:
    """A registration as the form sends it: nothing checked yet."""

    name: str = ""
    email: str = ""
    organisation: str = ""
    sector: str = ""
    needs: str = ""
    consent: bool = False


def _checked(value, *, field: str, what: str, limit: int, required: bool = False) -> str:
    text = idea_services.clean_text(value)
    if required and not text:
        raise EventError(_("Bitte geben Sie %(what)s an.") % {"what": what}, field)
    if len(text) > limit:
        raise EventError(
            _("%(what)s ist %(length)d Zeichen lang; erlaubt sind höchstens %(max)d.")
            % {"what": what[:1].upper() + what[1:], "length": len(text), "max": limit},
            field,
        )
    return text


def _checked_input(event: Event, given: RegistrationInput) -> dict:
    name = " ".join(
        _checked(given.name, field="name", what=_("Ihren Namen"), limit=MAX_NAME, required=True)
        .split()
    )  # fmt: skip
    email = idea_services.clean_text(given.email).strip().lower()
    if not email:
        raise EventError(_("Bitte geben Sie Ihre E-Mail-Adresse an."), "email")
    try:
        validate_email(email)
    except ValidationError:
        raise EventError(
            _("„%(email)s“ ist keine gültige E-Mail-Adresse. Schreiben Sie z. B. name@beispiel.de.")
            % {"email": email[:80]},
            "email",
        ) from None
    organisation = _checked(
        given.organisation, field="organisation", what=_("die Organisation"),
        limit=MAX_ORGANISATION,
    )  # fmt: skip
    sector = (given.sector or "").strip()
    if sector and sector not in dict(SECTORS):
        raise EventError(_("Bitte wählen Sie den Bereich aus der Liste."), "sector")
    if event.has_sector() and not sector:
        raise EventError(
            _("Bitte wählen Sie den Bereich, in dem Sie arbeiten (z. B. Schule, Kita, Sport)."),
            "sector",
        )
    needs = _checked(
        given.needs, field="needs", what=_("der Unterstützungsbedarf"), limit=MAX_NEEDS
    )
    if not given.consent:
        raise EventError(
            _("Bitte bestätigen Sie, dass Sie die Hinweise zum Datenschutz gelesen haben."),
            "consent",
        )
    return {
        "name": name,
        "email": email,
        "organisation": organisation,
        "sector": sector,
        "needs": needs,
    }


def client_key(client: str) -> str:
    return client_bucket("events", client) if client else ""


def _check_flood(key: str, now) -> None:
    if not key:
        return
    times = list(
        Registration.objects.filter(
            client_key=key, created_at__gte=now - FLOOD_WINDOW, created_at__lte=now
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(times) >= REGISTRATION_LIMIT:
        wait = (times[0] + FLOOD_WINDOW - now).total_seconds()
        raise EventError(
            _(
                "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Anmeldungen (höchstens "
                "%(limit)d in %(window)d Minuten). Bitte versuchen Sie es in %(minutes)d Minuten "
                "noch einmal."
            )
            % {
                "limit": REGISTRATION_LIMIT,
                "window": FLOOD_WINDOW.total_seconds() // 60,
                "minutes": max(1, math.ceil(wait / 60)),
            }
        )


def _expired(registration: Registration, now) -> bool:
    return registration.status == UNCONFIRMED and registration.created_at < now - dt.timedelta(
        days=CONFIRMATION_DAYS
    )


def register(
    event: Event,
    given: RegistrationInput,
    *,
    client: str = "",
    now=None,
    base_url: str = "",
    notify: bool = True,
) -> Registration:
    """Store a registration (unconfirmed) and send the e-mail with the links to confirm and to
    cancel. A second registration with the same address is refused (for an unconfirmed one
    the e-mail goes out again); a cancelled or expired one is replaced."""
    now = now or timezone.now()
    erase_past_registrations(now)
    problem = registration_problem(event, now)
    if problem:
        raise EventError(problem)
    data = _checked_input(event, given)
    key = client_key(client)
    _check_flood(key, now)
    existing = Registration.objects.filter(event=event, email=data["email"]).first()
    if existing is not None and existing.status != CANCELLED and not _expired(existing, now):
        if existing.status == UNCONFIRMED:
            raise _resend_link(existing, now, base_url)
        raise EventError(
            _(
                "Mit der E-Mail-Adresse %(email)s ist bereits eine Anmeldung für diese "
                "Veranstaltung gespeichert (Stand: %(status)s). Jede Adresse kann sich einmal "
                "anmelden; zum Absagen nutzen Sie den Link aus der E-Mail."
            )
            % {"email": data["email"], "status": existing.get_status_display()},
            "email",
        )
    fields = {
        **data,
        "status": UNCONFIRMED,
        "token": secrets.token_urlsafe(32),
        "client_key": key,
        "created_at": now,
        "confirmed_at": None,
        "moved_up_at": None,
        "cancelled_at": None,
    }
    try:
        with transaction.atomic():
            _check_flood(key, now)
            if existing is not None:
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.save()
                registration = existing
            else:
                registration = Registration.objects.create(event=event, **fields)
            if notify:
                _send(registration, "events/mail/confirm.txt", base_url)
    except IntegrityError:  # the same address at the same moment in a second tab
        raise EventError(
            _("Mit dieser E-Mail-Adresse ist bereits eine Anmeldung eingegangen."), "email"
        ) from None
    return registration


def _resend_link(registration: Registration, now, base_url: str) -> EventError:
    """The confirmation e-mail again, at most once per RESEND_AFTER (no one can flood an
    inbox through the form), its link valid anew; returns the error that says so."""
    if registration.created_at > now - RESEND_AFTER:
        message = _(
            "Mit der E-Mail-Adresse %(email)s ist eben eine Anmeldung eingegangen. Bitte "
            "bestätigen Sie sie mit dem Link aus der E-Mail (schauen Sie auch im Spam-Ordner "
            "nach)."
        )
    else:
        _send(registration, "events/mail/confirm.txt", base_url)
        Registration.objects.filter(pk=registration.pk).update(created_at=now)
        message = _(
            "Mit der E-Mail-Adresse %(email)s ist bereits eine Anmeldung eingegangen, aber "
            "noch nicht bestätigt. Wir haben Ihnen den Bestätigungslink noch einmal geschickt."
        )
    return EventError(message % {"email": registration.email}, "email")


def by_token(token: str) -> Registration:
    registration = (
        Registration.objects.filter(token=str(token)[:64], erased_at__isnull=True)
        .select_related("event")
        .first()
    )
    if registration is None or not token:
        raise EventError(
            _(
                "Diesen Link kennen wir nicht. Bitte kopieren Sie ihn vollständig aus der "
                "E-Mail; nach einer neuen Anmeldung gilt nur der neue Link."
            )
        )
    return registration


def confirm(token: str, *, now=None) -> Registration:
    """The e-mail address is confirmed: a seat if one is free, else the waiting list.
    Opening the link again changes nothing."""
    now = now or timezone.now()
    registration = by_token(token)
    if registration.status != UNCONFIRMED:
        return registration
    event = registration.event
    if _expired(registration, now):
        raise EventError(
            _(
                "Der Bestätigungslink ist abgelaufen (gültig %(days)d Tage). Bitte melden Sie "
                "sich noch einmal an."
            )
            % {"days": CONFIRMATION_DAYS}
        )
    if now >= event.starts_at:
        raise EventError(
            _("Die Veranstaltung hat bereits begonnen; die Anmeldung ist geschlossen.")
        )
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)  # one seat assignment at a time
        registration.refresh_from_db()
        if registration.status == UNCONFIRMED:
            full = seats(event).free == 0
            registration.status = WAITING if full else CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
    return registration


def cancel(token: str, *, now=None, base_url: str = "", notify: bool = True) -> Registration:
    """Cancel a registration; a freed seat goes to the first on the waiting list."""
    now = now or timezone.now()
    registration = by_token(token)
    if registration.status == CANCELLED:
        raise EventError(_("Diese Anmeldung ist bereits abgesagt."))
    event = registration.event
    if now >= event.starts_at:
        raise EventError(
            _("Die Veranstaltung hat bereits begonnen; eine Absage ist nicht mehr möglich.")
        )
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        registration.status = CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        _fill_seats(event, now, base_url, notify)
    return registration


def _fill_seats(event: Event, now, base_url: str = "", notify: bool = True) -> list[Registration]:
    """Move people up from the waiting list while seats are free; they get an e-mail."""
    free = seats(event).free
    if free == 0 or now >= event.starts_at:
        return []
    moved = list(event.registrations.filter(status=WAITING).order_by("confirmed_at", "id")[:free])
    for registration in moved:
        registration.status = CONFIRMED
        registration.moved_up_at = now
        registration.save(update_fields=["status", "moved_up_at"])
        if notify:
            _send(registration, "events/mail/moved_up.txt", base_url)
    return moved


def _send(registration: Registration, template: str, base_url: str) -> None:
    """An e-mail to the registered address, sent when the transaction is committed."""
    base = base_url.rstrip("/")
    context = {
        "registration": registration,
        "event": registration.event,
        "starts": _day_time(registration.event.starts_at),
        "days": CONFIRMATION_DAYS,
        "confirm_link": base + reverse("events:confirm", args=[registration.token]),
        "cancel_link": base + reverse("events:cancel", args=[registration.token]),
        "event_link": base + reverse("events:detail", args=[registration.event.pk]),
        "seats_free": seats(registration.event).free,
    }
    body = render_to_string(template, context)
    subject, _sep, text = body.partition("\n\n")
    message = EmailMessage(
        subject.strip(), text.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [registration.email]
    )
    mail.send_after_commit([message])


# --- staff: attendees, exports, results ------------------------------------------------------


def attendees(event: Event) -> list[Registration]:
    """Confirmed, then the waiting list in its order, then unconfirmed and cancelled."""
    order = {CONFIRMED: 0, WAITING: 1, UNCONFIRMED: 2, CANCELLED: 3}
    rows = list(event.registrations.all())
    return sorted(rows, key=lambda r: (order[r.status], r.confirmed_at or r.created_at, r.pk))


def sector_counts(event: Event) -> list[tuple[str, int, int]]:
    """Per sector (as the form lists them, then without a sector): confirmed and waiting."""
    confirmed = Counter()
    waiting = Counter()
    for sector, status in event.registrations.values_list("sector", "status"):
        if status == CONFIRMED:
            confirmed[sector] += 1
        elif status == WAITING:
            waiting[sector] += 1
    rows = [
        (str(label), confirmed[code], waiting[code])
        for code, label in SECTORS
        if confirmed[code] or waiting[code]
    ]
    if confirmed[""] or waiting[""]:
        rows.append((_("ohne Angabe"), confirmed[""], waiting[""]))
    return rows


def attendee_table(event: Event) -> tuple[list[str], list[list]]:
    """The attendee list as header and rows for the CSV/XLSX download."""
    header = [
        _("Nr."), _("Name"), _("E-Mail"), _("Organisation"), _("Bereich"),
        _("Unterstützungsbedarf"), _("Stand"), _("Angemeldet am"), _("Bestätigt am"),
        _("Nachgerückt am"), _("Abgesagt am"),
    ]  # fmt: skip

    def when(moment):
        return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""

    rows = [
        [
            number,
            r.name,
            r.email,
            r.organisation,
            r.get_sector_display() if r.sector else "",
            r.needs,
            r.get_status_display(),
            when(r.created_at),
            when(r.confirmed_at),
            when(r.moved_up_at),
            when(r.cancelled_at),
        ]  # fmt: skip
        for number, r in enumerate(attendees(event), start=1)
    ]
    return header, rows


def result_process(event: Event):
    """The participation process a workshop result joins: the one collecting ideas at the
    time of the event, else the current one."""
    return idea_services.current_process(event.starts_at) or idea_services.current_process()


def record_result(event: Event, staff, given: idea_services.IdeaInput, *, now=None):
    """A workshop result of the event as an idea in the ideas pipeline."""
    process = result_process(event)
    if process is None:
        raise EventError(
            _(
                "Es gibt noch kein Beteiligungsverfahren für Ideen. Bitte legen Sie zuerst eines "
                "an; die Ergebnisse erscheinen dann bei den Ideen."
            )
        )
    try:
        return idea_services.record_event_result(staff, process, event, given, now=now)
    except idea_services.IdeaError as error:
        raise EventError(error.message, error.field) from None


# --- privacy ---------------------------------------------------------------------------------


def erase_past_registrations(now=None) -> int:
    """Erase name, e-mail, organisation and needs of the registrations of events that ended
    more than ERASE_AFTER ago; status and sector stay for the statistics. Returns how many
    registrations were erased."""
    now = now or timezone.now()
    erased = Registration.objects.filter(
        event__ends_at__lt=now - ERASE_AFTER, erased_at__isnull=True
    ).update(name="", email="", organisation="", needs="", client_key="", erased_at=now)
    if erased:
        record(
            "events.erase",
            _("Personendaten von %(count)d Anmeldungen vergangener Veranstaltungen gelöscht.")
            % {"count": erased},
        )
    return erased
