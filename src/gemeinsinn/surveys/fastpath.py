"""The one-page survey form's successful submissions straight from WSGI, in front of Django.

During a survey wave almost every request is a complete questionnaire sent with the one-page
form, and Django's request handling (middleware, URL resolution, the request and response
objects) cost about as much as checking and storing the answers. ``OnePageSubmissions``
wraps the WSGI application: a POST to ``/umfragen/<slug>/eine-seite/`` is checked here with
the same code as in the view — Django's CSRF check, the allowed hosts, the answer check and
skip logic of ``views.read_one_page``, and ``services.submit_response`` with the flood limit,
the time window and the one-response-per-form key — and answered with the redirect to the
thank-you page once it is stored. Whenever anything is not right (a refused CSRF token, an
unknown host, a wrong answer, a follow-up question, a closed survey, the flood limit, a form
sent twice, a database error), nothing has been stored and the request goes on to Django
unchanged, which answers it as before with its pages and German messages.
"""

from __future__ import annotations

import io
import logging
import re
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_finished
from django.db import DatabaseError
from django.http import QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language_from_request

from gemeinsinn.surveys import services, views
from gemeinsinn.surveys.models import INVITATION, Survey

logger = logging.getLogger(__name__)

MAX_BODY = 256 * 1024  # a complete questionnaire is a few kilobytes; larger ones go to Django
_SLUG = "0slug0"  # placeholder for the survey's short name in the URLs below
_FORM_TYPE = "application/x-www-form-urlencoded"


class _Refused:
    """What ``_CsrfCheck`` answers instead of the failure page."""


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check; a refusal is left to Django's normal path, which shows and
    logs it (so it is neither rendered nor logged twice)."""

    def _reject(self, request, reason):
        return _Refused


class OnePageSubmissions:
    """WSGI middleware: stores a complete, correct one-page submission itself and hands
    every other request to ``application``."""

    def __init__(self, application):
        self.application = application
        self.csrf = _CsrfCheck(lambda request: None)
        form = reverse("surveys:one_page", args=[_SLUG])
        self.path = re.compile(re.escape(form).replace(_SLUG, "(?P<slug>[-a-zA-Z0-9_]+)"))
        self.thanks = reverse("surveys:thanks", args=[_SLUG])
        self.made: dict[tuple[str, str, bool], list[tuple[str, str]]] = {}

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and not environ.get("SCRIPT_NAME"):
            match = self.path.fullmatch(environ.get("PATH_INFO", ""))
            body = _read_body(environ) if match else None
            if body is not None:
                try:
                    headers = self.submit(environ, match["slug"], body)
                except Exception:  # a fault here must not cost the answer: Django tries again
                    logger.exception("one-page submission left to Django after an error")
                    headers = None  # stored already? Django finds the form's key and thanks
                finally:  # as Django's handler: e.g. connections past CONN_MAX_AGE are closed
                    request_finished.send(sender=type(self))
                if headers is not None:
                    start_response("302 Found", headers)
                    return [b""]
        return self.application(environ, start_response)

    def submit(self, environ, slug: str, body: bytes) -> list[tuple[str, str]] | None:
        """The headers of the redirect to the thank-you page once the response is stored;
        None (nothing stored) when Django's normal path is to answer."""
        if b"\x00" in body or b"%00" in body:  # refused by RejectNulBytesMiddleware
            return None
        request = WSGIRequest(environ)
        try:
            request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware checks it
        except SuspiciousOperation:
            return None
        request._post = _form_data(body, request.encoding or settings.DEFAULT_CHARSET)
        if request._post is None:
            return None
        request._files = MultiValueDict()
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None
        self.csrf.process_request(request)
        refused = self.csrf.process_view(request, views.one_page, (), {})
        if refused is not None or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return None
        try:
            survey = services.survey_for_form(slug)
        except Survey.DoesNotExist:
            return None
        today = timezone.localdate()
        if survey.access == INVITATION or not survey.is_open(today):
            return None
        page_language = get_language_from_request(request)
        language = views.form_language(survey, page_language)
        post = views.read_one_page(request, survey, language, today)
        if not post.ready:
            return None
        try:
            views.store_one_page(request, survey, post, language, today)
        except (services.SurveyError, DatabaseError):  # e.g. locked too long: Django tries again
            return None
        return self.headers(slug, page_language, request.is_secure())

    def headers(self, slug: str, page_language: str, secure: bool) -> list[tuple[str, str]]:
        """The headers Django's middleware gives the redirect (see the tests comparing both),
        made once per survey, language and scheme."""
        key = (slug, page_language, secure)
        headers = self.made.get(key)
        if headers is None:
            headers = self.made[key] = self.make_headers(slug, page_language, secure)
        return list(headers)  # a copy: the server may add to it

    def make_headers(self, slug: str, page_language: str, secure: bool) -> list[tuple[str, str]]:
        headers = [
            ("Content-Type", f"text/html; charset={settings.DEFAULT_CHARSET}"),
            ("Location", self.thanks.replace(_SLUG, slug)),
        ]
        if settings.X_FRAME_OPTIONS:
            headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
        if settings.SECURE_HSTS_SECONDS and secure:
            value = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                value += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                value += "; preload"
            headers.append(("Strict-Transport-Security", value))
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers.append(("X-Content-Type-Options", "nosniff"))
        if settings.SECURE_REFERRER_POLICY:
            policy = settings.SECURE_REFERRER_POLICY
            if not isinstance(policy, str):
                policy = ",".join(policy)
            headers.append(("Referrer-Policy", policy))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            headers.append(
                ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)
            )
        headers += [
            ("Vary", "Accept-Language"),
            ("Content-Language", page_language),
            ("Content-Length", "0"),
        ]
        return headers


def _form_data(body: bytes, encoding: str) -> QueryDict | None:
    """The form's fields as Django's ``QueryDict`` reads them (the same limit of fields), built
    without its checks per field; None where Django is to answer (too many fields, or text
    that is not in the form's encoding)."""
    try:
        pairs = parse_qsl(
            body.decode(encoding),
            keep_blank_values=True,
            encoding=encoding,
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        return None
    data = QueryDict(mutable=True, encoding=encoding)
    for key, value in pairs:
        dict.setdefault(data, key, []).append(value)
    data._mutable = False
    return data


def _read_body(environ) -> bytes | None:
    """The urlencoded body of a form of ordinary size (then kept for Django, too), else None."""
    if not environ.get("CONTENT_TYPE", "").startswith(_FORM_TYPE):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body if len(body) == length else None
