"""The idea pages of the demo in a real browser, with axe-core (WCAG 2.1 AA): the list, an
idea with its answer and comments, and the submission form of a logged-in citizen, which a
keyboard user can fill in and send."""

import re

import pytest

from tests.browser.fixtures import axe_violations

pytestmark = pytest.mark.browser


def test_idea_list_detail_and_form_without_violations(page, demo_server):
    from gemeinsinn.core.demo import DEMO_PASSWORD
    from gemeinsinn.ideas.demo import CITIZEN

    page.goto(demo_server + "/ideen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ideen und Vorschläge"
    assert "102 Ideen gefunden" in page.locator("[role=status]").first.inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Stand").select_option(label="umgesetzt")
    page.get_by_role("button", name="Anzeigen").click()
    page.locator("table tbody th a").first.click()
    assert page.get_by_role("heading", name="Antwort der Verwaltung").count() == 1
    assert "Umgesetzt" in page.locator("#answer-heading + div").inner_text()
    assert axe_violations(page) == []

    page.goto(demo_server + "/konto/anmelden/?next=/ideen/neu/")
    page.get_by_label("Benutzername").fill(CITIZEN)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").last.click()
    page.wait_for_url("**/ideen/neu/")
    assert axe_violations(page) == []

    page.get_by_label("Titel").focus()
    page.keyboard.type("Trinkbrunnen am Spielplatz")
    page.keyboard.press("Tab")
    page.keyboard.type("Im Sommer fehlt Wasser für die Kinder.")
    page.get_by_label("Handlungsfeld").select_option(label="Wohnen und Wohnumgebung")
    page.get_by_label("Gebiet").select_option(index=3)
    page.get_by_label("Gebiet").focus()
    page.get_by_role("button", name="Idee einreichen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/ideen/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Trinkbrunnen am Spielplatz"
    assert "Ihre Idee ist eingegangen" in page.locator(".messages").inner_text()
    assert axe_violations(page) == []
