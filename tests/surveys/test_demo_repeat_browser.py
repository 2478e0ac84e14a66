"""The demo's Familienbefragung Kinderbetreuung in a real browser: its results page by area,
with the per-entry figures of the repeat "Kinder im Haushalt", without axe-core violations."""

import re

import pytest

from tests.browser.fixtures import axe_violations, login

pytestmark = pytest.mark.browser

SLUG = "familienbefragung-kinderbetreuung"


def test_family_survey_results_show_the_children_per_entry(page, demo_server):
    login(page, demo_server)
    page.goto(f"{demo_server}/verwaltung/umfragen/{SLUG}/ergebnisse/?nach=area")
    assert "Ergebnisse" in page.get_by_role("heading", level=1).inner_text()
    text = page.inner_text("main")
    assert re.search(
        r"Frage der Wiederholung „Kinder im Haushalt“: gezählt wird jeder Eintrag – "
        r"[\d.]+ Einträge von [\d.]+ Befragten\.",
        text,
    )
    assert "Wie viele Stunden Betreuung in der Woche braucht Ihr Haushalt" in text
    assert axe_violations(page) == []
