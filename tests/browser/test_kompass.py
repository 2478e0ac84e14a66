"""The public Kompass of the demo city in a real browser, with axe-core (WCAG 2.1 AA): the
latest half-year from the navigation, a past half-year, Leichte Sprache, and the printable
Bürgerjournal of the demo (4 to 8 pages, type of 12 pt or more)."""

import pytest

from gemeinsinn.socialreport.services.periods import latest_period
from tests.browser.fixtures import axe_violations
from tests.socialreport.plankit import font_sizes, pdf_reader, pdf_text

pytestmark = pytest.mark.browser


def test_kompass_from_the_navigation_without_violations(page, demo_server):
    page.goto(demo_server + "/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Kompass"
    ).click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"Kompass {latest_period().label}"
    assert page.get_by_role("heading", name="So machen Sie mit").count() == 1
    assert axe_violations(page) == []


def test_past_half_year_and_leichte_sprache_without_violations(page, demo_server):
    page.goto(demo_server + "/kompass/2026-H1/")
    assert page.get_by_text("Quartiersbüro Nordstadt").count() >= 1
    assert page.locator("table tbody tr").count() == 14  # the demo's Stadtteile
    assert axe_violations(page) == []
    page.get_by_role("link", name="Kompass in Leichter Sprache").click()
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Kompass in Leichter Sprache")
    )
    assert page.get_by_text("Ein Förder-Gebiet ist ein Teil der Stadt.").count() == 1
    assert axe_violations(page) == []


def test_demo_buergerjournal_pdf(page, demo_server):
    page.goto(demo_server + "/kompass/2026-H1/")
    link = page.get_by_role("link", name="Bürgerjournal als PDF (Deutsch)")
    response = page.request.get(demo_server + link.get_attribute("href"), timeout=120_000)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    content = response.body()
    assert 4 <= len(pdf_reader(content).pages) <= 8
    assert min(font_sizes(content)) >= 12.0
    text = pdf_text(content)
    assert "Musterstadt" in text and "So machen Sie mit" in text
