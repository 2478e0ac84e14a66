"""Registration for events through the services: double opt-in, capacity and waiting list,
moving up on cancellation, one registration per address, the registration window, flood
protection, bad input with clear messages, and the erasure of personal data after events."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from gemeinsinn.events import services
from gemeinsinn.events.models import (
    CANCELLED,
    CONFIRMED,
    EXPERT_CONFERENCE,
    UNCONFIRMED,
    WAITING,
    Registration,
)
from tests.events.conftest import make_event, person, registered

pytestmark = pytest.mark.django_db


def link(mail, kind: str) -> str:
    return re.search(rf"https?://\S+/{kind}/", mail.body).group(0)


def test_registration_is_confirmed_by_the_link_in_the_email(event, mailoutbox, commits):
    with commits(execute=True):
        registration = services.register(
            event, person(1, name="  Ada <b>Lovelace</b> "), base_url="http://testserver/"
        )
    assert registration.status == UNCONFIRMED
    assert registration.name == "Ada Lovelace"
    assert services.seats(event).confirmed == 0
    [mail] = mailoutbox
    assert mail.to == ["person1@example.org"]
    assert "Stadtteilversammlung Altstadt" in mail.subject
    token = registration.token
    assert link(mail, "bestaetigen").endswith(f"/veranstaltungen/anmeldung/{token}/bestaetigen/")
    assert link(mail, "absagen").endswith(f"/veranstaltungen/anmeldung/{token}/absagen/")
    confirmed = services.confirm(token)
    assert confirmed.status == CONFIRMED and confirmed.confirmed_at is not None
    assert services.confirm(token).status == CONFIRMED  # opening the link again changes nothing
    assert services.seats(event).confirmed == 1


def test_beyond_capacity_the_waiting_list_and_moving_up(event, mailoutbox, commits):
    first = registered(event, 1)
    second = registered(event, 2)
    third = registered(event, 3)
    fourth = registered(event, 4)
    assert [first.status, second.status, third.status, fourth.status] == [
        CONFIRMED, CONFIRMED, WAITING, WAITING,
    ]  # fmt: skip
    seats = services.seats(event)
    assert (seats.capacity, seats.confirmed, seats.waiting, seats.free) == (2, 2, 2, 0)

    mailoutbox.clear()
    with commits(execute=True):
        services.cancel(first.token, base_url="http://testserver/")
    first.refresh_from_db()
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert first.status == CANCELLED and first.cancelled_at is not None
    assert third.status == CONFIRMED and third.moved_up_at is not None
    assert fourth.status == WAITING
    [mail] = mailoutbox
    assert mail.to == ["person3@example.org"]
    assert "Platz" in mail.subject and "nachgerückt" in mail.body
    assert link(mail, "absagen").endswith(f"/{third.token}/absagen/")

    # a waiting person who cancels frees no seat: nobody moves up
    with commits(execute=True):
        services.cancel(fourth.token)
    assert services.seats(event).confirmed == 2
    with pytest.raises(services.EventError, match="bereits abgesagt"):
        services.cancel(fourth.token)


def test_unconfirmed_registrations_hold_no_seat(event):
    registered(event, 1, confirm=False)
    registered(event, 2)
    registered(event, 3)
    late = services.register(event, person(4))
    assert services.confirm(late.token).status == WAITING
    assert services.seats(event).unconfirmed == 1


def test_more_seats_move_the_waiting_list_up(event, planner):
    for number in range(1, 5):
        registered(event, number)
    event.capacity = 3
    services.save_event(planner, event)
    statuses = list(Registration.objects.order_by("id").values_list("status", flat=True))
    assert statuses == [CONFIRMED, CONFIRMED, CONFIRMED, WAITING]


def test_one_registration_per_address(event, mailoutbox, commits):
    registered(event, 1)
    before = list(Registration.objects.values_list("id", "name", "status"))
    with pytest.raises(services.EventError, match="bereits eine Anmeldung") as error:
        services.register(event, person(1, email="PERSON1@example.org", name="Jemand anders"))
    assert error.value.field == "email"
    assert "bestätigt" in error.value.message
    assert list(Registration.objects.values_list("id", "name", "status")) == before

    # an unconfirmed registration: the link goes out again, at most every ten minutes
    now = timezone.now()
    with commits(execute=True):
        first = services.register(event, person(2), now=now)
    mailoutbox.clear()
    with commits(execute=True), pytest.raises(services.EventError, match="eben eine Anmeldung"):
        services.register(event, person(2), now=now + dt.timedelta(minutes=5))
    assert mailoutbox == []
    later = now + services.RESEND_AFTER + dt.timedelta(minutes=1)
    with commits(execute=True), pytest.raises(services.EventError, match="noch einmal geschickt"):
        services.register(event, person(2), now=later)
    assert [m.to for m in mailoutbox] == [["person2@example.org"]]
    assert f"/{first.token}/bestaetigen/" in mailoutbox[0].body
    with commits(execute=True), pytest.raises(services.EventError, match="eben eine Anmeldung"):
        services.register(event, person(2), now=later + dt.timedelta(minutes=1))
    assert len(mailoutbox) == 1 and Registration.objects.count() == 2


def test_after_cancelling_one_may_register_again(event):
    first = registered(event, 1)
    services.cancel(first.token)
    again = services.register(event, person(1, name="Person Eins"))
    assert again.pk == first.pk and again.status == UNCONFIRMED
    assert again.token != first.token and again.name == "Person Eins"
    with pytest.raises(services.EventError, match="kennen wir nicht"):
        services.confirm(first.token)


def test_registration_window(city, planner):
    now = timezone.now()
    later = make_event(
        planner,
        registration_opens=now + dt.timedelta(days=2),
        registration_closes=now + dt.timedelta(days=5),
    )
    with pytest.raises(services.EventError, match="ab dem .* möglich, jetzt noch nicht"):
        services.register(later, person(1))
    closed = make_event(
        planner,
        registration_opens=now - dt.timedelta(days=5),
        registration_closes=now - dt.timedelta(days=1),
    )
    expected = timezone.localtime(closed.registration_closes).strftime("%d.%m.%Y")
    with pytest.raises(services.EventError, match=f"seit dem {expected}.* geschlossen"):
        services.register(closed, person(1))
    draft = make_event(planner, is_public=False)
    with pytest.raises(services.EventError, match="nicht veröffentlicht"):
        services.register(draft, person(1))
    assert not Registration.objects.exists()


def test_confirmation_link_expires_and_unknown_links(event):
    registration = services.register(event, person(1))
    later = timezone.now() + dt.timedelta(days=services.CONFIRMATION_DAYS, hours=1)
    with pytest.raises(services.EventError, match="abgelaufen"):
        services.confirm(registration.token, now=later)
    with pytest.raises(services.EventError, match="kennen wir nicht"):
        services.confirm("falsch")
    # an expired registration may be made again
    again = services.register(event, person(1), now=later)
    assert again.pk == registration.pk and again.status == UNCONFIRMED


def test_no_cancel_or_confirm_after_the_start(event):
    registration = registered(event, 1)
    after_start = event.starts_at + dt.timedelta(minutes=1)
    with pytest.raises(services.EventError, match="bereits begonnen"):
        services.cancel(registration.token, now=after_start)
    assert Registration.objects.get().status == CONFIRMED


def test_bad_input_has_clear_messages_and_stores_nothing(city, planner):
    conference = make_event(planner, kind=EXPERT_CONFERENCE, capacity=100)
    cases = [
        (person(1, name=" "), "name", "Namen"),
        (person(1, email="kein-at-zeichen"), "email", "keine gültige E-Mail-Adresse"),
        (person(1, email=""), "email", "E-Mail-Adresse an"),
        (person(1, sector=""), "sector", "Bereich"),
        (person(1, sector="zirkus"), "sector", "aus der Liste"),
        (person(1, sector="kita", needs="x" * 1001), "needs", "höchstens 1000"),
        (person(1, sector="kita", consent=False), "consent", "Datenschutz"),
    ]
    for given, field, message in cases:
        with pytest.raises(services.EventError, match=message) as error:
            services.register(conference, given)
        assert error.value.field == field
    assert not Registration.objects.exists()
    ok = services.register(conference, person(1, sector="kita", organisation="Kita Sonne"))
    assert (ok.sector, ok.organisation) == ("kita", "Kita Sonne")


def test_flood_of_registrations_from_one_client(city, planner):
    event = make_event(planner, capacity=50)
    for number in range(services.REGISTRATION_LIMIT):
        services.register(event, person(number), client="198.51.100.7")
    with pytest.raises(services.EventError, match="zu viele Anmeldungen") as error:
        services.register(event, person(99), client="198.51.100.7")
    assert "Minuten noch einmal" in error.value.message
    assert Registration.objects.count() == services.REGISTRATION_LIMIT
    services.register(event, person(99), client="203.0.113.9")  # another client
    assert Registration.objects.count() == services.REGISTRATION_LIMIT + 1
    # the client's address itself is not stored
    assert not Registration.objects.filter(client_key__contains="198.51").exists()


def test_event_settings_are_checked(city, planner):
    now = timezone.now()
    with pytest.raises(services.EventError, match="Ende muss nach dem Beginn") as error:
        make_event(planner, ends_at=now)
    assert error.value.field == "ends_at"
    with pytest.raises(services.EventError, match="spätestens mit Beginn"):
        make_event(planner, registration_closes=now + dt.timedelta(days=20))
    with pytest.raises(services.EventError, match="beide Koordinaten"):
        make_event(planner, lat=51.2)
    from tests.events.conftest import make_citizen

    with pytest.raises(services.EventError, match="Nur Sozialplanung"):
        make_event(make_citizen("carl"))


def test_personal_data_is_erased_after_the_event(city, planner):
    event = make_event(planner, capacity=1)
    confirmed = registered(event, 1, organisation="Verein", needs="Rollstuhlplatz")
    registered(event, 2)
    long_after = event.ends_at + services.ERASE_AFTER + dt.timedelta(days=1)
    later = make_event(
        planner,
        title="Viel später",
        starts_at=long_after + dt.timedelta(days=1),
        ends_at=long_after + dt.timedelta(days=1, hours=2),
        registration_closes=long_after + dt.timedelta(hours=1),
    )
    assert services.erase_past_registrations(now=event.ends_at + dt.timedelta(days=1)) == 0
    # registering does the clean-up, as the command does
    services.register(
        later, person(3), now=event.ends_at + services.ERASE_AFTER - dt.timedelta(hours=1)
    )
    assert Registration.objects.filter(erased_at__isnull=False).count() == 0
    services.register(later, person(4), now=long_after)
    confirmed.refresh_from_db()
    assert (confirmed.name, confirmed.email, confirmed.organisation, confirmed.needs) == (
        "", "", "", ""
    )  # fmt: skip
    assert confirmed.status == CONFIRMED and confirmed.erased_at == long_after
    assert services.seats(event).confirmed == 1 and services.seats(event).waiting == 1
    with pytest.raises(services.EventError, match="kennen wir nicht"):
        services.cancel(confirmed.token, now=long_after)
    assert services.erase_past_registrations(now=long_after) == 0
    assert sorted(Registration.objects.filter(event=later).values_list("name", flat=True)) == [
        "Person 3", "Person 4",
    ]  # fmt: skip


def test_erase_command(event, capsys):
    from django.core.management import call_command

    registered(event, 1)
    call_command("erase_event_registrations")
    assert "0 Anmeldungen" in capsys.readouterr().out
    event.starts_at -= dt.timedelta(days=200)
    event.ends_at -= dt.timedelta(days=200)
    event.registration_opens -= dt.timedelta(days=200)
    event.registration_closes -= dt.timedelta(days=200)
    event.save()
    call_command("erase_event_registrations")
    assert "1 Anmeldungen" in capsys.readouterr().out
    assert Registration.objects.get().email == ""


def test_privacy_page_lists_registrations_of_the_account_address(event):
    from gemeinsinn.accounts.services import personal_data
    from tests.events.conftest import make_citizen

    citizen = make_citizen("dora")
    registered(event, 1, email="DORA@example.org", needs="Dolmetschung")
    registered(event, 2)
    data = personal_data(citizen)["veranstaltungen"]["anmeldungen"]
    assert [(r["veranstaltung"], r["e_mail"], r["unterstuetzungsbedarf"]) for r in data] == [
        ("Stadtteilversammlung Altstadt", "dora@example.org", "Dolmetschung")
    ]
