"""The short path of the one-page form in front of Django (``surveys.fastpath``): a complete,
correct submission is stored there with the same row and the same answer as Django's path
gives; everything else (CSRF refusal, wrong answers, flood limit, closed survey, a form sent
twice, NUL bytes, an unknown host) goes on to Django and gets its pages and messages."""

import datetime as dt
import io
import re
import sys
import urllib.parse
from contextlib import contextmanager

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings

from gemeinsinn.surveys.fastpath import OnePageSubmissions
from gemeinsinn.surveys.models import Response

pytestmark = pytest.mark.django_db

ANSWERED = {
    "wohndauer": ["12"],
    "zufriedenheit": ["sehr_zufrieden"],
    "sicherheit_tag": ["eher_sicher"],
    "sicherheit_nacht": ["sehr_sicher"],
    "fehlt": ["spielplaetze", "gruen"],
    "altersgruppe": ["30_44"],
    "geschlecht": ["maennlich"],
    "haushalt_personen": ["1"],
    "anmerkungen": ["Mehr Bänke im Park."],
}
ANSWERS = [(f"q-{name}", value) for name, values in ANSWERED.items() for value in values]


class Django:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        from gemeinsinn.wsgi import application

        self.application = application
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.application(environ, start_response)


@contextmanager
def _connection_kept():
    """As Django's test client: the handlers must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(app, method, path, body=b"", headers=None):
    """(status, headers as a dict, body text) of one request to a WSGI application."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        **(headers or {}),
    }
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers=response_headers)

    with _connection_kept():
        text = b"".join(app(environ, start_response)).decode()
    return started["status"], dict(started["headers"]), text


@pytest.fixture
def django_app():
    return Django()


@pytest.fixture
def app(django_app):
    return OnePageSubmissions(django_app)


@pytest.fixture
def form(app, django_app, survey):
    """A sender of the one-page form: ``send(key, area, answers, **headers)``."""
    status, headers, html = call(app, "GET", f"/umfragen/{survey.slug}/eine-seite/")
    assert status == 200
    django_app.calls = 0
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    shown = re.search(r'name="shown" value="([^"]*)"', html).group(1)

    def send(key, area, answers=ANSWERS, target=app, token=token, slug=survey.slug, **headers):
        fields = [("csrfmiddlewaretoken", token), ("shown", shown), ("submission_key", key)]
        body = urllib.parse.urlencode([*fields, ("area", str(area)), *answers]).encode()
        headers = {"HTTP_COOKIE": f"csrftoken={cookie}", **headers}
        return call(target, "POST", f"/umfragen/{slug}/eine-seite/", body, headers)

    return send


def _stored(key):
    row = Response.objects.values().get(submission_key=key)
    return {k: v for k, v in row.items() if k not in ("id", "submission_key", "submitted_at")}


def test_a_complete_submission_is_stored_without_django_as_django_stores_it(
    app, django_app, form, survey, areas
):
    fast = form("schnell", areas[1].pk)
    assert django_app.calls == 0, "stored by the short path"
    normal = form("normal", areas[1].pk, target=django_app.application)
    assert fast[0] == normal[0] == 302
    assert fast[1] == normal[1]  # the same headers, Location and security headers included
    assert fast[1]["Location"] == f"/umfragen/{survey.slug}/danke/" and fast[2] == normal[2]
    assert _stored("schnell") == _stored("normal")
    stored = Response.objects.get(submission_key="schnell")
    assert stored.area == areas[1] and stored.channel == "online"
    assert stored.answers["wohndauer"] == 12 and stored.answers["fehlt"] == [
        "spielplaetze",
        "gruen",
    ]
    assert stored.answers["anmerkungen"] == "Mehr Bänke im Park."


def test_the_page_language_chooses_the_form_language_as_in_django(
    app, django_app, form, survey, areas
):
    english = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}
    fast = form("schnell", areas[0].pk, **english)
    normal = form("normal", areas[0].pk, target=django_app.application, **english)
    assert django_app.calls == 0
    assert fast[1] == normal[1] and fast[1]["Content-Language"] == "en"
    assert _stored("schnell") == _stored("normal")


def test_a_refused_csrf_token_goes_to_django_and_stores_nothing(app, django_app, form, areas):
    status, _headers, _text = form("k1", areas[0].pk, token="x" * 64)
    assert status == 403 and django_app.calls == 1
    status, _headers, _text = form("k2", areas[0].pk, HTTP_ORIGIN="http://example.org")
    assert status == 403 and django_app.calls == 2
    assert not Response.objects.exists()


def test_wrong_answers_get_djangos_page_with_the_german_messages(app, django_app, form, areas):
    wrong = [(k, "200" if k == "q-wohndauer" else v) for k, v in ANSWERS]
    status, _headers, text = form("k1", areas[0].pk, wrong)
    assert status == 400 and django_app.calls == 1
    assert "Bitte eine Zahl zwischen 0 und 110 eingeben." in text
    status, _headers, text = form("k2", "")
    assert status == 400 and "Bitte wählen Sie Ihren Stadtteil aus der Liste." in text
    follow_up = [(k, "sehr_unzufrieden" if k == "q-zufriedenheit" else v) for k, v in ANSWERS]
    status, _headers, text = form("k3", areas[0].pk, follow_up)
    assert status == 200 and "Was stört Sie am meisten?" in text
    assert not Response.objects.exists()


@override_settings(SURVEYS_SUBMIT_LIMIT=2)
def test_the_flood_limit_holds_and_a_form_sent_twice_is_stored_once(app, django_app, form, areas):
    address = {"REMOTE_ADDR": "198.51.100.7"}
    for key in ("k1", "k2"):
        assert form(key, areas[0].pk, **address)[0] == 302
    assert django_app.calls == 0
    status, _headers, text = form("k3", areas[0].pk, **address)
    assert status == 429 and "zu viele Antworten" in text
    status, headers, _text = form("k1", areas[0].pk, **address)  # the first form once more
    assert status == 302 and headers["Location"].endswith("/danke/")  # known: thanked
    assert django_app.calls == 1
    assert sorted(Response.objects.values_list("submission_key", flat=True)) == ["k1", "k2"]
    assert form("k4", areas[0].pk)[0] == 302  # another address


def test_a_repeated_form_is_thanked_once_stored(app, django_app, form, areas):
    assert form("k1", areas[0].pk)[0] == 302
    status, headers, _text = form("k1", areas[0].pk)
    assert status == 302 and headers["Location"].endswith("/danke/")
    assert Response.objects.filter(submission_key="k1").count() == 1


def test_a_closed_survey_is_refused(app, django_app, form, survey, areas):
    survey.closes_on = dt.date(2020, 1, 1)
    survey.save()
    status, headers, _text = form("k1", areas[0].pk)
    assert status == 302 and headers["Location"] == f"/umfragen/{survey.slug}/"
    assert django_app.calls == 1 and not Response.objects.exists()


def test_nul_bytes_and_unknown_hosts_are_left_to_django(app, django_app, form, areas):
    with_nul = [*ANSWERS[:-1], ("q-anmerkungen", "Bänke\x00")]
    status, _headers, text = form("k1", areas[0].pk, with_nul)
    assert status == 400 and "Nullzeichen" in text
    status, _headers, _text = form("k2", areas[0].pk, HTTP_HOST="evil.example")
    assert status == 400 and django_app.calls == 2
    assert not Response.objects.exists()


def test_an_invitation_survey_is_not_answered_on_the_short_path(
    app, django_app, form, invitation_survey, areas
):
    status, headers, _text = form("k1", areas[0].pk, slug=invitation_survey.slug)
    assert status == 302 and headers["Location"] == f"/umfragen/{invitation_survey.slug}/"
    assert django_app.calls == 1 and not Response.objects.exists()


def test_a_browser_sending_its_origin_is_stored_on_the_short_path(app, django_app, form, areas):
    status, headers, _text = form("k1", areas[0].pk, HTTP_ORIGIN="http://127.0.0.1")
    assert status == 302 and headers["Location"].endswith("/danke/")
    assert django_app.calls == 0 and Response.objects.filter(submission_key="k1").exists()


def test_gemeinsinn_serve_puts_the_short_path_in_front_of_django():
    from gemeinsinn.commands.serve import wsgi_application
    from gemeinsinn.wsgi import application

    served = wsgi_application()
    assert isinstance(served, OnePageSubmissions) and served.application is application


def test_a_row_inserted_in_plain_sql_equals_the_orms(survey, areas):
    import decimal

    from django.utils import timezone

    from gemeinsinn.core import rows

    now = timezone.now()
    values = {
        "survey": survey,
        "area": areas[2],
        "answers": {"datum": dt.date(2026, 11, 22), "betrag": decimal.Decimal("1.50"), "n": 3},
        "language": "Deutsch (de)",
        "submitted_at": now,
    }
    plain = rows.insert(Response(submission_key="plain", **values))
    orm = Response.objects.create(submission_key="orm", **values)
    assert plain.pk and plain.pk != orm.pk and not plain._state.adding
    assert _stored("plain") == _stored("orm")
    stored = Response.objects.get(pk=plain.pk)
    assert stored.submitted_at == now and stored.channel == "online"
    assert stored.answers == {"datum": "2026-11-22", "betrag": "1.50", "n": 3}


def test_a_fault_after_storing_leaves_the_answer_to_django_which_thanks(
    app, django_app, form, areas, monkeypatch, caplog
):
    def broken(*args):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(OnePageSubmissions, "headers", broken)
    status, headers, _text = form("k1", areas[0].pk)
    assert status == 302 and headers["Location"].endswith("/danke/")
    assert django_app.calls == 1 and "left to Django after an error" in caplog.text
    assert Response.objects.filter(submission_key="k1").count() == 1
