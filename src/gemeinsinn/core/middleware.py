"""Requests that carry a NUL byte are refused before any view sees them.

PostgreSQL cannot store or search text with NUL bytes, and no legitimate form or link sends
one. The Open311 API answers such requests itself, in its own XML/JSON error format."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

API_PREFIXES = ("/open311/", "/georeport/")


def _carries_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    for query in (request.GET, request.POST):
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIXES) and _carries_nul(request):
            message = _(
                "Ihre Eingabe enthält ein unsichtbares Nullzeichen (NUL). "
                "Bitte entfernen Sie es, zum Beispiel indem Sie den Text neu eintippen, "
                "und senden Sie das Formular noch einmal."
            )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
