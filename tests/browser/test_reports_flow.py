"""Done when (issue 6), in the real browser: a planner goes from the social index and the
survey results to a ranking (a weight changed at once, htmx), marks a target area with a
reason, adds a measure to the action plan, then builds the Sozialbericht, the Handlungskonzept
and the Kompass from /verwaltung/berichte/ (in the background, with progress) and downloads
them; the downloads are tagged PDFs with the expected titles; axe-core finds no WCAG 2.1 AA
violation on the report pages.

The small city of tests/citykit.py (four Sozialräume) with the demo's ideas, action plan and
survey keeps the reports short; the server is Django's live server of this test process."""

import io
import os
import re

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.fixtures import axe_violations, login
from tests.socialreport.plankit import planned_city_fixture  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

# Playwright's sync API keeps an event loop in this thread, which Django's guard against
# database calls from async code mistakes for async code; the calls here are all synchronous
# (the usual setting for Playwright with pytest-django). Set when this module is imported, as
# the test database may be set up before this module's fixtures run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BUILD_TIMEOUT = 180_000  # ms: the Sozialbericht PDF on a loaded 2-core machine


@pytest.fixture
def small_city_server(planned_city, live_server, settings, tmp_path, django_user_model):
    from gemeinsinn.core.demo import DEMO_PASSWORD, DEMO_USER
    from gemeinsinn.surveys import demo as surveys_demo

    settings.DATA_DIR = tmp_path
    # Builds run inside the request: the live server's in-memory SQLite (shared cache) answers
    # a background thread's write with "table is locked" instead of waiting, which made this
    # test flaky. The background thread and its progress are tested in tests/socialreport.
    settings.GEMEINSINN_INLINE_TASKS = True
    user = django_user_model.objects.create_superuser(
        DEMO_USER, "planung@kleinstadt.example", DEMO_PASSWORD
    )
    list(surveys_demo.load(user))
    return live_server.url


def _new_measure_csv(tmp_path) -> tuple[str, str]:
    """A spreadsheet with one new measure under the first programme, as a planner writes it."""
    from gemeinsinn.planning.models import Measure

    programme = Measure.objects.filter(kind=Measure.PROGRAMME).order_by("number").first()
    title = "Sprachcafé im Bahnhofsviertel"
    lines = [
        "Nummer;Art;gehört zu;Titel;Beschreibung;Handlungsfeld;Federführung;Partner;Beginn;"
        "Ende;Stand;Fortschritt in %;Budget 2026",
        f"{programme.number}.99;Maßnahme;{programme.number};{title};Wöchentliches Treffen zum "
        f"Deutschlernen;{programme.field.name};Amt für Soziales;Volkshochschule;01.09.2026;"
        "31.12.2027;geplant;;4500",
    ]
    path = tmp_path / "neue_massnahme.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path), title


def _build_and_download(page, base, tmp_path, kind, year, period_label=None) -> bytes:
    page.goto(base + "/verwaltung/berichte/")
    page.get_by_label("Bericht", exact=True).select_option(kind)
    page.get_by_label("Jahr", exact=True).select_option(str(year))
    if period_label:
        page.get_by_label("Zeitraum (nur Kompass)").select_option(label=period_label)
    page.get_by_label("Format").select_option("pdf")
    page.get_by_role("button", name="Bericht erstellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    link = page.get_by_role("link", name=re.compile(r"\.pdf herunterladen$"))
    expect(link).to_be_visible(timeout=BUILD_TIMEOUT)
    assert axe_violations(page) == []
    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path.read_bytes()


def _check_pdf(content: bytes, title: str, cover: str) -> str:
    """The PDF's text; checks its title, that it is tagged and the text of its first page."""
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert reader.metadata.title == title
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    first = reader.pages[0].extract_text()
    assert cover in first, first[:300]
    return "\n".join(p.extract_text() for p in reader.pages)


def test_from_index_and_survey_to_ranking_plan_and_the_three_reports(
    page, small_city_server, tmp_path
):
    base = small_city_server
    login(page, base)

    # the social index and the survey results
    page.get_by_role("link", name="Sozialindex einstellen und berechnen").click()
    page.get_by_role("link", name="Berechnen und Verlauf").first.click()
    page.get_by_role("link", name="2025", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    page.goto(base + "/verwaltung/umfragen/")
    page.locator("main table a").first.click()
    page.get_by_role("link", name="Ergebnisse und Indikatoren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ergebnisse")

    # the ranking: a changed weight re-ranks at once
    page.goto(base + "/verwaltung/planung/rangfolge/")
    first = page.locator("#ranking tbody").last.locator("tr").first
    expect(first).to_contain_text("Rang 1:")
    page.get_by_label("Gewicht: Sozialindex Status").fill("0")
    page.get_by_label("Gewicht: Sozialindex Dynamik").fill("0")
    page.get_by_label("Gewicht: Kinderarmut (unter 15 Jahren)").fill("1")
    expect(first).to_contain_text("Rang 1: Kinderarmut (unter 15 Jahren) hoch")
    expect(first).to_contain_text("Bahnhof")  # 0201: the highest child poverty of the city
    page.get_by_label("Name der Rangfolge").fill("Kinderarmut 2025")
    page.get_by_role("button", name="Rangfolge speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kinderarmut 2025")

    # a target area with its reason
    page.locator("input[name=members]").first.check()
    page.get_by_label("Name des neuen Fördergebiets").fill("Fördergebiet Kinderarmut")
    page.get_by_label("Begründung").fill("Höchste Kinderarmut der Stadt.")
    page.get_by_role("button", name="Fördergebiet festlegen").click()
    expect(page.get_by_role("heading", name=re.compile("Fördergebiet Kinderarmut"))).to_be_visible()

    # a measure added to the action plan from a spreadsheet
    page.goto(base + "/verwaltung/planung/handlungskonzept/")
    csv_path, measure = _new_measure_csv(tmp_path)
    page.get_by_label("Datei").set_input_files(csv_path)
    page.get_by_role("button", name="Importieren").click()
    expect(page.get_by_role("link", name=measure)).to_be_visible()

    # the three reports, built in the background and downloaded
    page.goto(base + "/verwaltung/")
    page.get_by_role("link", name=re.compile("^Berichte erstellen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichte erstellen")
    assert axe_violations(page) == []

    report = _build_and_download(page, base, tmp_path, "sozialbericht", 2025)
    text = _check_pdf(report, "Sozialbericht 2025 – Kleinstadt", "Sozialbericht 2025")
    assert "Armut" in text and "Bahnhof" in text
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_role("status").first).to_contain_text("ist veröffentlicht")

    this_year = timezone.localdate().year  # the plan and the Kompass report on this year
    plan = _build_and_download(page, base, tmp_path, "handlungskonzept", this_year)
    text = _check_pdf(
        plan, "Integriertes Handlungskonzept Kleinstadt", "Integriertes Handlungskonzept"
    )
    assert measure in text and "Fördergebiet Kinderarmut" in text

    kompass = _build_and_download(page, base, tmp_path, "kompass", this_year, "ganzes Jahr")
    text = _check_pdf(kompass, f"Kompass Kleinstadt – {this_year}", "Kompass")
    assert measure in text  # added this year

    page.goto(base + "/verwaltung/berichte/")
    assert page.locator("main tbody tr").count() == 3
    assert axe_violations(page) == []

    # the published Sozialbericht on the public page
    page.goto(base + "/berichte/")
    expect(page.get_by_role("link", name=re.compile("PDF herunterladen"))).to_have_count(1)
    assert axe_violations(page) == []
