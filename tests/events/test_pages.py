"""The event pages through Django's test client: the public list and detail with the
accessibility information, registration with its e-mail links, the calendar file, and the
staff pages: create, attendees with counts by sector, CSV/XLSX export, workshop results as
ideas. Every refused input answers with its message and changes nothing."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from gemeinsinn.events import services
from gemeinsinn.events.models import CONFIRMED, EXPERT_CONFERENCE, WAITING, Event, Registration
from gemeinsinn.ideas.models import Idea
from tests.events.conftest import area, make_citizen, make_event, person, registered

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {"name": "Ada Lovelace", "email": "ada@example.org", "consent": "on"}
    data.update(overrides)
    return data


def test_list_shows_upcoming_and_past_events_by_district(client, event, planner):
    now = timezone.now()
    make_event(
        planner,
        title="Versammlung Neustadt",
        area=area("02"),
        starts_at=now - dt.timedelta(days=30),
        ends_at=now - dt.timedelta(days=30) + dt.timedelta(hours=2),
        registration_opens=now - dt.timedelta(days=60),
        registration_closes=now - dt.timedelta(days=31),
    )
    make_event(planner, title="Bürgerforum", area=None)
    make_event(planner, title="Geheimer Entwurf", is_public=False)
    page = client.get(reverse("events:index")).content.decode()
    upcoming, past = page.split("Vergangene Veranstaltungen")
    assert "Stadtteilversammlung Altstadt" in upcoming and "Bürgerforum" in upcoming
    assert "Versammlung Neustadt" in past
    assert "2 Veranstaltungen demnächst" in upcoming
    assert "Geheimer Entwurf" not in page

    markt = area("0101")  # in the Altstadt
    page = client.get(reverse("events:index"), {"gebiet": markt.pk}).content.decode()
    assert "Stadtteilversammlung Altstadt" in page and "Bürgerforum" in page
    assert "Versammlung Neustadt" not in page
    page = client.get(reverse("events:index"), {"gebiet": area("0202").pk}).content.decode()
    assert "Versammlung Neustadt" in page and "Stadtteilversammlung Altstadt" not in page


def test_detail_presents_accessibility_and_the_form(client, event):
    registered(event, 1)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert '<h1 class="kern-heading-large">Stadtteilversammlung Altstadt</h1>' in page
    assert "2 Plätze, davon 1 frei" in page
    access = page.split('id="access-heading"')[1].split("</section>")[0]
    assert re.search(r"Stufenloser Zugang: <strong>ja</strong>", access)
    assert re.search(r"Gebärdensprachdolmetschung: <strong>ja</strong>", access)
    assert re.search(r"Induktionsschleife für Hörgeräte: <strong>nein</strong>", access)
    assert re.search(r"Kinderbetreuung: <strong>nein</strong>", access)
    assert "Deutsch, Türkisch" in access and "Eingang über den Hof." in access
    assert 'name="email"' in page and 'name="sector"' not in page
    assert reverse("events:ics", args=[event.pk]) in page


def test_draft_is_hidden_from_the_public_but_not_from_staff(client, city, planner):
    draft = make_event(planner, is_public=False)
    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 404
    client.force_login(planner)
    page = client.get(reverse("events:detail", args=[draft.pk])).content.decode()
    assert "Entwurf, nicht öffentlich" in page


def test_register_confirm_and_cancel_through_the_pages(client, event, mailoutbox, commits):
    with commits(execute=True):
        response = client.post(reverse("events:register", args=[event.pk]), form(), follow=True)
    page = response.content.decode()
    assert "Wir haben Ihnen eine E-Mail an ada@example.org geschickt" in page
    [mail] = mailoutbox
    confirm = re.search(r"http://testserver(/\S+/bestaetigen/)", mail.body).group(1)
    cancel = re.search(r"http://testserver(/\S+/absagen/)", mail.body).group(1)
    page = client.get(confirm).content.decode()
    assert "Ihre Anmeldung ist bestätigt" in page
    assert Registration.objects.get().status == CONFIRMED

    page = client.get(cancel).content.decode()
    assert "Ja, Anmeldung absagen" in page
    assert Registration.objects.get().status == CONFIRMED  # opening the link cancels nothing
    page = client.post(cancel).content.decode()
    assert "Ihre Anmeldung ist abgesagt" in page
    response = client.post(cancel)
    assert response.status_code == 400 and "bereits abgesagt" in response.content.decode()
    response = client.get("/veranstaltungen/anmeldung/unbekannt/bestaetigen/")
    assert (
        response.status_code == 400 and "Diesen Link kennen wir nicht" in response.content.decode()
    )


def test_full_event_offers_the_waiting_list(client, event):
    registered(event, 1)
    registered(event, 2)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Die Veranstaltung ist ausgebucht" in page and "Auf die Warteliste" in page
    response = client.post(reverse("events:register", args=[event.pk]), form(), follow=True)
    assert "kommen Sie auf die Warteliste" in response.content.decode()
    token = Registration.objects.get(email="ada@example.org").token
    page = client.get(reverse("events:confirm", args=[token])).content.decode()
    assert "Sie stehen auf der Warteliste" in page
    assert Registration.objects.get(email="ada@example.org").status == WAITING


def test_refused_registrations_say_why_and_store_nothing(client, event):
    registered(event, 1)
    url = reverse("events:register", args=[event.pk])
    cases = [
        (form(email="person1@example.org"), "bereits eine Anmeldung für diese Veranstaltung"),
        (form(email="kaputt"), "keine gültige E-Mail-Adresse"),
        (form(name=""), "Bitte geben Sie Ihren Namen an."),
        (form(consent=""), "Hinweise zum Datenschutz gelesen"),
        (form(website="http://spam.example"), "konnte nicht angenommen werden"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 400, message
        assert message in response.content.decode()
    assert Registration.objects.count() == 1
    assert client.get(url).status_code == 302  # the form lives on the detail page


def test_registration_closed_shows_the_reason(client, city, planner):
    now = timezone.now()
    closed = make_event(
        planner,
        registration_opens=now - dt.timedelta(days=5),
        registration_closes=now - dt.timedelta(days=1),
    )
    page = client.get(reverse("events:detail", args=[closed.pk])).content.decode()
    assert "Die Anmeldung ist seit dem" in page and 'name="email"' not in page
    response = client.post(reverse("events:register", args=[closed.pk]), form())
    assert response.status_code == 400 and "geschlossen" in response.content.decode()
    assert not Registration.objects.exists()


def test_calendar_file(client, event):
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    start = event.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in text
    assert "SUMMARY:Stadtteilversammlung Altstadt\r\n" in text
    assert "LOCATION:Gemeindezentrum\\, Kirchplatz 1\\, 59999 Kleinstadt\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_staff_pages_need_a_staff_role(client, event):
    url = reverse("events:attendees", args=[event.pk])
    assert client.get(url).status_code == 302
    client.force_login(make_citizen("carl"))
    assert client.get(url).status_code == 403
    assert client.get(reverse("events:export", args=[event.pk, "csv"])).status_code == 403


def test_staff_creates_an_event_and_sees_problems(client, city, planner):
    client.force_login(planner)
    data = {
        "title": "Fachkonferenz Jugend",
        "kind": EXPERT_CONFERENCE,
        "starts_at": "2027-05-06T09:00",
        "ends_at": "2027-05-06T08:00",
        "place_name": "Rathaus",
        "place_address": "Markt 1",
        "capacity": "80",
        "audience": "Fachkräfte",
        "registration_opens": "2027-01-01T08:00",
        "registration_closes": "2027-05-01T23:59",
        "languages": "Deutsch",
        "step_free": "on",
        "is_public": "on",
    }
    response = client.post(reverse("events:new"), data)
    assert response.status_code == 400
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    assert not Event.objects.exists()
    data["ends_at"] = "2027-05-06T16:00"
    response = client.post(reverse("events:new"), data)
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:attendees", args=[event.pk])
    assert event.step_free and not event.sign_language and event.area is None
    assert timezone.localtime(event.starts_at).strftime("%d.%m.%Y %H:%M") == "06.05.2027 09:00"
    assert event.created_by == planner


def test_attendees_counts_by_sector_and_exports(client, city, planner):
    conference = make_event(planner, kind=EXPERT_CONFERENCE, capacity=3)
    registered(conference, 1, sector="schule", organisation="Grundschule am Park")
    registered(conference, 2, sector="kita", needs="Dolmetschung")
    registered(conference, 3, sector="schule")
    registered(conference, 4, sector="schule")  # waiting
    registered(conference, 5, sector="sport", confirm=False)
    cancelled = registered(conference, 6, sector="kultur")  # waiting, then cancelled
    services.cancel(cancelled.token)
    client.force_login(planner)
    page = client.get(reverse("events:attendees", args=[conference.pk])).content.decode()
    assert "3 von 3 Plätzen bestätigt, 1 auf der Warteliste, 1 noch nicht bestätigt." in page
    sectors = page.split("Anmeldungen nach Bereich")[1].split("</table>")[0]
    cells = re.findall(r'scope="row">([^<]+)</th><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>', sectors)
    assert cells == [("Schule", "2", "1"), ("Kita", "1", "0")]

    response = client.get(reverse("events:export", args=[conference.pk, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffNr.;Name;E-Mail;Organisation;Bereich;")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert len(lines) == 1 + 6 + 1  # header, six registrations, final line break
    assert lines[1].startswith(
        "1;Person 1;person1@example.org;Grundschule am Park;Schule;;bestätigt;"
    )
    assert [line.split(";")[6] for line in lines[1:7]] == [
        "bestätigt", "bestätigt", "bestätigt", "Warteliste", "E-Mail noch nicht bestätigt",
        "abgesagt",
    ]  # fmt: skip

    response = client.get(reverse("events:export", args=[conference.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nr.", "Name", "E-Mail")
    assert [row[6] for row in rows[1:]].count("bestätigt") == 3
    assert rows[2][5] == "Dolmetschung"
    assert client.get(reverse("events:export", args=[conference.pk, "pdf"])).status_code == 404


def test_workshop_results_join_the_ideas(client, event, planner):
    from gemeinsinn.ideas.models import Process
    from gemeinsinn.ideas.services import district_statistics, ensure_default_categories

    ensure_default_categories()
    now = timezone.now()
    client.force_login(planner)
    url = reverse("events:results", args=[event.pk])
    data = {"title": "Mehr Bänke im Park", "text": "Ergebnis des Workshops Wohnen.", "area": ""}
    from gemeinsinn.ideas.models import Category

    data["category"] = str(Category.objects.get(name="Wohnen und Wohnumgebung").pk)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "kein Beteiligungsverfahren" in response.content.decode()
    Process.objects.create(
        title="Ideen 2026", slug="ideen-2026", collect_from=now - dt.timedelta(days=30),
        collect_until=now + dt.timedelta(days=30), comment_until=now + dt.timedelta(days=60),
    )  # fmt: skip
    response = client.post(url, {**data, "title": ""})
    assert response.status_code == 400 and "Bitte schreiben Sie einen Titel." in (
        response.content.decode()
    )
    assert not Idea.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.event, idea.area, idea.author_name) == (event, area("01"), event.title)
    markt = client.post(url, {**data, "title": "Treff am Markt", "area": str(area("0101").pk)})
    assert markt.status_code == 302
    assert Idea.objects.get(title="Treff am Markt").area == area("0101")

    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    results = page.split("Ergebnisse der Workshops")[1]
    assert "Mehr Bänke im Park" in results and "Treff am Markt" in results
    page = client.get(reverse("ideas:detail", args=[idea.pk])).content.decode()
    assert "Ergebnis der Veranstaltung" in page
    assert reverse("events:detail", args=[event.pk]) in page
    rows = {row.area.key: row.ideas for row in district_statistics() if row.area}
    assert rows["0101"] == 1
    page = client.get(reverse("ideas:index")).content.decode()
    assert "2 Ideen gefunden" in page


def test_district_profile_shows_upcoming_events_and_ideas(client, event, planner):
    from gemeinsinn.ideas.models import Category, Process
    from gemeinsinn.ideas.services import IdeaInput, ensure_default_categories

    now = timezone.now()
    make_event(planner, title="Bürgerforum für alle", area=None)
    make_event(planner, title="Versammlung Neustadt", area=area("02"))
    make_event(
        planner,
        title="Vorbei",
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=3) + dt.timedelta(hours=1),
        registration_opens=now - dt.timedelta(days=9),
        registration_closes=now - dt.timedelta(days=4),
    )
    ensure_default_categories()
    Process.objects.create(
        title="Ideen", slug="ideen", collect_from=now - dt.timedelta(days=30),
        collect_until=now + dt.timedelta(days=30), comment_until=now + dt.timedelta(days=60),
    )  # fmt: skip
    services.record_result(
        event,
        planner,
        IdeaInput(
            title="Sitzbänke am Markt",
            text="Aus dem Workshop.",
            category=Category.objects.first(),
            area=area("0101"),
        ),
    )
    markt = area("0101")
    page = client.get(reverse("areas:profile", args=[markt.level.code, markt.key])).content
    events = page.decode().split('id="events-heading"')[1].split("</section>")[0]
    assert "Stadtteilversammlung Altstadt" in events and "Bürgerforum für alle" in events
    assert "Versammlung Neustadt" not in events and "Vorbei" not in events
    ideas = page.decode().split('id="ideas-heading"')[1].split("</section>")[0]
    assert "1 Idee aus Markt." in ideas and "Sitzbänke am Markt</a> – eingegangen" in ideas


def test_privacy_notice_is_on_the_form(client, event):
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert f"löschen sie {services.ERASE_AFTER.days} Tage nach ihrem Ende" in page


def test_capacity_is_enforced_when_confirming_on_the_pages(client, event):
    for number in range(1, 4):
        services.register(event, person(number))
    tokens = list(Registration.objects.order_by("id").values_list("token", flat=True))
    for token in tokens:
        client.get(reverse("events:confirm", args=[token]))
    assert list(Registration.objects.order_by("id").values_list("status", flat=True)) == [
        CONFIRMED, CONFIRMED, WAITING,
    ]  # fmt: skip


def test_staff_edits_an_event_and_more_seats_move_people_up(
    client, event, planner, mailoutbox, commits
):
    for number in range(1, 5):
        registered(event, number)
    client.force_login(planner)
    url = reverse("events:edit", args=[event.pk])
    page = client.get(url).content.decode()
    start = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{start}"' in page and 'value="Stadtteilversammlung Altstadt"' in page
    data = {
        "title": event.title, "kind": event.kind, "place_name": event.place_name,
        "place_address": event.place_address, "area": str(event.area_id), "capacity": "3",
        "audience": event.audience, "languages": event.languages, "is_public": "on",
        "starts_at": start,
        "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "registration_opens": timezone.localtime(event.registration_opens).strftime(
            "%Y-%m-%dT%H:%M"),
        "registration_closes": timezone.localtime(event.registration_closes).strftime(
            "%Y-%m-%dT%H:%M"),
    }  # fmt: skip
    mailoutbox.clear()
    with commits(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    assert services.seats(Event.objects.get()).confirmed == 3
    assert [m.to for m in mailoutbox] == [["person3@example.org"]]
    assert "http://testserver/veranstaltungen/anmeldung/" in mailoutbox[0].body
