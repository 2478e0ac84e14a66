"""The need ranking in the real browser against the demo: a changed weight re-ranks at once
(htmx), the address keeps the settings, the ranking can be saved; axe-core finds no WCAG 2.1
AA violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_weights_re_rank_at_once_and_the_ranking_is_saved(page, demo_server):
    login(page, demo_server)
    page.goto(demo_server + "/verwaltung/planung/rangfolge/")
    assert axe_violations(page) == []
    first = page.locator("#ranking tbody").last.locator("tr").first
    expect(first).to_contain_text("Rang 1: Sozialindex")

    page.get_by_label("Gewicht: Sozialindex Status").fill("0")
    page.get_by_label("Gewicht: Sozialindex Dynamik").fill("0")
    page.get_by_label("Gewicht: Kinderarmut (unter 15 Jahren)").fill("1")
    expect(first).to_contain_text("Rang 1: Kinderarmut (unter 15 Jahren) hoch")
    assert re.search(r"w-indicator-kinderarmut_u15=1\b", page.url)
    assert axe_violations(page) == []

    page.get_by_label("Richtung: Kinderarmut (unter 15 Jahren)").select_option("weniger")
    expect(first).to_contain_text("Rang 1: Kinderarmut (unter 15 Jahren) niedrig")

    page.get_by_label("Name der Rangfolge").fill("Verdichtung Browser")
    page.get_by_role("button", name="Rangfolge speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verdichtung Browser")
    assert "Rang 1: Kinderarmut (unter 15 Jahren) niedrig" in page.content()
    assert axe_violations(page) == []

    # mark the first two areas as a new target area
    boxes = page.locator("input[name=members]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_label("Name des neuen Fördergebiets").fill("Fördergebiet Browser")
    page.get_by_label("Begründung").fill("Geringste Kinderarmut: Probe der Gegenrichtung.")
    page.get_by_role("button", name="Fördergebiet festlegen").click()
    expect(page.get_by_role("heading", name=re.compile("Fördergebiet Browser"))).to_be_visible()
    assert "Geringste Kinderarmut" in page.content()
    assert axe_violations(page) == []

    page.goto(demo_server + "/verwaltung/planung/rangfolge/")
    page.get_by_label("Gebietsebene").select_option(label="Stadtteil")
    # no index run for the Stadtteile: every default weight is 0, the page says what to do
    expect(page.get_by_role("alert")).to_contain_text("mindestens einem Bestandteil")
    assert page.get_by_label("Gewicht: Sozialindex Status").count() == 0
    page.get_by_label("Gewicht: Kinderarmut (unter 15 Jahren)").fill("1")
    expect(page.locator("#ranking h2")).to_contain_text("Rangfolge der Stadtteile")
    assert axe_violations(page) == []


def test_public_action_plan_and_a_measure(page, demo_server):
    page.goto(demo_server + "/handlungskonzept/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Handlungskonzept: Ziele und Maßnahmen"
    )
    assert page.get_by_role("heading", name="Wohnen und Wohnumgebung").count() == 1
    assert page.locator("progress").count() >= 30
    assert axe_violations(page) == []
    page.get_by_role("link", name="Hausaufgabenhilfe in der Stadtteilbibliothek").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hausaufgabenhilfe")
    assert "Finanzierung" in page.content() and "Chronik" in page.content()
    assert axe_violations(page) == []


def test_staff_plan_and_goal_pages(page, demo_server):
    login(page, demo_server)
    for path in ("handlungskonzept/", "ziele/", "foerdergebiete/"):
        page.goto(demo_server + "/verwaltung/planung/" + path)
        assert page.get_by_role("heading", level=1).count() == 1
        assert axe_violations(page) == [], path
