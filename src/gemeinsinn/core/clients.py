"""Telling clients apart for flood limits without storing their addresses."""

import hashlib
import hmac

from django.conf import settings


def client_bucket(kind: str, identity: str) -> str:
    """A rate-limit bucket ``kind:digest`` that does not store the client's address itself."""
    digest = hmac.new(
        _bucket_salt(), identity.encode("utf-8", "replace"), hashlib.sha256
    ).hexdigest()[:40]
    return f"{kind}:{digest}"


def _bucket_salt() -> bytes:
    return hashlib.sha256(("rate-limit" + settings.SECRET_KEY).encode()).digest()


def client_address(request) -> str:
    """The client's address. Behind a reverse proxy, set CLIENT_IP_HEADER (Django setting or
    environment variable, e.g. HTTP_X_FORWARDED_FOR; its last entry is used), else every
    visitor would share the proxy's address and its flood limit."""
    import os

    header = getattr(settings, "CLIENT_IP_HEADER", None) or os.environ.get("CLIENT_IP_HEADER", "")
    header = header.strip()
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unbekannt"
