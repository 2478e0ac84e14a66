"""Settings of the Mängelmelder. Each is read from Django's settings when set there, else from
the environment variable of the same name, else the default:

OPEN311_JURISDICTION_ID        the jurisdiction this server serves, e.g. "musterstadt.de";
                               a different jurisdiction_id in a call gets 404 (default: empty)
OPEN311_JURISDICTION_REQUIRED  "true": calls without jurisdiction_id get 400 (default: false)
OPEN311_CONTACT                contact line of the discovery document
SERVICEREQUESTS_WEB_LIMIT      reports per client address and hour through the web form (10)
(behind a reverse proxy, CLIENT_IP_HEADER tells every flood limit the client's address, see
gemeinsinn.core.clients)
SERVICEREQUESTS_EMAIL_BACKEND  e-mail backend for notifications when EMAIL_BACKEND is not set
                               (default: Django's console backend)
"""

import os

from django.conf import settings

DEFAULT_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
_DJANGO_DEFAULT_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _value(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def jurisdiction_id() -> str:
    return _value("OPEN311_JURISDICTION_ID").strip()


def jurisdiction_required() -> bool:
    return _value("OPEN311_JURISDICTION_REQUIRED", "false").strip().lower() in {"1", "true", "yes"}


def contact() -> str:
    return _value("OPEN311_CONTACT")


def web_limit_per_hour() -> int:
    try:
        return max(0, int(_value("SERVICEREQUESTS_WEB_LIMIT", "10")))
    except ValueError:
        return 10


def email_backend() -> str:
    """Django's EMAIL_BACKEND when the installation chose one; else the console backend, so
    that a fresh installation never tries to reach a mail server it does not have."""
    configured = settings.EMAIL_BACKEND
    if configured != _DJANGO_DEFAULT_EMAIL_BACKEND or settings.is_overridden("EMAIL_BACKEND"):
        return configured
    return _value("SERVICEREQUESTS_EMAIL_BACKEND", DEFAULT_EMAIL_BACKEND)
