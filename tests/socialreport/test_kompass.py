"""The Kompass: periods, the numbers of a constructed half-year, the Bürgerjournal PDF in
German, English and Leichte Sprache, and the command's answer to a bad period."""

import pytest

import gemeinsinn.cli
from gemeinsinn.socialreport.services import ReportError, ReportRequest, build_report
from gemeinsinn.socialreport.services.kompass_data import collect
from gemeinsinn.socialreport.services.periods import Period, parse_period
from tests.socialreport.plankit import (  # noqa: F401 (fixtures)
    at,
    font_sizes,
    make_idea,
    make_report,
    pdf_reader,
    pdf_text,
    planned_city_fixture,
)


def test_periods_are_half_years_or_the_whole_year():
    first = parse_period(2025, "2025-H1")
    assert (first.first_day.isoformat(), first.last_day.isoformat()) == ("2025-01-01", "2025-06-30")
    assert parse_period(2025, "2025-h2").code == "2025-H2"
    whole = parse_period(2025, None)
    assert (whole.code, whole.last_day.isoformat()) == ("2025", "2025-12-31")
    assert parse_period(2025, "2025") == whole
    assert Period(2025, 1).previous() == Period(2024, 2)
    with pytest.raises(ReportError, match="2025-H1 oder 2025-H2"):
        parse_period(2025, "2025-Q3")
    with pytest.raises(ReportError, match="nicht im Berichtsjahr 2025"):
        parse_period(2025, "2024-H2")


def test_numbers_of_a_constructed_half_year(city):
    make_idea("Neu und beantwortet", at(2025, 2, 1), "0101", answered=at(2025, 3, 1))
    make_idea("Neu, offen", at(2025, 5, 1), "0202")
    make_idea("Alt, jetzt beantwortet", at(2024, 12, 31), "0102", answered=at(2025, 1, 15))
    make_idea("Danach", at(2025, 7, 1), "0101")
    make_report(at(2025, 1, 10), at(2025, 1, 14), area_key="0101")  # 4 days
    make_report(at(2025, 2, 1), at(2025, 2, 11), area_key="0201")  # 10 days
    make_report(at(2024, 12, 20), at(2025, 1, 20), area_key="0101")  # 31 days, received before
    make_report(at(2025, 6, 1), area_key="0202")  # open
    make_report(at(2025, 3, 1), at(2025, 3, 2), status="rejected")  # closed, not solved
    make_report(at(2025, 6, 25), at(2025, 7, 5))  # solved after the period

    data = collect(Period(2025, 1), now=at(2026, 1, 1))

    assert (data.ideas_new, data.ideas_answered) == (2, 2)
    assert (data.reports_received, data.reports_solved) == (5, 3)
    assert data.median_days == pytest.approx(10.0)
    rows = {row.district.name: row for row in data.districts}
    assert data.district_level == "Stadtteil"
    assert (rows["Altstadt"].ideas_new, rows["Altstadt"].ideas_answered) == (1, 2)
    assert (rows["Neustadt"].ideas_new, rows["Neustadt"].ideas_answered) == (1, 0)
    assert (rows["Altstadt"].reports_received, rows["Altstadt"].reports_solved) == (3, 2)
    assert rows["Altstadt"].median_days == pytest.approx(17.5)  # 4 and 31 days
    assert (rows["Neustadt"].reports_received, rows["Neustadt"].reports_solved) == (2, 1)
    second = collect(Period(2025, 2), now=at(2026, 1, 1))
    assert (second.ideas_new, second.reports_received, second.reports_solved) == (1, 0, 1)


def test_measures_that_moved_and_the_decisions_of_the_period(planned_city):
    from gemeinsinn.planning.models import Measure, MeasureStatus, Milestone
    from gemeinsinn.planning.services import update_progress

    # the demo plan was decided on 10 March 2026
    decided = collect(Period(2026, 1), now=at(2026, 12, 1))
    assert len(decided.new_measures) == Measure.objects.filter(kind=Measure.MEASURE).count()
    assert len(decided.new_programmes) == 5
    assert [t.area.name for t in decided.target_areas] == ["Fördergebiet Bahnhof/Mühlenweg"]
    assert all(item.is_new for item in decided.moved)
    assert sum(state.measures for state in decided.fields) == 25

    measure = Measure.objects.get(number="1.2")
    before = measure.status.name
    done = MeasureStatus.objects.get(name="abgeschlossen")
    change = update_progress(measure, None, status=done, progress=None, note="Café eröffnet")
    change.at = at(2026, 8, 1)
    change.save()
    Milestone.objects.filter(measure=measure).update(reached=at(2026, 8, 2).date())

    later = collect(Period(2026, 2), now=at(2026, 12, 1))
    moved = {item.measure.number: item for item in later.moved}
    assert moved["1.2"].status_before == before and moved["1.2"].status_after == "abgeschlossen"
    assert moved["1.2"].progress_after == 100 and moved["1.2"].status_changed
    assert len(moved["1.2"].milestones) == Milestone.objects.filter(measure=measure).count()
    assert later.new_measures == [] and later.target_areas == []


def test_funding_decisions_of_the_period(planned_city):
    import datetime as dt
    from decimal import Decimal

    from gemeinsinn.planning.models import Funding, Measure

    # the demo: two grants and one refusal for 2027, decided in the first half of 2026
    first = collect(Period(2026, 1), now=at(2026, 12, 1))
    assert [(f.measure.number, f.approval, f.decided_on) for f in first.fundings] == [
        ("1.1", "bewilligt", dt.date(2026, 4, 22)), ("2.3", "bewilligt", dt.date(2026, 5, 27)),
        ("3.4", "abgelehnt", dt.date(2026, 6, 10)),
    ]  # fmt: skip
    assert first.granted_total == first.fundings[0].amount + first.fundings[1].amount
    assert first.refused_total == first.fundings[2].amount
    assert [f.is_granted for f in first.fundings] == [True, True, False]

    cafe = Measure.objects.get(number="1.2")
    for day in ("2025-12-31", "2026-01-01", "2026-06-30", "2026-07-01"):  # the edges
        Funding.objects.create(
            measure=cafe, source="land", year=2027, amount=Decimal("1000"),
            approval="bewilligt", decided_on=dt.date.fromisoformat(day),
        )  # fmt: skip
    hidden = Measure.objects.get(number="1.3")
    hidden.is_public = False
    hidden.save()
    Funding.objects.create(
        measure=hidden, source="bund", year=2027, amount=Decimal("5000"), approval="bewilligt",
        decided_on=dt.date(2026, 3, 1),
    )  # fmt: skip
    again = collect(Period(2026, 1), now=at(2026, 12, 1))
    assert [(f.measure.number, f.decided_on.isoformat()) for f in again.fundings] == [
        ("1.2", "2026-01-01"), ("1.1", "2026-04-22"), ("2.3", "2026-05-27"),
        ("3.4", "2026-06-10"), ("1.2", "2026-06-30"),
    ]  # fmt: skip
    assert [f.decided_on.isoformat() for f in collect(Period(2025, 2)).fundings][-1] == (
        "2025-12-31"
    )


def test_the_first_kompass_year_includes_funding_decisions(planned_city):
    import datetime as dt

    from gemeinsinn.planning.models import Funding
    from gemeinsinn.socialreport.services.kompass_data import first_year

    before = first_year()
    funding = Funding.objects.filter(decided_on__isnull=False).first()
    funding.decided_on = dt.date(before - 3, 5, 4)
    funding.save()
    assert first_year() == before - 3
    funding.measure.is_public = False  # an internal measure's decision opens no Kompass year
    funding.measure.save()
    assert first_year() == before


@pytest.mark.django_db
def test_bad_period_and_language_are_refused(city):
    with pytest.raises(ReportError, match="de, en, de-ls"):
        build_report(ReportRequest("kompass", 2025, language="fr"), "html")
    with pytest.raises(ReportError, match="2025-H1"):
        build_report(ReportRequest("kompass", 2025, period="erstes Halbjahr"), "html")


def test_command_exits_2_on_a_bad_period(tmp_path, capsys):
    output = tmp_path / "kompass.pdf"
    status = gemeinsinn.cli.main(
        ["report", "build", "--kind", "kompass", "--year", "2025", "--period", "2025-H3",
         "--output", str(output)]
    )  # fmt: skip
    assert status == 2
    assert "2025-H1 oder 2025-H2" in capsys.readouterr().err
    assert not output.exists()


def test_journal_pdf_big_type_pages_and_structure(planned_city):
    make_report(at(2026, 2, 1), at(2026, 2, 5))
    content = build_report(ReportRequest("kompass", 2026, period="2026-H1"), "pdf")
    reader = pdf_reader(content)
    text = pdf_text(content)
    assert "Bürgerjournal" in text and "So machen Sie mit" in text
    assert "Quartiersbüro Nordstadt" in text  # a measure decided in the period
    assert "Förderentscheidungen" in text
    flowing = " ".join(text.replace("\u2010\n", "").split())  # without line breaks
    assert "abgelehnt am 10. Juni 2026 (EU, ESF Plus)" in flowing
    assert 2 <= len(reader.pages) <= 8
    assert min(font_sizes(content)) >= 12.0
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.metadata.title == "Kompass Kleinstadt – 1. Halbjahr 2026"


def test_languages_differ_leichte_sprache_is_german(planned_city):
    request = ReportRequest("kompass", 2026, period="2026-H1")
    german = build_report(request, "html").decode()
    english = build_report(ReportRequest("kompass", 2026, period="2026-H1", language="en"), "html")
    easy = build_report(ReportRequest("kompass", 2026, period="2026-H1", language="de-ls"), "html")
    english, easy = english.decode(), easy.decode()
    assert '<html lang="de">' in german and "Januar 2026" in german
    assert '<html lang="en">' in english and "January 2026" in english
    assert '<html lang="de">' in easy and "Januar 2026" in easy
    assert "Leichter Sprache" in easy and "Ein Förder-Gebiet ist ein Teil der Stadt." in easy
    assert "Ein Förder-Gebiet" not in german
    pdf = build_report(ReportRequest("kompass", 2026, period="2026-H1", language="de-ls"), "pdf")
    reader = pdf_reader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert min(font_sizes(pdf)) >= 12.0


def test_the_city_contact_is_printed_for_households_without_internet(planned_city):
    from gemeinsinn.core.models import CityProfile

    request = ReportRequest("kompass", 2026, period="2026-H1")
    without = build_report(request, "html").decode()
    assert "Fragen beantwortet die Stadtverwaltung Kleinstadt" in without
    profile = CityProfile.current()
    profile.contact_office = "Amt für Soziales"
    profile.contact_address = "Rathaus\nMarkt 1"
    profile.contact_phone = "01234 5678"
    profile.contact_hours = "Mo–Fr 8–12 Uhr"
    profile.save()
    text = pdf_text(build_report(request, "pdf"))
    assert "Amt für Soziales" in text and "Telefon: 01234 5678" in text
    assert "Sprechzeiten: Mo–Fr 8–12 Uhr" in text
    assert "Fragen beantwortet die Stadtverwaltung" not in text
    easy = build_report(ReportRequest("kompass", 2026, period="2026-H1", language="de-ls"), "html")
    assert "Telefon-Nummer: 01234 5678" in easy.decode()


def test_funding_decisions_in_the_journal_and_in_leichte_sprache(planned_city, client):
    import datetime as dt
    from decimal import Decimal

    from gemeinsinn.planning.models import Funding, Measure

    page = client.get("/kompass/2026-H1/").content.decode()
    assert "Förderentscheidungen" in page
    assert "11.400\u00a0€ für 2027 bewilligt am 22. April 2026" in page
    assert "Antrag über 5.400\u00a0€ für 2027 abgelehnt am 10. Juni 2026 (EU, ESF Plus)" in page
    easy = client.get("/kompass/2026-H1/leichte-sprache/").content.decode()
    assert "Die EU gibt kein Geld für das Projekt: Beratung für Alleinerziehende." in easy

    cafe = Measure.objects.get(number="1.2")
    for number in range(8):  # more than the journal prints
        Funding.objects.create(
            measure=cafe, source="land", programme="Sozialer Zusammenhalt", year=2027,
            amount=Decimal(120000 - number * 10000), approval="bewilligt",
            decided_on=dt.date(2026, 2, 1 + number),
        )  # fmt: skip
    easy = client.get("/kompass/2026-H1/leichte-sprache/").content.decode()
    assert "Das Land gibt 120.000 Euro für das Projekt: Nachbarschaftscafé." in easy
    assert "Es gibt noch 3 andere Antworten." in easy
    page = client.get("/kompass/2026-H1/").content.decode()
    journal = build_report(ReportRequest("kompass", 2026, period="2026-H1"), "html").decode()
    for html in (page, journal):
        assert "120.000\u00a0€ für 2027 bewilligt am 1. Februar 2026" in html
    assert "11.400\u00a0€ für 2027" in page and "11.400\u00a0€ für 2027" not in journal
    assert "Dazu kommen 3 kleinere Entscheidungen" in journal
    assert "kleinere Entscheidungen" not in page
