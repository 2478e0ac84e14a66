"""Use cases of ideas and proposals. Pages, the demo and the tests call these functions.

Every error a person can cause raises :class:`IdeaError` with a German message (and the form
field it belongs to); nothing has been stored or changed then. User text is sanitised with
nh3 to plain text: tags are removed (a link keeps only its text), line breaks stay; the
templates escape it when they show it."""

import datetime as dt
import html
import math
import re
from dataclasses import dataclass

import nh3
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.accounts import roles
from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area, Boundary
from gemeinsinn.core import images, mail
from gemeinsinn.core.clients import client_bucket
from gemeinsinn.core.models import record
from gemeinsinn.ideas.models import (
    COLLECT,
    COMMENT,
    NOT_STARTED,
    RECEIVED,
    STATUSES,
    AbuseReport,
    BlockedUser,
    Category,
    Comment,
    Follow,
    Idea,
    Process,
    StatusChange,
    Support,
)

DEFAULT_CATEGORIES = [
    "Partizipation und Vernetzung",
    "Bildung und Erziehung",
    "Arbeitsmarkt",
    "Existenzsicherung",
    "Wohnen und Wohnumgebung",
]
MAX_TITLE = 150
MAX_TEXT = 5000
MAX_COMMENT = 2000
MAX_REASON = 500
MAX_ANSWER = 5000
IDEA_LIMIT = 5  # ideas per account …
COMMENT_LIMIT = 20  # comments per account …
CLIENT_FACTOR = 3  # … and three times as many per client address (a family, an office)
FLOOD_WINDOW = dt.timedelta(hours=1)  # … within this time
REPEAT_WINDOW = dt.timedelta(minutes=30)  # the same text again within this time: a double submit
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n{3,}")


class IdeaError(Exception):
    """A user error with a German message; ``field`` names the form field, if any, and
    ``existing`` the idea a double submit already created."""

    def __init__(self, message: str, field: str = "", existing=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.existing = existing


# --- text and people -------------------------------------------------------------------------


def clean_text(value) -> str:
    """Plain text from what a person typed: control characters and every tag removed (also
    tags written as entities, e.g. &lt;script&gt;), line breaks kept, at most one empty line
    in a row."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    for _round in range(5):
        cleaned = html.unescape(nh3.clean(text, tags=set(), attributes={}))
        if cleaned == text:
            break
        text = cleaned
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _checked_text(value, *, field: str, what: str, limit: int, required: bool = True) -> str:
    text = clean_text(value)
    if required and not text:
        raise IdeaError(_("Bitte schreiben Sie %(what)s.") % {"what": what}, field)
    if len(text) > limit:
        raise IdeaError(
            _(
                "%(what)s ist %(length)d Zeichen lang; erlaubt sind höchstens %(max)d. "
                "Bitte kürzen Sie den Text."
            )
            % {"what": what[:1].upper() + what[1:], "length": len(text), "max": limit},
            field,
        )
    return text


def is_blocked(user) -> bool:
    return bool(user and user.is_authenticated and BlockedUser.objects.filter(user=user).exists())


def may_moderate(user) -> bool:
    return bool(user and user.is_authenticated) and (
        user.is_superuser or roles.has_role(user, roles.MODERATION)
    )


def may_answer(user) -> bool:
    return bool(user and user.is_authenticated) and (
        user.is_superuser
        or roles.has_role(user, roles.DEPARTMENT)
        or roles.has_role(user, roles.PLANNING)
    )


def participation_problem(user) -> str:
    """Why this person may not contribute (German), or an empty string."""
    if user is None or not user.is_authenticated:
        return _("Bitte melden Sie sich an, um mitzumachen.")
    if not user.is_active:
        return _("Ihr Konto ist nicht aktiv.")
    if is_blocked(user):
        return _(
            "Ihr Konto wurde von der Moderation für Beiträge gesperrt. Sie können weiter "
            "lesen; bei Fragen wenden Sie sich an die Verwaltung."
        )
    if user.is_staff or user.is_superuser:
        return ""
    profile = getattr(user, "profile", None)
    if profile is None or profile.email_confirmed_at is None:
        return _(
            "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse mit dem Link aus der "
            "Bestätigungs-E-Mail."
        )
    return ""


def _require_participant(user) -> None:
    problem = participation_problem(user)
    if problem:
        raise IdeaError(problem)


def display_name(user) -> str:
    profile = getattr(user, "profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name[:100]
    if user.is_staff:
        return (user.get_full_name() or user.get_username())[:100]
    return ""


def staff_name(user) -> str:
    return (user.get_full_name() or user.get_username())[:150]


# --- processes and categories ------------------------------------------------------------------


def ensure_default_categories() -> int:
    """Add the default fields of action that are missing; returns how many were created."""
    created = 0
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        _category, new = Category.objects.get_or_create(name=name, defaults={"order": order})
        created += int(new)
    return created


def current_process(now=None) -> Process | None:
    """The process that collects ideas now, else the one that started last."""
    now = now or timezone.now()
    running = (
        Process.objects.filter(collect_from__lte=now, collect_until__gt=now)
        .order_by("-collect_from")
        .first()
    )
    return running or Process.objects.filter(collect_from__lte=now).first()


def _phase_error(process: Process, now, action: str) -> IdeaError:
    phase = process.phase(now)
    dates = {
        "title": process.title,
        "start": timezone.localtime(process.collect_from).strftime("%d.%m.%Y"),
        "end": timezone.localtime(process.collect_until).strftime("%d.%m.%Y"),
        "comment_end": timezone.localtime(process.comment_until).strftime("%d.%m.%Y"),
    }
    if phase == NOT_STARTED:
        message = _(
            "Im Verfahren „%(title)s“ können Sie ab dem %(start)s mitmachen; jetzt ist das "
            "noch nicht möglich."
        )
    elif phase == COMMENT and action == "idea":
        message = _(
            "Ideen konnten im Verfahren „%(title)s“ bis zum %(end)s eingereicht werden. Jetzt "
            "können Sie die Ideen noch bis zum %(comment_end)s kommentieren."
        )
    else:
        message = _(
            "Das Verfahren „%(title)s“ ist abgeschlossen; seit dem %(comment_end)s sind keine "
            "Beiträge mehr möglich. Die Antworten der Verwaltung können Sie weiter lesen."
        )
    return IdeaError(message % dates)


def submission_problem(process: Process | None, now=None) -> str:
    """Why ideas cannot be submitted to the process now (German), or an empty string."""
    now = now or timezone.now()
    if process is None:
        return _("Zurzeit läuft kein Beteiligungsverfahren, das Ideen sammelt.")
    if process.phase(now) != COLLECT:
        return _phase_error(process, now, "idea").message
    return ""


def _check_phase(process: Process, now, action: str) -> None:
    allowed = {"idea": {COLLECT}, "comment": {COLLECT, COMMENT}, "support": {COLLECT, COMMENT}}
    if process.phase(now) not in allowed[action]:
        raise _phase_error(process, now, action)


# --- flood protection ------------------------------------------------------------------------


def client_key(client: str) -> str:
    return client_bucket("ideas", client) if client else ""


def _check_flood(model, user, key: str, limit: int, now, what: str) -> None:
    """Refuse when the account reached ``limit`` contributions within FLOOD_WINDOW, or the
    client address CLIENT_FACTOR times as many."""
    since = now - FLOOD_WINDOW
    recent = model.objects.filter(created_at__gte=since, created_at__lte=now)
    times = list(
        recent.filter(author=user).order_by("created_at").values_list("created_at", flat=True)
    )
    if len(times) < limit and key:
        limit *= CLIENT_FACTOR
        times = list(
            recent.filter(client_key=key)
            .order_by("created_at")
            .values_list("created_at", flat=True)
        )
    if len(times) >= limit:
        wait = (times[0] + FLOOD_WINDOW - now).total_seconds()
        raise IdeaError(
            _(
                "Von Ihrem Konto oder Anschluss kamen in kurzer Zeit zu viele %(what)s "
                "(höchstens %(limit)d in %(window)d Minuten). Bitte versuchen Sie es in "
                "%(minutes)d Minuten noch einmal."
            )
            % {
                "what": what,
                "limit": limit,
                "window": FLOOD_WINDOW.total_seconds() // 60,
                "minutes": max(1, math.ceil(wait / 60)),
            }
        )


# --- submitting an idea ----------------------------------------------------------------------


@dataclass
class IdeaInput:
    """An idea as the form sends it: nothing checked yet."""

    title: str = ""
    text: str = ""
    category: Category | int | str | None = None
    area: Area | int | str | None = None
    lat: str | float | None = None
    long: str | float | None = None
    image: object = None  # an uploaded file or None


def _coordinate(value, name: str, low: float, high: float, field: str) -> float | None:
    text = clean_text(value).replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise IdeaError(
            _("%(name)s „%(value)s“ ist keine Zahl. Schreiben Sie z. B. 51.2105.")
            % {"name": name, "value": text[:40]},
            field,
        ) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise IdeaError(
            _("%(name)s %(value)s liegt nicht zwischen %(low)s und %(high)s.")
            % {"name": name, "value": text[:40], "low": low, "high": high},
            field,
        )
    return number


def _resolve(model, value):
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    try:
        return model.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


def _place(given: IdeaInput) -> tuple[Area | None, float | None, float | None]:
    area = _resolve(Area, given.area)
    if given.area not in (None, "") and area is None:
        raise IdeaError(_("Dieses Gebiet gibt es nicht. Bitte wählen Sie aus der Liste."), "area")
    lat = _coordinate(given.lat, _("Breitengrad"), -90.0, 90.0, "lat")
    lon = _coordinate(given.long, _("Längengrad"), -180.0, 180.0, "long")
    if (lat is None) != (lon is None):
        raise IdeaError(
            _("Für einen Punkt braucht es Breiten- und Längengrad."),
            "long" if lon is None else "lat",
        )
    if lat is not None:
        level = area_services.finest_level()
        if level is not None and Boundary.objects.filter(area__level=level).exists():
            located = area_services.locate(lon, lat, level)
            if located is None:
                raise IdeaError(
                    _(
                        "Der Punkt %(lat)s, %(lon)s liegt nicht im Stadtgebiet. Bitte wählen "
                        "Sie einen Ort in der Stadt."
                    )
                    % {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}"},
                    "lat",
                )
            if area is not None and area.pk != located.pk and not _contains(area, located):
                raise IdeaError(
                    _(
                        "Der Punkt auf der Karte liegt in %(point)s, gewählt ist aber "
                        "%(area)s. Bitte passen Sie eines von beiden an."
                    )
                    % {"point": located.name, "area": area.name},
                    "area",
                )
            area = area or located
    if area is None:
        raise IdeaError(
            _(
                "Bitte wählen Sie das Gebiet, um das es geht, oder setzen Sie einen Punkt auf "
                "der Karte."
            ),
            "area",
        )
    return area, lat, lon


def _contains(ancestor: Area, area: Area) -> bool:
    seen = 0
    while area is not None and seen < 20:
        if area.pk == ancestor.pk:
            return True
        area = area.parent
        seen += 1
    return False


def _checked_content(given: IdeaInput) -> tuple[str, str, Category]:
    title = " ".join(
        _checked_text(given.title, field="title", what=_("einen Titel"), limit=MAX_TITLE).split()
    )
    text = _checked_text(given.text, field="text", what=_("Ihre Idee"), limit=MAX_TEXT)
    category = _resolve(Category, given.category)
    if category is None or not category.is_active:
        raise IdeaError(_("Bitte wählen Sie ein Handlungsfeld aus der Liste."), "category")
    return title, text, category


def submit_idea(
    user, process: Process, given: IdeaInput, *, client: str = "", now=None, base_url: str = ""
) -> Idea:
    """Check everything, then store the idea in one transaction; the author follows it.
    Raises IdeaError (nothing stored) for any problem: outside the collecting phase, a
    blocked or unconfirmed account, a flood, missing or too long text, a bad image."""
    now = now or timezone.now()
    _require_participant(user)
    _check_phase(process, now, "idea")
    key = client_key(client)
    _check_flood(Idea, user, key, IDEA_LIMIT, now, _("Ideen"))
    title, text, category = _checked_content(given)
    area, lat, lon = _place(given)
    repeated = Idea.objects.filter(
        author=user, title=title, text=text, created_at__gte=now - REPEAT_WINDOW
    ).first()
    if repeated is not None:
        raise IdeaError(
            _(
                "Diese Idee haben Sie eben schon eingereicht (vielleicht wurde das Formular "
                "zweimal gesendet). Sie ist gespeichert; eine zweite legen wir nicht an."
            ),
            existing=repeated,
        )
    photo = None
    if given.image:
        try:
            photo = images.reencode_photo(
                given.image, getattr(given.image, "name", "") or _("Bild")
            )
        except images.PhotoRejected as error:
            raise IdeaError(str(error), "image") from None
    saved = ""
    try:
        with transaction.atomic():
            _check_flood(Idea, user, key, IDEA_LIMIT, now, _("Ideen"))
            idea = Idea.objects.create(
                process=process,
                title=title,
                text=text,
                category=category,
                area=area,
                lat=lat,
                long=lon,
                author=user,
                author_name=display_name(user),
                client_key=key,
                status=RECEIVED,
                created_at=now,
            )
            if photo is not None:
                idea.image.save(f"idee-{idea.pk}.jpg", ContentFile(photo.content), save=False)
                saved = idea.image.name
                idea.image_width, idea.image_height = photo.width, photo.height
                idea.save(update_fields=["image", "image_width", "image_height"])
            StatusChange.objects.create(
                idea=idea, old_status="", new_status=RECEIVED, created_at=now
            )
            Follow.objects.get_or_create(idea=idea, user=user, defaults={"created_at": now})
    except BaseException:
        if saved:
            default_storage.delete(saved)
        raise
    return idea


def record_event_result(staff, process: Process, event, given: IdeaInput, *, now=None) -> Idea:
    """A result of a workshop at an event, recorded by staff as an idea of the event (and of
    its district, unless another one is given), so that it gets a status, an official answer
    and counts in the statistics like every idea. No phase or flood check: the workshop took
    place. Raises IdeaError (nothing stored) for missing or bad fields."""
    now = now or timezone.now()
    if not may_answer(staff):
        raise IdeaError(
            _("Nur Fachämter und Sozialplanung können Ergebnisse von Veranstaltungen erfassen.")
        )
    title, text, category = _checked_content(given)
    if given.area in (None, "") and given.lat in (None, "") and event.area_id:
        given.area = event.area
    area, lat, lon = _place(given)
    with transaction.atomic():
        idea = Idea.objects.create(
            process=process,
            event=event,
            title=title,
            text=text,
            category=category,
            area=area,
            lat=lat,
            long=lon,
            author_name=event.title[:100],
            status=RECEIVED,
            created_at=now,
        )
        StatusChange.objects.create(
            idea=idea, old_status="", new_status=RECEIVED, by=staff, by_name=staff_name(staff),
            created_at=now,
        )  # fmt: skip
        record(
            "ideas.event_result",
            _("Ergebnis der Veranstaltung %(event)s als Idee %(id)s erfasst")
            % {"event": event.pk, "id": idea.pk},
            actor=staff,
        )
    return idea


# --- support, comments, following ------------------------------------------------------------


def support(idea: Idea, user, *, now=None) -> Idea:
    """One "unterstützen" per person and idea."""
    now = now or timezone.now()
    _require_participant(user)
    if idea.is_hidden:
        raise IdeaError(_("Diese Idee ist ausgeblendet und kann nicht unterstützt werden."))
    _check_phase(idea.process, now, "support")
    if idea.author_id == user.pk:
        raise IdeaError(_("Ihre eigene Idee können Sie nicht unterstützen."))
    if Support.objects.filter(idea=idea, user=user).exists():
        raise IdeaError(_("Sie unterstützen diese Idee bereits. Jede Person zählt einmal."))
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user, created_at=now)
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:  # the same person at the same moment in a second tab
        raise IdeaError(
            _("Sie unterstützen diese Idee bereits. Jede Person zählt einmal.")
        ) from None
    idea.refresh_from_db(fields=["support_count"])
    return idea


def comment(
    idea: Idea,
    user,
    text,
    *,
    parent: Comment | None = None,
    client: str = "",
    now=None,
    base_url: str = "",
    notify: bool = True,
) -> Comment:
    """A comment on an idea or a reply to a comment (one level: a reply to a reply is
    attached to the first comment). Followers are told by e-mail."""
    now = now or timezone.now()
    _require_participant(user)
    if idea.is_hidden:
        raise IdeaError(_("Diese Idee ist ausgeblendet und kann nicht kommentiert werden."))
    _check_phase(idea.process, now, "comment")
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise IdeaError(_("Dieser Kommentar gehört zu einer anderen Idee."), "text")
        if parent.parent_id:
            parent = parent.parent
    body = _checked_text(text, field="text", what=_("Ihren Kommentar"), limit=MAX_COMMENT)
    if Comment.objects.filter(
        idea=idea, author=user, text=body, created_at__gte=now - REPEAT_WINDOW
    ).exists():
        raise IdeaError(
            _(
                "Diesen Kommentar haben Sie eben schon geschrieben (vielleicht wurde das "
                "Formular zweimal gesendet). Er ist gespeichert."
            ),
            "text",
        )
    key = client_key(client)
    _check_flood(Comment, user, key, COMMENT_LIMIT, now, _("Kommentare"))
    with transaction.atomic():
        _check_flood(Comment, user, key, COMMENT_LIMIT, now, _("Kommentare"))
        created = Comment.objects.create(
            idea=idea,
            parent=parent,
            author=user,
            author_name=display_name(user),
            client_key=key,
            text=body,
            created_at=now,
        )
        name = display_name(user) or _("anonym")
        if notify:
            _notify_later(
                idea,
                _("Neuer Kommentar zur Idee „%(title)s“") % {"title": idea.title},
                [
                    _("%(name)s hat die Idee „%(title)s“ kommentiert:")
                    % {"name": name, "title": idea.title},
                    "",
                    body,
                ],
                base_url,
                exclude=user,
            )
    return created


def follow(idea: Idea, user, on: bool = True) -> bool:
    """Follow (or stop following) an idea; returns whether the person follows it now."""
    if user is None or not user.is_authenticated:
        raise IdeaError(_("Bitte melden Sie sich an, um einer Idee zu folgen."))
    if on:
        if not user.email:
            raise IdeaError(_("Ihr Konto hat keine E-Mail-Adresse für Benachrichtigungen."))
        Follow.objects.get_or_create(idea=idea, user=user)
        return True
    Follow.objects.filter(idea=idea, user=user).delete()
    return False


def report_abuse(user, idea: Idea, reason, *, comment: Comment | None = None, now=None):
    """Tell the moderation about an abusive idea or comment."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        raise IdeaError(_("Bitte melden Sie sich an, um einen Beitrag zu melden."))
    if comment is not None and comment.idea_id != idea.pk:
        raise IdeaError(_("Dieser Kommentar gehört zu einer anderen Idee."))
    text = _checked_text(
        reason, field="reason", what=_("kurz, was an dem Beitrag nicht in Ordnung ist"),
        limit=MAX_REASON,
    )  # fmt: skip
    if AbuseReport.objects.filter(
        idea=idea, comment=comment, reporter=user, resolved_at__isnull=True
    ).exists():
        raise IdeaError(_("Sie haben diesen Beitrag bereits gemeldet; die Moderation prüft ihn."))
    return AbuseReport.objects.create(
        idea=idea, comment=comment, reporter=user, reason=text, created_at=now
    )


# --- moderation ------------------------------------------------------------------------------


def hide(target: Idea | Comment, moderator, reason, *, now=None) -> None:
    """Hide an idea or a comment with a public reason; open reports on it are resolved."""
    now = now or timezone.now()
    if not may_moderate(moderator):
        raise IdeaError(_("Nur die Moderation kann Beiträge ausblenden."))
    text = " ".join(
        _checked_text(
            reason, field="reason", what=_("einen öffentlichen Grund"), limit=MAX_REASON
        ).split()
    )
    if target.is_hidden:
        raise IdeaError(_("Dieser Beitrag ist bereits ausgeblendet."))
    with transaction.atomic():
        target.is_hidden = True
        target.hidden_reason = text
        target.hidden_at = now
        target.save(update_fields=["is_hidden", "hidden_reason", "hidden_at"])
        reports = AbuseReport.objects.filter(resolved_at__isnull=True)
        if isinstance(target, Comment):
            reports = reports.filter(comment=target)
            what = _("Kommentar %(id)s ausgeblendet: %(reason)s")
        else:
            reports = reports.filter(idea=target, comment__isnull=True)
            what = _("Idee %(id)s ausgeblendet: %(reason)s")
        reports.update(resolved_at=now, resolved_by=moderator)
        record("ideas.hide", what % {"id": target.pk, "reason": text}, actor=moderator)


def dismiss_reports(moderator, reports, *, now=None) -> int:
    """Close abuse reports without hiding anything."""
    if not may_moderate(moderator):
        raise IdeaError(_("Nur die Moderation kann Meldungen bearbeiten."))
    return AbuseReport.objects.filter(pk__in=[r.pk for r in reports]).update(
        resolved_at=now or timezone.now(), resolved_by=moderator
    )


def block_user(user, moderator, reason, *, now=None) -> BlockedUser:
    """Block an account from contributing; what it wrote stays (hide it separately)."""
    now = now or timezone.now()
    if not may_moderate(moderator):
        raise IdeaError(_("Nur die Moderation kann Konten sperren."))
    if user is None:
        raise IdeaError(_("Dieses Konto gibt es nicht mehr."))
    if user.pk == moderator.pk or user.is_staff:
        raise IdeaError(_("Konten der Verwaltung können hier nicht gesperrt werden."))
    text = " ".join(
        _checked_text(reason, field="reason", what=_("einen Grund"), limit=MAX_REASON).split()
    )
    if BlockedUser.objects.filter(user=user).exists():
        raise IdeaError(_("Dieses Konto ist bereits gesperrt."))
    with transaction.atomic():
        block = BlockedUser.objects.create(
            user=user, reason=text, blocked_by=moderator, created_at=now
        )
        record(
            "ideas.block",
            _("Konto %(id)s für Beiträge gesperrt: %(reason)s") % {"id": user.pk, "reason": text},
            actor=moderator,
        )
    return block


def moderation_queue(now=None, days: int = 14) -> dict:
    """Open abuse reports, and the ideas and comments of the last ``days`` days."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    return {
        "reports": list(
            AbuseReport.objects.filter(resolved_at__isnull=True).select_related(
                "idea", "comment", "reporter"
            )
        ),
        "ideas": list(
            Idea.objects.filter(created_at__gte=since, is_hidden=False)
            .select_related("author", "area", "category")
            .order_by("-created_at")[:100]
        ),
        "comments": list(
            Comment.objects.filter(created_at__gte=since, is_hidden=False)
            .select_related("author", "idea")
            .order_by("-created_at")[:100]
        ),
    }


# --- accountability: status and official answers -----------------------------------------


def _status_label(status: str) -> str:
    return str(dict(STATUSES).get(status, status))


def change_status(
    idea: Idea,
    staff,
    new_status: str,
    note="",
    *,
    now=None,
    base_url: str = "",
    notify: bool = True,
) -> StatusChange:
    """A new status, with an optional public note; followers are told by e-mail. Accepting
    nothing new (same status, no note) is refused."""
    return _update(
        idea, staff, new_status=new_status, note=note, now=now, base_url=base_url, notify=notify
    )


def answer_idea(
    idea: Idea,
    staff,
    answer,
    *,
    new_status: str | None = None,
    now=None,
    base_url: str = "",
    notify: bool = True,
) -> StatusChange:
    """The official public answer of the administration (replacing an earlier one), with who
    and when, optionally with a new status; followers are told by e-mail."""
    text = _checked_text(answer, field="answer", what=_("die Antwort"), limit=MAX_ANSWER)
    return _update(
        idea,
        staff,
        new_status=new_status or idea.status,
        note=text,
        answer=True,
        now=now,
        base_url=base_url,
        notify=notify,
    )


def _update(idea, staff, *, new_status, note, answer=False, now=None, base_url="", notify=True):
    now = now or timezone.now()
    if not may_answer(staff):
        raise IdeaError(
            _("Nur Fachämter und Sozialplanung können Ideen beantworten und ihren Stand ändern.")
        )
    if new_status not in dict(STATUSES):
        raise IdeaError(_("Den Stand „%(status)s“ gibt es nicht.") % {"status": new_status})
    note = _checked_text(note, field="answer", what=_("die Antwort"), limit=MAX_ANSWER,
                         required=False)  # fmt: skip
    changed = new_status != idea.status
    if not changed and not note:
        raise IdeaError(_("Nichts zu speichern: Stand und Antwort sind unverändert."))
    with transaction.atomic():
        step = StatusChange.objects.create(
            idea=idea,
            old_status=idea.status,
            new_status=new_status,
            note=note,
            by=staff,
            by_name=staff_name(staff),
            created_at=now,
        )
        fields = ["status"]
        idea.status = new_status
        if answer:
            idea.answer = note
            idea.answered_by = staff
            idea.answered_by_name = staff_name(staff)
            idea.answered_at = now
            fields += ["answer", "answered_by", "answered_by_name", "answered_at"]
        idea.save(update_fields=fields)
        record(
            "ideas.answer" if answer else "ideas.status",
            _("Idee %(id)s: %(old)s → %(new)s")
            % {
                "id": idea.pk,
                "old": _status_label(step.old_status),
                "new": _status_label(new_status),
            },
            actor=staff,
        )
        lines = []
        if changed:
            lines.append(
                _("Der Stand der Idee „%(title)s“ ist jetzt: %(status)s.")
                % {"title": idea.title, "status": _status_label(new_status)}
            )
        if note:
            lines += [
                "",
                _("Antwort der Verwaltung (%(name)s):") % {"name": step.by_name},
                note,
            ]
        subject = (
            _("Antwort der Verwaltung zur Idee „%(title)s“")
            if note
            else _("Neuer Stand der Idee „%(title)s“")
        ) % {"title": idea.title}
        if notify:
            _notify_later(idea, subject, lines, base_url, exclude=staff)
    return step


# --- notifications ---------------------------------------------------------------------------


def _notify_later(idea: Idea, subject: str, lines: list[str], base_url: str, exclude=None):
    recipients = list(
        Follow.objects.filter(idea=idea, user__is_active=True)
        .exclude(user__email="")
        .exclude(user=exclude)
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return
    link = base_url.rstrip("/") + reverse("ideas:detail", args=[idea.pk])
    body = "\n".join(
        [_("Guten Tag,"), "", *lines, "", _("Zur Idee: %(link)s") % {"link": link}, "",
         _("Sie erhalten diese Nachricht, weil Sie der Idee folgen. Abbestellen können Sie "
           "auf der Seite der Idee („Nicht mehr folgen“).")]
    )  # fmt: skip
    send_after_commit(recipients, subject, body)


def supporter_addresses(ideas) -> list[str]:
    """The e-mail addresses of the active accounts that supported any of the ideas."""
    return sorted(
        set(
            Support.objects.filter(idea__in=ideas, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def send_after_commit(recipients: list[str], subject: str, body: str) -> None:
    """One e-mail per recipient, sent only when the transaction has been committed."""
    mail.send_after_commit([EmailMessage(subject, body, None, [a]) for a in recipients])


# --- lists and statistics --------------------------------------------------------------------


def public_ideas():
    return Idea.objects.filter(is_hidden=False).select_related("category", "area", "process")


def _descendants(area: Area) -> list[int]:
    found, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found.extend(frontier)
    return found


def filter_ideas(*, area: Area | None = None, category=None, status: str = "", query=None):
    ideas = public_ideas() if query is None else query
    if area is not None:
        ideas = ideas.filter(area_id__in=_descendants(area))
    if category is not None:
        ideas = ideas.filter(category=category)
    if status:
        ideas = ideas.filter(status=status)
    return ideas


def area_summary(area: Area) -> dict:
    """For the district profile: the number of visible ideas in the area (and the areas
    inside it) and the list with their status, newest first."""
    ideas = list(filter_ideas(area=area).order_by("-created_at", "-id"))
    return {"count": len(ideas), "ideas": ideas}


@dataclass
class DistrictRow:
    area: Area | None
    ideas: int
    answered: int

    @property
    def unanswered(self) -> int:
        return self.ideas - self.answered

    @property
    def share_answered(self) -> float | None:
        return self.answered / self.ideas if self.ideas else None


def district_statistics() -> list[DistrictRow]:
    """Answered and unanswered visible ideas per district of the finest level (every
    district, also those without ideas), then ideas without a district."""
    counts = {
        row["area_id"]: (row["total"], row["answered"])
        for row in public_ideas()
        .values("area_id")
        .annotate(total=Count("id"), answered=Count("id", filter=~Q(answer="")))
    }
    level = area_services.finest_level()
    rows = []
    if level is not None:
        for area in Area.objects.filter(level=level).order_by("key"):
            total, answered = counts.pop(area.pk, (0, 0))
            rows.append(DistrictRow(area, total, answered))
    for pk, (total, answered) in sorted((k, v) for k, v in counts.items() if k is not None):
        rows.append(DistrictRow(Area.objects.get(pk=pk), total, answered))
    if None in counts:
        total, answered = counts[None]
        rows.append(DistrictRow(None, total, answered))
    return rows
