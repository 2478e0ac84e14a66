"""The public pages and the staff import in a real browser, with axe-core (WCAG 2.1 AA)."""

import re

import pytest

from tests.browser.fixtures import axe_violations, login

pytestmark = pytest.mark.browser


def test_overview_shows_map_ranking_and_legend_without_violations(page, demo_server):
    page.goto(demo_server + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Soziale Lage in Musterstadt"
    svg_map = page.locator("figure.map-figure svg")
    assert svg_map.count() == 1
    assert svg_map.locator("path").count() >= 60
    assert page.locator(".legend li").filter(has_text="sehr niedrig").count() == 1
    rows = page.locator("#ranking-heading ~ div table tbody tr")
    assert rows.count() >= 55
    assert axe_violations(page) == []


def test_profile_page_without_violations(page, demo_server):
    page.goto(demo_server + "/")
    first = page.locator("#ranking-heading ~ div table tbody tr th a").first
    name = first.inner_text()
    first.click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert page.get_by_text("Kinderarmut (unter 15 Jahren)").count() >= 1
    assert page.locator("svg.sparkline").count() > 5
    assert axe_violations(page) == []


def test_keyboard_user_can_skip_to_content_and_open_an_area(page, demo_server):
    page.goto(demo_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_import_page_and_upload_flow(page, demo_server, tmp_path):
    login(page, demo_server)
    page.get_by_role("link", name="Statistiktabelle hochladen").click()
    assert axe_violations(page) == []
    csv_file = tmp_path / "nachlieferung.csv"
    csv_file.write_text("Gebiet;Jahr;Merkmal;Wert\n0101;2025;zuzuege;123\n", encoding="utf-8")
    page.get_by_label("Gebietsebene").select_option(label="Sozialraum")
    page.get_by_label("Datei", exact=True).set_input_files(str(csv_file))
    page.get_by_role("button", name="Datei prüfen").click()
    assert "geprüft" in page.locator("#dataset-status").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Import bestätigen").click()
    page.wait_for_function(
        "document.querySelector('#dataset-status').innerText.includes('importiert')",
        timeout=30_000,
    )


def test_bad_upload_shows_german_problems(page, demo_server, tmp_path):
    login(page, demo_server)
    page.goto(demo_server + "/verwaltung/import/statistik/")
    bad = tmp_path / "kaputt.csv"
    bad.write_text("Gebiet;Jahr;Merkmal;Wert\n9999;2025;ew;12\n0101;2025;ew;viele\n")
    page.get_by_label("Gebietsebene").select_option(label="Sozialraum")
    page.get_by_label("Datei", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Datei prüfen").click()
    problems = page.locator(".problem-list li")
    assert problems.count() >= 2
    text = page.locator(".problem-list").inner_text()
    assert re.search(r"Zeile 2", text) and "9999" in text and "viele" in text
    assert page.get_by_role("button", name="Import bestätigen").count() == 0


def test_registration_and_privacy_pages_without_violations(page, demo_server):
    page.goto(demo_server + "/konto/registrieren/")
    page.get_by_role("button", name="Konto anlegen").click()  # empty form: errors shown
    assert page.locator(".kern-error").count() >= 2
    assert axe_violations(page) == []
    page.goto(demo_server + "/konto/datenschutz/")
    assert axe_violations(page) == []
