"""Statistics per district and category become monitoring indicators and appear on the
district profile."""

import datetime as dt

import pytest
from django.utils import timezone

from gemeinsinn.formats.problems import InputError
from gemeinsinn.monitoring.models import Indicator, Value
from gemeinsinn.servicerequests import services
from gemeinsinn.servicerequests.models import DONE, IN_PROGRESS, REJECTED
from tests.servicerequests.conftest import INSIDE


@pytest.fixture
def reports_2025(city_with_statistics, categories):
    """Five rubbish reports and one "Sonstiges" in Markt (0101), one in Heide (0202)."""
    start = timezone.make_aware(dt.datetime(2025, 3, 1, 9))
    made = []
    for i in range(5):
        report = services.submit_request(
            services.Submission(service_code="muell", **INSIDE, attributes={"art": ["bauschutt"]}),
            now=start + dt.timedelta(days=i),
        )
        made.append(report)
    # answers after 1, 2, 3 days; closed after 4 and 10 days (one rejected); one never answered
    services.change_status(made[0], IN_PROGRESS, public_note="Ist beauftragt.",
                           now=made[0].requested_at + dt.timedelta(days=1))  # fmt: skip
    services.change_status(made[0], DONE, public_note="Abgeholt.",
                           now=made[0].requested_at + dt.timedelta(days=4))  # fmt: skip
    services.change_status(made[1], REJECTED, public_note="Privatgrund.",
                           now=made[1].requested_at + dt.timedelta(days=2))  # fmt: skip
    services.change_status(made[2], DONE, public_note="Erledigt.",
                           now=made[2].requested_at + dt.timedelta(days=10))  # fmt: skip
    services.merge_duplicates(made[4], made[3])  # not counted
    services.submit_request(services.Submission(service_code="sonstiges", **INSIDE), now=start)
    services.submit_request(
        services.Submission(service_code="sonstiges", lat="51.21", long="7.935"), now=start
    )
    services.submit_request(  # another year
        services.Submission(service_code="sonstiges", **INSIDE),
        now=timezone.make_aware(dt.datetime(2024, 12, 31, 23)),
    )
    return made


def value(code, key, year=2025):
    row = Value.objects.get(indicator__code=code, area__key=key, year=year)
    return row.value


def test_tallies_per_district_and_category(reports_2025, categories):
    from gemeinsinn.areas.models import Area
    from gemeinsinn.servicerequests.statistics import tallies

    counted = tallies(2025)
    markt = Area.objects.get(key="0101")
    rubbish = counted[(markt.pk, categories["muell"].pk)]
    assert rubbish.reports == 4  # the duplicate is not counted
    assert rubbish.closed_answered == 3
    assert rubbish.median_days_to_answer == 2.0  # 1, 2, 10 days
    assert rubbish.median_days_to_close == 4.0  # 4 (done), 2 (rejected), 10 (done)
    assert counted[(markt.pk, None)].reports == 5
    city = Area.objects.get(key="05999000")
    assert counted[(city.pk, None)].reports == 6


def test_update_indicators_writes_counts_rates_medians_and_shares(reports_2025):
    written = services.update_indicators(2025)
    assert written > 0
    assert value("mm_muell", "0101") == 4
    assert value("mm_gesamt", "0101") == 5
    assert value("mm_gesamt", "0202") == 1
    assert value("mm_gesamt", "05999000") == 6  # the city: all its areas
    ew = value("ew", "0101")
    assert value("mm_muell_je_1000", "0101") == pytest.approx(4 / ew * 1000)
    assert value("mm_tage_erste_antwort", "0101") == 2.0
    assert value("mm_tage_abschluss", "0101") == 4.0
    assert value("mm_tage_abschluss", "0202") is None  # fewer than three closed reports
    assert value("mm_anteil_mit_antwort_erledigt", "0101") == pytest.approx(60.0)
    rate = Indicator.objects.get(code="mm_muell_je_1000")
    assert rate.name == "Meldungen zu Müll / wilde Müllkippe je 1 000 Einwohnende"
    assert (rate.numerator, rate.denominator, rate.factor) == ("mm_muell", "ew", 1000.0)
    # running again gives the same values (upsert, no duplicates)
    services.update_indicators(2025)
    assert Value.objects.filter(indicator__code="mm_muell", area__key="0101").count() == 1


def test_indicators_appear_on_the_district_profile(client, reports_2025):
    services.update_indicators(2025)
    page = client.get("/gebiete/sozialraum/0101/").content.decode()
    assert "Indikatoren 2025" in page
    assert "Meldungen zu Müll / wilde Müllkippe je 1 000 Einwohnende" in page
    assert "Tage bis zur ersten Antwort auf eine Meldung (Median)" in page
    assert "Arbeitslosenanteil" in page or "arbeitslos" in page.lower()


def test_a_year_without_residents_is_refused(reports_2025):
    with pytest.raises(InputError, match="keine Einwohnerzahlen"):
        services.update_indicators(2026)
    assert not Indicator.objects.filter(code="mm_gesamt").exists()


def test_command_writes_the_indicators(reports_2025, capsys):
    from gemeinsinn.cli import main

    assert main(["open311", "indicators", "2025"]) == 0
    assert "geschrieben" in capsys.readouterr().out
    assert main(["open311", "indicators", "2030"]) == 2
    assert "keine Einwohnerzahlen" in capsys.readouterr().err
