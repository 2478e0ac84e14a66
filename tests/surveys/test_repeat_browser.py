"""A repeat on paper in a real browser: a household questionnaire with two children typed
twice with the keyboard only (Tab to the next field, Enter saves), the check showing the
child whose age was typed differently; axe-core on the entry, check and results pages."""

import re

import pytest

from tests.browser.fixtures import axe_violations, login
from tests.surveys.repeat_form import household_form

pytestmark = pytest.mark.browser


def _type_household(page, url: str, entry_pass: str, second_age: str) -> None:
    page.goto(f"{url}?erfassung={entry_pass}")
    area_key = page.inner_text("#id_area-hint").split(" = ")[0]
    assert page.evaluate("document.activeElement.id") == "id_number"  # autofocus
    page.keyboard.type("1")
    # pass, area, living; the number of children; per child: age, care, way to school
    typed = (entry_pass, area_key, "1", "2", "1", "1 3", "", second_age, "2", "12")
    for text in typed:
        page.keyboard.press("Tab")
        page.keyboard.type(text)
    assert page.evaluate("document.activeElement.id") == "p-kinder-2-kind_weg"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*bogen=2&erfassung={entry_pass}$"))
    assert f"Bogen 1 (Erfassung {entry_pass}) gespeichert." in page.inner_text("main")


def test_keyboard_only_paper_entry_of_a_repeat_and_the_check(page, demo_server, tmp_path):
    login(page, demo_server)
    form = tmp_path / "haushalt.xlsx"
    form.write_bytes(household_form())
    page.goto(f"{demo_server}/verwaltung/umfragen/")
    page.set_input_files("#id_form", str(form))
    page.get_by_role("button", name="Prüfen und anlegen").click()
    page.wait_for_url(re.compile(r".*/verwaltung/umfragen/haushalt[-\d]*/$"))
    slug = page.url.rstrip("/").split("/")[-1]
    page.goto(f"{demo_server}/verwaltung/umfragen/{slug}/papier/")
    page.get_by_label("Bezeichnung").fill("Kita-Fest")
    page.get_by_label("Bezeichnung").press("Enter")
    page.wait_for_url(re.compile(r".*/papier/\d+/$"))
    url = page.url
    assert page.get_by_label("Eintrag 3: Alter des Kindes").count() == 1
    assert axe_violations(page) == []
    _type_household(page, url, "1", "3")
    _type_household(page, url, "2", "4")
    page.goto(url + "pruefung/")
    text = page.inner_text("main")
    assert "kind_alter (Eintrag 2) Alter des Kindes\t6_9\t10_17" in text
    assert axe_violations(page) == []
    page.goto(f"{demo_server}/verwaltung/umfragen/{slug}/ergebnisse/")
    assert axe_violations(page) == []
