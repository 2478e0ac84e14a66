"""The event pages of the demo in a real browser, with axe-core (WCAG 2.1 AA): the list, the
detail pages (accessibility information, a full event with its waiting list, a past
conference with its workshop results) and a registration made with the keyboard only."""

import pytest

from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_event_pages_and_keyboard_registration_without_violations(page, demo_server):
    page.goto(demo_server + "/veranstaltungen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Veranstaltungen"
    assert "Fachkonferenz Sozialplanung" in page.locator("#past-heading + ul").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Fachkonferenz Sozialplanung").click()
    results = page.locator("#results-heading + p + ul li")
    assert results.count() == 6
    assert axe_violations(page) == []

    page.goto(demo_server + "/veranstaltungen/")
    page.get_by_role("link", name="Stadtteilversammlung Altstadt").click()
    assert (
        "Die Veranstaltung ist ausgebucht"
        in page.locator("#register-heading ~ div").first.inner_text()
    )
    assert page.get_by_role("button", name="Auf die Warteliste").count() == 1
    assert axe_violations(page) == []

    page.goto(demo_server + "/veranstaltungen/")
    page.get_by_role("link", name="Bürgerforum Sozialbericht 2027").click()
    access = page.locator("#access-heading + ul").inner_text()
    assert "Gebärdensprachdolmetschung: ja" in access and "Kinderbetreuung: ja" in access
    assert axe_violations(page) == []

    page.get_by_label("Name").focus()
    page.keyboard.type("Karla Tastatur")
    page.keyboard.press("Tab")
    page.keyboard.type("karla@example.org")
    page.keyboard.press("Tab")  # organisation, optional
    page.keyboard.press("Tab")
    page.keyboard.type("Ein Platz für meinen Rollstuhl")
    page.keyboard.press("Tab")  # the link to the privacy page
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # consent
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Wir haben Ihnen eine E-Mail an karla@example.org geschickt" in (
        page.locator(".messages").inner_text()
    )
    assert axe_violations(page) == []

    # the same address again: a clear message at the field
    page.get_by_label("Name").fill("Karla Tastatur")
    page.get_by_label("E-Mail-Adresse").fill("karla@example.org")
    page.get_by_label("Ich habe die Hinweise zum Datenschutz gelesen", exact=False).check()
    page.get_by_role("button", name="Anmelden").last.click()
    assert "ist eben eine Anmeldung eingegangen" in page.locator("[role=alert]").first.inner_text()
    assert axe_violations(page) == []


def test_district_profile_shows_events_ideas_and_survey_indicators(page, demo_server):
    page.goto(demo_server + "/veranstaltungen/")
    page.get_by_role("link", name="Stadtteilversammlung Altstadt").click()
    page.locator(".event-facts").get_by_role("link", name="Altstadt").click()
    page.locator("main").get_by_role("link").filter(has_text="Altstadt-").first.click()
    events = page.locator("#events-heading ~ ul").first.inner_text()
    assert "Stadtteilversammlung Altstadt" in events and "Bürgerforum" in events
    assert "Ideen aus" in page.locator("#ideas-heading + p").inner_text()
    assert page.locator("table").filter(has_text="(Umfrage)").count() >= 1
    assert axe_violations(page) == []


def test_staff_pages_without_violations(page, demo_server):
    login(page, demo_server)
    page.get_by_role("link", name="Veranstaltungen und Anmeldungen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Veranstaltungen verwalten"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Fachkonferenz Sozialplanung").click()
    assert "100 von 100 Plätzen bestätigt, 3 auf der Warteliste, 2 noch nicht bestätigt." in (
        page.locator("[role=status]").first.inner_text()
    )
    assert "Schule" in page.locator("table").first.inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ergebnisse der Workshops erfassen").click()
    assert axe_violations(page) == []
    page.goto(demo_server + "/verwaltung/veranstaltungen/neu/")
    assert axe_violations(page) == []
