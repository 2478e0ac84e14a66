"""Use cases of accounts: citizens register and confirm their e-mail, logins are throttled,
everyone can see, download and delete what is stored about them."""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.accounts import roles
from gemeinsinn.accounts.models import LoginAttempt, Profile
from gemeinsinn.core.clients import client_address
from gemeinsinn.core.models import AuditEvent, record

LOGIN_LIMIT = 5  # failed logins per account or per client address …
LOGIN_WINDOW = dt.timedelta(minutes=15)  # … within this time
REGISTER_LIMIT = 5  # registrations per client address …
REGISTER_WINDOW = dt.timedelta(hours=1)
CONFIRMATION_DAYS = 3
_SALT = "gemeinsinn.accounts.confirm"


class AccountError(Exception):
    """A user error with a German message for the page."""


_PERSONAL_DATA: list[tuple[str, Callable]] = []


def register_personal_data(section: str, collect: Callable) -> None:
    """Apps add what they store about a person: `collect(user)` returns JSON-ready data,
    shown on the privacy page and in the download."""
    _PERSONAL_DATA.append((section, collect))


def record_attempt(kind: str, username: str, request) -> None:
    LoginAttempt.objects.create(kind=kind, username=username[:254], client=client_address(request))


def clear_failed_logins(username: str) -> None:
    LoginAttempt.objects.filter(kind="login", username=username).delete()


def login_blocked(username: str, request) -> bool:
    since = timezone.now() - LOGIN_WINDOW
    attempts = LoginAttempt.objects.filter(kind="login", created_at__gte=since)
    return (
        attempts.filter(username=username).count() >= LOGIN_LIMIT
        or attempts.filter(client=client_address(request)).count() >= LOGIN_LIMIT * 4
    )


def registration_blocked(request) -> bool:
    since = timezone.now() - REGISTER_WINDOW
    return (
        LoginAttempt.objects.filter(
            kind="register", client=client_address(request), created_at__gte=since
        ).count()
        >= REGISTER_LIMIT
    )


def register_citizen(request, *, email: str, password: str, display_name="", home_area=None):
    """Create an inactive citizen account and send the confirmation e-mail. For an address
    that already has an account, a notice goes to that address instead (no one learns from
    the page whether an address is registered)."""
    if registration_blocked(request):
        raise AccountError(
            _(
                "Von Ihrem Anschluss wurden in der letzten Stunde zu viele Konten angelegt. "
                "Bitte versuchen Sie es später noch einmal."
            )
        )
    record_attempt("register", email, request)
    users = get_user_model()
    existing = users.objects.filter(email__iexact=email).first()
    if existing is not None:
        _mail(existing, "accounts/mail/already_registered.txt", request, {})
        return None
    with transaction.atomic():
        user = users.objects.create_user(
            username=email.lower(), email=email.lower(), password=password, is_active=False
        )
        Profile.objects.create(
            user=user,
            display_name=display_name,
            home_area=home_area,
            privacy_accepted_at=timezone.now(),
        )
        user.groups.add(roles_group(roles.CITIZEN))
    token = signing.TimestampSigner(salt=_SALT).sign(str(user.pk))
    link = request.build_absolute_uri(reverse("accounts:confirm", args=[token]))
    _mail(user, "accounts/mail/confirm.txt", request, {"link": link, "days": CONFIRMATION_DAYS})
    return user


def roles_group(role: str):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=roles.group_name(role))


def confirm_email(token: str):
    """Activate the account of a confirmation link."""
    try:
        user_id = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=dt.timedelta(days=CONFIRMATION_DAYS)
        )
    except signing.SignatureExpired:
        raise AccountError(
            _(
                "Der Bestätigungslink ist abgelaufen (gültig %(days)d Tage). Bitte "
                "registrieren Sie sich noch einmal."
            )
            % {"days": CONFIRMATION_DAYS}
        ) from None
    except signing.BadSignature:
        raise AccountError(
            _("Dieser Bestätigungslink ist ungültig. Bitte kopieren Sie ihn vollständig.")
        ) from None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise AccountError(_("Dieses Konto gibt es nicht mehr."))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        Profile.objects.filter(user=user).update(email_confirmed_at=timezone.now())
    return user


def _mail(user, template: str, request, context: dict) -> None:
    body = render_to_string(template, {"user": user, **context}, request=request)
    subject, _sep, text = body.partition("\n\n")
    send_mail(subject.strip(), text.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [user.email])


def personal_data(user) -> dict:
    """Everything gemeinsinn stores about a person, as shown and downloaded (Art. 15 DSGVO)."""
    profile = Profile.objects.filter(user=user).select_related("home_area").first()
    data = {
        "konto": {
            "benutzername": user.get_username(),
            "e_mail": user.email,
            "angelegt_am": user.date_joined.isoformat(),
            "letzte_anmeldung": user.last_login.isoformat() if user.last_login else None,
            "rollen": sorted(user.groups.values_list("name", flat=True)),
        },
        "profil": None,
        "protokoll": [
            {"zeit": e.created_at.isoformat(), "aktion": e.action, "beschreibung": e.summary}
            for e in AuditEvent.objects.filter(actor=user).order_by("created_at")
        ],
    }
    for section, collect in _PERSONAL_DATA:
        data[section] = collect(user)
    if profile is not None:
        data["profil"] = {
            "anzeigename": profile.display_name,
            "wohngebiet": profile.home_area.name if profile.home_area else None,
            "datenschutzhinweise_bestaetigt_am": profile.privacy_accepted_at.isoformat(),
            "e_mail_bestaetigt_am": profile.email_confirmed_at.isoformat()
            if profile.email_confirmed_at
            else None,
        }
    return data


def delete_account(user, password: str) -> None:
    """Delete the account and everything personal attached to it (Art. 17 DSGVO)."""
    if not user.check_password(password):
        raise AccountError(_("Das Passwort stimmt nicht. Ihr Konto wurde nicht gelöscht."))
    with transaction.atomic():
        user_id = user.pk
        LoginAttempt.objects.filter(username=user.get_username()).delete()
        user.delete()
        record("accounts.delete", _("Ein Konto wurde auf Wunsch gelöscht."), account=user_id)
