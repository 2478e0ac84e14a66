"""The Sozialbericht of the tiny city (tests/citykit.py): findings checked against numbers
computed here from the city kit's counts, chapters and their order, confidentiality, planner
text, the tagged PDF and the command."""

import re

import pytest

import gemeinsinn.cli
from gemeinsinn.socialreport.services import ReportError, ReportRequest, build_report
from gemeinsinn.socialreport.services.sozialbericht import CHAPTERS
from tests import citykit
from tests.socialreport.plankit import outline_titles, pdf_reader, pdf_text

YEAR = 2025
PUBLISHED = ["0101", "0102", "0201"]  # 0202 "Heide" has 250 residents: below 300, withheld
NAMES = {key: name for key, name, _parent, _box in citykit.SOZIALRAEUME}


def german(value: float, decimals: int = 1) -> str:
    return f"{value:,.{decimals}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def share(numerator: str, denominator: str, key: str, year: int = YEAR) -> float:
    return 100 * citykit.count(key, numerator, year) / citykit.count(key, denominator, year)


def city_share(numerator: str, denominator: str, year: int = YEAR) -> float:
    keys = list(citykit.COUNTS)
    top = sum(citykit.count(k, numerator, year) for k in keys)
    return 100 * top / sum(citykit.count(k, denominator, year) for k in keys)


@pytest.fixture
def report_html(index_definition):
    from gemeinsinn.monitoring.services import run_index

    run_index(index_definition, YEAR)
    return build_report(ReportRequest("sozialbericht", YEAR), "html").decode()


def chapter(html: str, slug: str) -> str:
    start = html.index(f'id="kapitel-{slug}"')
    following = html.find('<section class="chapter"', start)
    return html[start : following if following > 0 else len(html)]


def section(html: str, code: str) -> str:
    start = html.index(f'id="indikator-{code}"')
    return html[start : html.index("</section>", start)]


def sentences(fragment: str) -> str:
    """The findings' text, without tags, in one line."""
    found = re.findall(r'<div class="findings">(.*?)</div>', fragment, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", f) for f in found)
    return re.sub(r"[ \t\n]+", " ", text).strip()  # keeps the no-break spaces


def test_findings_of_the_unemployment_share_are_exact(report_html):
    values = {k: share("arbeitslose", "ew_15_65", k) for k in PUBLISHED}
    city = city_share("arbeitslose", "ew_15_65")
    above = [NAMES[k] for k in PUBLISHED if values[k] > 1.5 * city]
    assert above == ["Bahnhof"]  # the city kit: Bahnhof has three times the city's share
    high = max(PUBLISHED, key=values.get)
    low = min(PUBLISHED, key=values.get)
    previous = city_share("arbeitslose", "ew_15_65", YEAR - 1)
    first = city_share("arbeitslose", "ew_15_65", 2023)
    text = sentences(section(report_html, "arbeitslosenanteil"))

    assert (
        f"In 1 von 3 Sozialräumen mit veröffentlichtem Wert liegt der Wert mehr als 50 % über "
        f"dem städtischen Durchschnitt von {german(city)}\u00a0%: Bahnhof." in text
    )
    assert (
        f"Den höchsten Wert hat {NAMES[high]} ({german(values[high])}\u00a0%), den niedrigsten "
        f"{NAMES[low]} ({german(values[low])}\u00a0%)." in text
    )
    step = round(round(city, 1) - round(previous, 1), 1)
    verb = "gestiegen" if step > 0 else "gesunken"
    assert step != 0
    assert (
        f"Gegenüber {YEAR - 1} ist der städtische Wert um {german(abs(step))} Prozentpunkte "
        f"{verb}, auf {german(city)}\u00a0%." in text
    )
    since = round(round(city, 1) - round(first, 1), 1)
    verb = "gestiegen" if since > 0 else "gesunken"
    assert (
        f"Seit 2023 ({german(first)}\u00a0%) ist der städtische Wert um {german(abs(since))} "
        f"Prozentpunkte {verb}." in text
    )
    assert (
        "Für 1 Sozialraum wird der Wert zum Schutz vor Rückschlüssen auf einzelne Personen "
        "nicht veröffentlicht." in text
    )


def test_population_findings_are_sums_with_the_relative_change(report_html):
    total = sum(citykit.count(k, "ew", YEAR) for k in citykit.COUNTS)
    before = sum(citykit.count(k, "ew", YEAR - 1) for k in citykit.COUNTS)
    text = sentences(section(report_html, "ew"))
    change = german(100 * (total - before) / before)
    assert (
        f"Gegenüber {YEAR - 1} ist die Zahl in der Stadt um {german(total - before, 0)} "
        f"({change}\u00a0%) gestiegen, auf {german(total, 0)}." in text
    )


def test_bars_of_a_count_have_no_city_line_but_those_of_a_share_do(report_html):
    total = german(sum(citykit.count(k, "ew", YEAR) for k in citykit.COUNTS), 0)
    residents = section(report_html, "ew")
    assert f"Stadt: {total}" not in residents and "gestrichelte Linie" not in residents
    unemployment = section(report_html, "arbeitslosenanteil")
    city = german(city_share("arbeitslose", "ew_15_65"))
    assert f"Stadt: {city}" in unemployment and "gestrichelte Linie" in unemployment


def test_chapters_in_order_with_the_summary_and_the_index(report_html):
    positions = [report_html.index(f'id="kapitel-{slug}"') for slug, _title in CHAPTERS]
    assert positions == sorted(positions)
    for _slug, title in CHAPTERS:
        assert f">{title}</h2>" in report_html
    # chapters without data say so; Armut has the MSS indicators of the city kit
    assert "keine Indikatoren mit Daten" in chapter(report_html, "bildung")
    armut = chapter(report_html, "armut")
    assert 'id="indikator-transferbezug"' in armut and 'id="indikator-kinderarmut_u15"' in armut
    summary = sentences(chapter(report_html, "zusammenfassung"))
    assert "Armut – Kinderarmut (unter 15 Jahren): In 1 von 3 Sozialräumen" in summary
    index = chapter(report_html, "sozialindex")
    assert "Statusindikatoren und Gewichte" in index and "karte-status-title" in index
    assert "Bis 2025 wurde keine Umfrage abgeschlossen." in chapter(report_html, "umfragen")
    profiles = chapter(report_html, "gebietsprofile")
    assert profiles.count('<section class="profile"') == 4


def test_a_withheld_value_is_never_printed(report_html):
    heide = NAMES["0202"]
    for slug, _title in CHAPTERS:
        for row in re.findall(r"<tr><th scope=\"row\">" + heide + r"</th>(.*?)</tr>",
                              chapter(report_html, slug), flags=re.S):  # fmt: skip
            cells = re.findall(r'<td class="number">(.*?)</td>', row, flags=re.S)
            assert cells and all(re.sub(r"<[^>]+>", "", c) in (".", "–") for c in cells), row
    # the bar charts name the published areas only; the maps hatch Heide
    for chart in re.findall(r'<svg[^>]*class="chart".*?</svg>', report_html, flags=re.S):
        assert heide not in chart
    assert 'fill="url(#karte-transferbezug-nd)"' in section(report_html, "transferbezug")
    # Heide's own unemployment share appears nowhere with its number
    value = german(share("arbeitslose", "ew_15_65", "0202"))
    assert f"{heide} ({value}" not in report_html and f"{heide}: {value}" not in report_html


def test_planner_text_is_plain_and_comes_before_the_findings(index_definition):
    from gemeinsinn.socialreport.models import ChapterText

    ChapterText.objects.create(
        kind="sozialbericht",
        year=YEAR,
        chapter="armut",
        text="Die Kinderarmut bleibt <script>alert(1)</script>hoch.\n\nZweiter Absatz.",
    )
    html = build_report(ReportRequest("sozialbericht", YEAR), "html").decode()
    armut = chapter(html, "armut")
    assert "<script>" not in html and "alert(1)" not in html
    assert '<div class="planner-text"><p>Die Kinderarmut bleibt hoch.</p>' in armut
    assert armut.index("Zweiter Absatz.") < armut.index('class="findings"')


def test_stadtteil_level_and_unknown_level_or_year(city_with_statistics):
    html = build_report(ReportRequest("sozialbericht", YEAR, level="stadtteil"), "html").decode()
    assert "Ergebnisse nach Stadtteilen" in html
    assert html.count('<section class="profile"') == 2
    with pytest.raises(ReportError, match="„bezirk“ gibt es nicht.*„sozialraum“"):
        build_report(ReportRequest("sozialbericht", YEAR, level="bezirk"), "html")
    with pytest.raises(ReportError, match="2019.*2023, 2024, 2025"):
        build_report(ReportRequest("sozialbericht", 2019), "html")


def test_pdf_is_tagged_german_with_chapter_bookmarks(report_html):
    content = build_report(ReportRequest("sozialbericht", YEAR), "pdf")
    reader = pdf_reader(content)
    text = " ".join(pdf_text(content).split())
    for _slug, title in CHAPTERS:
        assert str(title) in text
    city = german(city_share("arbeitslose", "ew_15_65"))
    assert f"mehr als 50 % über dem städtischen Durchschnitt von {city} %: Bahnhof." in text
    titles = outline_titles(reader)
    assert [str(t) for _s, t in CHAPTERS if str(t) in titles] == [str(t) for _s, t in CHAPTERS]
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.metadata.title == "Sozialbericht 2025 – Kleinstadt"


@pytest.mark.django_db
def test_command_writes_the_pdf_and_refuses_an_unknown_level(
    city_with_statistics, tmp_path, capsys
):
    output = tmp_path / "sozialbericht.pdf"
    argv = ["report", "build", "--kind", "sozialbericht", "--year", str(YEAR)]
    assert gemeinsinn.cli.main([*argv, "--output", str(output)]) == 0
    assert output.read_bytes().startswith(b"%PDF")
    wrong = tmp_path / "falsch.pdf"
    assert gemeinsinn.cli.main([*argv, "--level", "bezirk", "--output", str(wrong)]) == 2
    assert "Die Gebietsebene „bezirk“ gibt es nicht." in capsys.readouterr().err
    assert not wrong.exists()


def test_survey_chapter_hides_areas_with_fewer_than_five_answers(city_with_statistics):
    import datetime as dt

    from gemeinsinn.areas.models import Area
    from gemeinsinn.formats.xlsform.demo_form import demo_form_bytes
    from gemeinsinn.surveys import services
    from tests.surveys.conftest import GOOD as good_answers

    survey = services.import_survey(demo_form_bytes(), "buergerumfrage.xlsx")
    survey.opens_on, survey.closes_on = dt.date(2025, 3, 1), dt.date(2025, 6, 30)
    survey.save()
    areas = list(Area.objects.filter(level=survey.area_level).order_by("key"))
    answers = [(areas[0], "eher_zufrieden")] * 4 + [(areas[0], "sehr_zufrieden")]
    answers += [(areas[1], "eher_zufrieden")] * 2
    for area, satisfied in answers:
        services.submit_response(
            survey, {**good_answers, "zufriedenheit": satisfied}, area=area,
            today=dt.date(2025, 4, 1),
        )  # fmt: skip
    html = build_report(ReportRequest("sozialbericht", YEAR), "html").decode()
    surveys = chapter(html, "umfragen")
    assert f"<h3>{survey.title}</h3>" in surveys and "7 Antworten" in surveys
    form = survey.form
    label = form.question("zufriedenheit").label(None, form.default_language)
    table = next(
        t for t in re.findall(r"<table.*?</table>", surveys, flags=re.S) if f"<caption>{label}" in t
    )
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table, flags=re.S))
    markt = re.findall(r'<td class="number">([^<]*)</td>', rows[areas[0].name])
    assert markt[0] == "5" and "80,0" in markt and "20,0" in markt
    assert "weniger als 5 Antworten" in rows[areas[1].name]
    assert areas[2].name not in rows and areas[3].name not in rows


def test_progress_per_chapter_and_block_of_profiles(city_with_statistics):
    calls = []
    build_report(ReportRequest("sozialbericht", YEAR), "html", lambda *c: calls.append(c))
    steps = [step for _done, _total, step in calls]
    totals = {total for _done, total, _step in calls}
    # 8 topic chapters, index, surveys, one block of (four) profiles, appendix
    assert totals == {12}
    assert [done for done, _total, _step in calls] == list(range(13))
    assert steps[:3] == ["Demographie", "Armut", "Migration und Zuwanderung"]
    assert steps[8:] == [
        "Sozialindex", "Umfragen", "Gebietsprofile", "Methoden und Quellen",
        "Bericht wird gesetzt",
    ]  # fmt: skip


def test_no_query_per_area(city_with_statistics):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for level in ("stadtteil", "sozialraum"):  # 2 and 4 areas, the same indicators
        with CaptureQueriesContext(connection) as queries:
            build_report(ReportRequest("sozialbericht", YEAR, level=level), "html")
        counts[level] = len(queries)
    assert counts["stadtteil"] == counts["sozialraum"]


def test_survey_chapter_names_a_survey_that_ends_later(city_with_statistics):
    import datetime as dt

    from gemeinsinn.formats.xlsform.demo_form import demo_form_bytes
    from gemeinsinn.surveys import services

    survey = services.import_survey(demo_form_bytes(), "buergerumfrage.xlsx")
    survey.opens_on, survey.closes_on = dt.date(2025, 3, 1), dt.date(2025, 6, 30)
    survey.save()
    html = build_report(ReportRequest("sozialbericht", 2024), "html").decode()
    surveys = chapter(html, "umfragen")
    assert "Bis 2024 wurde keine Umfrage abgeschlossen." in surveys
    assert (
        f"Die Umfrage „{survey.title}“ läuft bis zum 30.06.2025; ihre Ergebnisse erscheinen im "
        "Sozialbericht 2025." in surveys
    )


def test_the_latest_edition_shows_a_running_survey_as_interim_results(city_with_statistics):
    import datetime as dt

    from django.utils import timezone

    from gemeinsinn.areas.models import Area
    from gemeinsinn.formats.xlsform.demo_form import demo_form_bytes
    from gemeinsinn.surveys import services
    from tests.surveys.conftest import GOOD as good_answers

    today = timezone.localdate()
    survey = services.import_survey(demo_form_bytes(), "buergerumfrage.xlsx")
    survey.opens_on, survey.closes_on = today - dt.timedelta(days=10), dt.date(2099, 1, 31)
    survey.save()
    area = Area.objects.filter(level=survey.area_level).order_by("key").first()
    for _ in range(6):
        services.submit_response(survey, good_answers, area=area, today=today)
    html = build_report(ReportRequest("sozialbericht", YEAR), "html").decode()
    latest = chapter(html, "umfragen")
    assert f"<h3>{survey.title}</h3>" in latest
    assert f"Zwischenstand vom {today:%d.%m.%Y}:" in latest
    assert "Die Befragung läuft vom" in latest and "bis 31.01.2099; bisher 6 Antworten." in latest
    older = build_report(ReportRequest("sozialbericht", YEAR - 1), "html").decode()
    assert "Zwischenstand" not in chapter(older, "umfragen")
