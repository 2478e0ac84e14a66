"""Fixtures of the event tests: the tiny city of tests/conftest.py, a planner, and events
whose registration is open now."""

import datetime as dt

import pytest

from tests.ideas.conftest import make_citizen, make_staff  # noqa: F401 - helpers for the tests


@pytest.fixture
def planner(db):
    from gemeinsinn.accounts import roles

    return make_staff("paula", roles.PLANNING)


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run the e-mails that wait for the end of the transaction."""
    return django_capture_on_commit_callbacks


def area(key: str):
    from gemeinsinn.areas.models import Area

    return Area.objects.filter(key=key).get()


def make_event(planner, **overrides):
    from django.utils import timezone

    from gemeinsinn.events import services
    from gemeinsinn.events.models import DISTRICT_MEETING, Event

    now = timezone.now()
    values = {
        "title": "Stadtteilversammlung Altstadt",
        "kind": DISTRICT_MEETING,
        "description": "Was fehlt in der Altstadt?",
        "starts_at": now + dt.timedelta(days=14),
        "ends_at": now + dt.timedelta(days=14, hours=2),
        "place_name": "Gemeindezentrum",
        "place_address": "Kirchplatz 1, 59999 Kleinstadt",
        "area": area("01"),
        "capacity": 2,
        "audience": "Bürgerinnen und Bürger",
        "registration_opens": now - dt.timedelta(days=1),
        "registration_closes": now + dt.timedelta(days=10),
        "step_free": True,
        "sign_language": True,
        "languages": "Deutsch, Türkisch",
        "accessibility_notes": "Eingang über den Hof.",
        "is_public": True,
    }
    values.update(overrides)
    return services.save_event(planner, Event(**values))


@pytest.fixture
def event(city, planner):
    return make_event(planner)


def person(number: int, **overrides):
    from gemeinsinn.events.services import RegistrationInput

    values = {
        "name": f"Person {number}",
        "email": f"person{number}@example.org",
        "consent": True,
    }
    values.update(overrides)
    return RegistrationInput(**values)


def registered(event, number: int, *, confirm: bool = True, **overrides):
    """A registration through the services, confirmed unless told otherwise."""
    from gemeinsinn.events import services

    registration = services.register(event, person(number, **overrides))
    if confirm:
        registration = services.confirm(registration.token)
    return registration
