"""The events of the demo: through the services, deterministic, with the expert conference,
its waiting list and its workshop results as ideas."""

import pytest
from django.contrib.auth import get_user_model

from gemeinsinn.events import demo
from gemeinsinn.events.models import (
    CANCELLED,
    CITIZENS_FORUM,
    CONFIRMED,
    DISTRICT_MEETING,
    UNCONFIRMED,
    WAITING,
    Event,
    Registration,
)
from gemeinsinn.events.services import seats
from gemeinsinn.ideas import demo as ideas_demo
from gemeinsinn.ideas.models import Idea

pytestmark = pytest.mark.django_db


def fingerprint():
    return (
        [
            (e.title, e.kind, e.area.key if e.area else None, e.capacity,
             e.starts_at.isoformat())
            for e in Event.objects.order_by("starts_at")
        ],
        [
            (r.event.title, r.name, r.email, r.organisation, r.sector, r.needs, r.status,
             r.created_at.isoformat())
            for r in Registration.objects.select_related("event").order_by("event_id", "id")
        ],
        sorted((i.title, i.area.key, i.status, i.answer) for i in Idea.objects.filter(
            event__isnull=False)),
    )  # fmt: skip


def test_demo_events_are_deterministic(city):
    list(ideas_demo.load(None))
    user = get_user_model().objects.create_superuser("planung", "p@example.org", "x-Pass-123")
    lines = list(demo.load(user))
    assert lines[0] == (
        "Veranstaltungen: Fachkonferenz Sozialplanung mit 108 Anmeldungen "
        "(100 bestätigt, 3 auf der Warteliste)"
    )
    conference = Event.objects.get(title=demo.CONFERENCE)
    statuses = list(conference.registrations.values_list("status", flat=True))
    assert [statuses.count(s) for s in (CONFIRMED, WAITING, CANCELLED, UNCONFIRMED)] == [
        100, 3, 3, 2,
    ]  # fmt: skip
    assert conference.registrations.filter(moved_up_at__isnull=False).count() == 3
    sectors = set(conference.registrations.values_list("sector", flat=True))
    assert {"schule", "kita", "sport", "kultur", "wirtschaft", "politik", "jugendarbeit",
            "familienarbeit", "seniorenarbeit"} <= sectors  # fmt: skip
    assert Event.objects.filter(kind=CITIZENS_FORUM).count() == 1
    meetings = Event.objects.filter(kind=DISTRICT_MEETING).order_by("starts_at")
    assert [m.area.level.code for m in meetings] == ["stadtteil", "stadtteil"]
    assert seats(meetings[0]).free == 0 and seats(meetings[0]).waiting == 3
    results = Idea.objects.filter(event=conference)
    assert results.count() == len(demo.RESULTS)
    assert results.exclude(answer="").count() == len(demo.ANSWERS)
    assert all(i.area is not None and i.process_id for i in results)

    first = fingerprint()
    Idea.objects.filter(event__isnull=False).delete()
    Event.objects.all().delete()
    list(demo.load(user))
    assert fingerprint() == first
