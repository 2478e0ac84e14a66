"""E-mail alerts for new reports in an area, with double opt-in: ordering one sends a
confirmation link, only confirmed alerts are sent, and every e-mail carries the link that
ends the alert. The addresses are private: never shown, never in the API, and the flood
limit keeps only a hash of the client's address."""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area
from gemeinsinn.core import mail, ratelimit
from gemeinsinn.core.clients import client_bucket
from gemeinsinn.servicerequests import conf
from gemeinsinn.servicerequests.models import AreaAlert, ServiceRequest

CONFIRM_DAYS = 7  # an unconfirmed alert is removed after this many days
ORDER_LIMIT = 5  # alerts ordered per client address …
ORDER_WINDOW = dt.timedelta(hours=1)  # … within this time


class AlertError(Exception):
    """A problem with an alert, as a German message; ``field`` is the form field (or "")."""

    def __init__(self, message: str, field: str = ""):
        self.field = field
        super().__init__(message)


def _link(base_url: str, name: str, token: str) -> str:
    return base_url.rstrip("/") + reverse(f"servicerequests:{name}", args=[token])


def send_logged(messages: list[EmailMessage]) -> int:
    """Send the e-mails through the Mängelmelder's mail backend (see ``conf``)."""
    return mail.send_logged(messages, conf.email_backend())


def _message(alert: AreaAlert, subject: str, lines: list[str], base_url: str) -> EmailMessage:
    end = _link(base_url, "alert_end", alert.token)
    lines += [
        "",
        _("Benachrichtigung abbestellen: %(link)s") % {"link": end},
        _("Diese Nachricht wurde automatisch versandt; Ihre E-Mail-Adresse ist nicht öffentlich."),
    ]
    return EmailMessage(
        subject, "\n".join(lines), None, [alert.email], headers={"List-Unsubscribe": f"<{end}>"}
    )


def order(email: str, area_id, *, client: str, base_url: str, now=None) -> AreaAlert:
    """Order an alert for new reports in an area: stored unconfirmed, and a confirmation
    link is mailed. For an alert that is already active, a reminder with the link that ends
    it is mailed instead, so the page never tells whether an address is known."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise AlertError(
            _("„%(value)s“ ist keine gültige E-Mail-Adresse, z. B. name@example.org.")
            % {"value": email[:80]},
            "email",
        ) from None
    area = Area.objects.filter(pk=area_id).first() if str(area_id or "").isdigit() else None
    if area is None:
        raise AlertError(_("Bitte wählen Sie ein Gebiet aus der Liste."), "gebiet")
    bucket = client_bucket("report-alert", client)
    with transaction.atomic():
        if ratelimit.wait_seconds(bucket, ORDER_LIMIT, int(ORDER_WINDOW.total_seconds()), now):
            raise AlertError(
                _(
                    "Von Ihrem Anschluss wurden in der letzten Stunde zu viele "
                    "Benachrichtigungen bestellt. Bitte versuchen Sie es später noch einmal."
                )
            )
        ratelimit.count(bucket, now)
        AreaAlert.objects.filter(
            confirmed_at__isnull=True, created_at__lt=now - dt.timedelta(days=CONFIRM_DAYS)
        ).delete()
        alert, created = AreaAlert.objects.get_or_create(
            email=email, area=area, defaults={"token": secrets.token_urlsafe(32), "created_at": now}
        )
        if not created and alert.confirmed_at is None:  # a new link, valid from now
            alert.token = secrets.token_urlsafe(32)
            alert.created_at = now
            alert.save(update_fields=["token", "created_at"])
    if alert.confirmed_at is None:
        subject = _("Bitte bestätigen: neue Meldungen in %(area)s") % {"area": area.name}
        lines = [
            _("Guten Tag,"),
            "",
            _(
                "Sie möchten eine E-Mail erhalten, wenn im Mängelmelder eine neue Meldung in "
                "%(area)s eingeht. Bitte bestätigen Sie das innerhalb von %(days)d Tagen:"
            )
            % {"area": area.name, "days": CONFIRM_DAYS},
            _link(base_url, "alert_confirm", alert.token),
            "",
            _("Wenn Sie das nicht bestellt haben, müssen Sie nichts tun."),
        ]
    else:
        subject = _("Neue Meldungen in %(area)s: Ihre Benachrichtigung ist aktiv") % {
            "area": area.name
        }
        lines = [
            _("Guten Tag,"),
            "",
            _("Sie erhalten bereits eine E-Mail zu jeder neuen Meldung in %(area)s.")
            % {"area": area.name},
        ]
    send_logged([_message(alert, subject, lines, base_url)])
    return alert


def find(token: str) -> AreaAlert:
    """The alert of a link from an e-mail, or AlertError."""
    alert = AreaAlert.objects.select_related("area").filter(token=token).first()
    if alert is None:
        raise AlertError(
            _(
                "Diesen Link gibt es nicht (mehr): Die Benachrichtigung wurde abbestellt oder "
                "nicht rechtzeitig bestätigt. Sie können sie neu bestellen."
            )
        )
    return alert


def confirm(token: str, now=None) -> AreaAlert:
    """Activate an alert with the link from the confirmation e-mail."""
    now = now or timezone.now()
    alert = find(token)
    if alert.confirmed_at is None:
        if alert.created_at < now - dt.timedelta(days=CONFIRM_DAYS):
            alert.delete()
            raise AlertError(
                _(
                    "Der Bestätigungslink ist abgelaufen (gültig %(days)d Tage). Bitte "
                    "bestellen Sie die Benachrichtigung neu."
                )
                % {"days": CONFIRM_DAYS}
            )
        alert.confirmed_at = now
        alert.save(update_fields=["confirmed_at"])
    return alert


def end(token: str) -> AreaAlert:
    """End an alert (the link in every e-mail); the address is deleted with it."""
    alert = find(token)
    alert.delete()
    return alert


def _lineage(area_id: int) -> list[int]:
    """The area and all areas it lies in."""
    ids = []
    while area_id is not None and area_id not in ids:
        ids.append(area_id)
        area_id = Area.objects.filter(pk=area_id).values_list("parent_id", flat=True).first()
    return ids


def announce(report: ServiceRequest, base_url: str = "") -> int:
    """Mail every confirmed alert of the report's area (or an area it lies in) about the new
    report, each address once. Returns the number of e-mails sent."""
    if report.area_id is None:
        return 0
    active = AreaAlert.objects.filter(confirmed_at__isnull=False)
    if not active.exists():
        return 0
    alerts: dict[str, AreaAlert] = {}
    for alert in active.filter(area_id__in=_lineage(report.area_id)).select_related("area"):
        alerts.setdefault(alert.email, alert)
    area_name = report.area.name
    category = report.category.name
    link = base_url.rstrip("/") + reverse("servicerequests:detail", args=[report.pk])
    subject = _("Neue Meldung in %(area)s: %(category)s") % {
        "area": area_name,
        "category": category,
    }
    messages = []
    for alert in alerts.values():
        lines = [
            _("Im Mängelmelder ist eine neue Meldung in %(area)s eingegangen:")
            % {"area": area_name},
            "",
            _("Nr. %(id)s: %(category)s") % {"id": report.pk, "category": category},
        ]
        if report.description:
            lines.append(report.description)
        lines += ["", _("Zur Meldung: %(link)s") % {"link": link}]
        lines.append(
            _("Sie erhalten diese E-Mail, weil Sie Meldungen in %(area)s abonniert haben.")
            % {"area": alert.area.name}
        )
        messages.append(_message(alert, subject, lines, base_url))
    return send_logged(messages)


def personal_data(user) -> dict:
    """What the Mängelmelder stores under the account's e-mail address (privacy page)."""
    email = (user.email or "").strip()
    if not email:
        return {"meldungen": [], "benachrichtigungen": []}
    return {
        "meldungen": [
            {
                "nummer": r.pk,
                "kategorie": r.category.name,
                "gemeldet_am": r.requested_at.isoformat(),
                "vorname": r.first_name,
                "nachname": r.last_name,
                "telefon": r.phone,
            }
            for r in ServiceRequest.objects.filter(email__iexact=email)
            .select_related("category")
            .order_by("requested_at")
        ],
        "benachrichtigungen": [
            {
                "gebiet": a.area.name,
                "bestellt_am": a.created_at.isoformat(),
                "bestaetigt_am": a.confirmed_at.isoformat() if a.confirmed_at else None,
            }
            for a in AreaAlert.objects.filter(email__iexact=email).select_related("area")
        ],
    }
