"""The survey pages of the demo in a real browser, with axe-core (WCAG 2.1 AA): a respondent
answers the demo's Bürgerumfrage with the keyboard only (Tab, arrow keys, Space, Enter — no
clicks), meets an error and fixes it, sends the answers; and the staff pages of the survey."""

import re

import pytest

from tests.browser.fixtures import axe_violations, login

pytestmark = pytest.mark.browser

SLUG = "buergerumfrage-lebensqualitaet"


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus: it is reachable by
    keyboard in the page's order."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with the Tab key")


def next_page(page, expected: str) -> None:
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text={expected}")


def test_keyboard_only_survey_submission(page, demo_server):
    page.goto(demo_server + "/umfragen/")
    assert axe_violations(page) == []
    tab_to(page, f"a[href='/umfragen/{SLUG}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/umfragen/{SLUG}/")
    assert "Der Fragebogen hat 6 Seiten." in page.inner_text("main")
    assert axe_violations(page) == []

    tab_to(page, "#id_area")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    chosen = page.eval_on_selector("#id_area", "s => s.options[s.selectedIndex].text")
    assert page.eval_on_selector("#id_area", "s => s.value") != ""
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/seite/1/")
    assert "Seite 1 von 6" in page.inner_text("#progress")
    assert axe_violations(page) == []
    next_page(page, "Seite 2 von 6")

    # the required satisfaction question skipped: an error summary, the typed answer kept
    tab_to(page, "#q-wohndauer")
    page.keyboard.type("7")
    next_page(page, "Bitte prüfen Sie Ihre Antworten")
    alert = page.get_by_role("alert").inner_text()
    assert "Bitte wählen Sie eine Antwort aus." in alert
    assert page.input_value("#q-wohndauer") == "7"
    assert axe_violations(page) == []
    tab_to(page, "input[name=q-zufriedenheit]")
    page.keyboard.press("ArrowDown")  # moves to and checks the second option
    assert page.is_checked("#q-zufriedenheit-2")
    next_page(page, "Seite 3 von 6")
    assert axe_violations(page) == []

    tab_to(page, "input[name=q-sicherheit_tag]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=q-sicherheit_nacht]")
    page.keyboard.press("Space")
    next_page(page, "Seite 4 von 6")

    tab_to(page, "#q-fehlt-5")
    page.keyboard.press("Space")
    assert page.is_checked("#q-fehlt-5")
    next_page(page, "Seite 5 von 6")
    tab_to(page, "input[name=q-altersgruppe]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=q-geschlecht]")
    page.keyboard.press("Space")
    next_page(page, "Seite 6 von 6")
    tab_to(page, "#q-anmerkungen")
    page.keyboard.type("Mehr Bänke im Park, bitte.")
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/absenden/")

    summary = page.inner_text("main")
    assert "Mehr Bänke im Park, bitte." in summary
    assert "eher zufrieden" in summary.lower()
    assert axe_violations(page) == []
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/danke/")
    assert axe_violations(page) == []
    assert "Vielen Dank" in page.get_by_role("heading", level=1).inner_text()
    assert chosen  # the district was chosen from the list by keyboard


def test_one_page_form_without_violations(page, demo_server):
    page.goto(f"{demo_server}/umfragen/{SLUG}/")
    page.get_by_role("link", name="Lieber alle Fragen auf einer Seite beantworten").click()
    page.wait_for_url("**/eine-seite/")
    assert page.get_by_role("heading", level=2).count() >= 3  # one heading per group
    assert axe_violations(page) == []
    page.get_by_role("button", name="Antworten absenden").click()
    assert "Bitte wählen Sie Ihren Stadtteil aus der Liste." in page.inner_text("main")
    assert axe_violations(page) == []


def test_staff_survey_pages_without_violations(page, demo_server):
    login(page, demo_server)
    page.goto(demo_server + "/verwaltung/umfragen/")
    assert axe_violations(page) == []
    for suffix, heading in (
        ("", "Bürgerumfrage Lebensqualität im Stadtteil"),
        ("bearbeiten/", "Umfrage bearbeiten"),
        ("codes/", "Einladungscodes"),
        ("papier/", "Papier"),
        ("ergebnisse/?nach=area", "Ergebnisse"),
        ("ergebnisse/?nach=altersgruppe&gewichtet=1", "Ergebnisse"),
    ):
        page.goto(f"{demo_server}/verwaltung/umfragen/{SLUG}/{suffix}")
        assert heading in page.get_by_role("heading", level=1).inner_text()
        assert axe_violations(page) == [], suffix
    text = page.inner_text("main")
    assert re.search(r"\d[\d\s.]* Antworten\.", text)
    assert page.is_checked("#id_gewichtet")  # the weighted breakdown by age group

    page.goto(f"{demo_server}/verwaltung/umfragen/{SLUG}/papier/")
    page.get_by_role("link", name="Erfassung 2").first.click()
    page.wait_for_url(re.compile(r".*/papier/\d+/\?erfassung=2&bogen=1$"))
    assert "Bögen erfassen" in page.get_by_role("heading", level=1).inner_text()
    assert axe_violations(page) == []
    page.goto(f"{demo_server}/verwaltung/umfragen/{SLUG}/papier/")
    page.get_by_role("link", name="Prüfen").first.click()
    assert "Prüfung der Doppelerfassung" in page.get_by_role("heading", level=1).inner_text()
    assert axe_violations(page) == []


def _type_questionnaire(page, url: str, entry_pass: str) -> None:
    """One paper questionnaire typed with the keyboard only: Tab to the next field, choices
    as numbers, Enter saves and opens the next questionnaire."""
    page.goto(url)
    area_key = page.inner_text("#id_area-hint").split(" = ")[0]
    assert page.evaluate("document.activeElement.id") == "id_number"  # autofocus
    page.keyboard.type("9001")
    for text in (entry_pass, area_key, "7", "2", "", "1", "2", "", "1 6", "", "3", "1"):
        page.keyboard.press("Tab")
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*bogen=9002&erfassung={entry_pass}$"))
    assert f"Bogen 9001 (Erfassung {entry_pass}) gespeichert." in page.inner_text("main")


def test_keyboard_only_paper_entry_twice_then_the_check(page, demo_server):
    login(page, demo_server)
    page.goto(f"{demo_server}/verwaltung/umfragen/{SLUG}/papier/")
    page.get_by_label("Bezeichnung").fill("Stadtteilfest")
    page.get_by_label("Bezeichnung").press("Enter")
    page.wait_for_url(re.compile(r".*/papier/\d+/$"))
    url = page.url
    _type_questionnaire(page, url + "?erfassung=1", "1")
    _type_questionnaire(page, url + "?erfassung=2", "2")
    page.goto(url + "pruefung/")
    assert "1 Bogen stimmt überein und kann übernommen werden." in page.inner_text("main")
    assert axe_violations(page) == []
