"""Importing statistics tables: German formats, derived shares, aggregation, all or nothing."""

import pytest

from gemeinsinn.areas.models import Area
from gemeinsinn.formats.problems import InputError
from gemeinsinn.monitoring import services
from gemeinsinn.monitoring.models import Dataset, Value
from gemeinsinn.monitoring.services import statistics
from tests import citykit


def value(code, key, year, level="sozialraum"):
    return Value.objects.get(
        indicator__code=code, area__key=key, area__level__code=level, year=year
    ).value


def stored():
    return sorted(
        Value.objects.values_list("indicator__code", "area__key", "year", "value", "flag")
    )


def test_import_stores_counts_and_derives_shares(city_with_statistics):
    assert value("ew", "0101", 2023) == 1200
    # Arbeitslosenanteil = arbeitslose / ew_15_65 × 100
    assert value("arbeitslosenanteil", "0201", 2023) == pytest.approx(120 / 1000 * 100)
    assert value("kinderarmut_u15", "0101", 2023) == pytest.approx(20 / 180 * 100)
    assert Area.objects.get(key="0101").population == citykit.count("0101", "ew", 2025)


def test_counts_are_summed_up_to_stadtteil_and_city(city_with_statistics):
    assert value("ew", "01", 2023, "stadtteil") == 1200 + 900
    assert value("ew", "05999000", 2023, "stadt") == 1200 + 900 + 1500 + 250
    # the city's share is the sum of numerators over the sum of denominators
    assert value("arbeitslosenanteil", "05999000", 2023, "stadt") == pytest.approx(
        (40 + 30 + 120 + 2) / (800 + 600 + 1000 + 170) * 100
    )


def test_reimport_replaces_values_without_duplicates(city_with_statistics):
    count = Value.objects.count()
    services.import_statistics(
        citykit.long_csv(), "nochmal.csv", city_with_statistics["sozialraum"]
    )
    assert Value.objects.count() == count


BAD_TABLES = {
    "unknown-key": ("Gebiet;Jahr;Merkmal;Wert\n9999;2024;ew;100\n", ["9999", "Zeile 2"]),
    "duplicate": ("Gebiet;Jahr;Merkmal;Wert\n0101;2024;ew;100\n0101;2024;ew;110\n", ["Zeile 3"]),
    "not-a-number": ("Gebiet;Jahr;Merkmal;Wert\n0101;2024;ew;viele\n", ["viele", "Zeile 2"]),
    "negative-count": ("Gebiet;Jahr;Merkmal;Wert\n0101;2024;ew;-5\n", ["Zeile 2"]),
    "share-above-100": (
        "Gebiet;Jahr;Merkmal;Wert\n0101;2024;arbeitslosenanteil;120,5\n",
        ["Zeile 2", "100"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_bad_tables_report_where_and_change_nothing(city_with_statistics, case):
    content, fragments = BAD_TABLES[case]
    before, datasets = stored(), Dataset.objects.count()
    with pytest.raises(InputError) as error:
        services.import_statistics(
            content.encode("utf-8"), "fehler.csv", city_with_statistics["sozialraum"]
        )
    text = str(error.value)
    assert "fehler.csv" in text
    for fragment in fragments:
        assert fragment in text
    assert stored() == before
    assert Dataset.objects.count() == datasets


def test_failure_while_writing_rolls_back_everything(city_with_statistics, monkeypatch):
    before = stored()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(statistics, "aggregate_upwards", broken)
    content = citykit.long_csv(years=(2026,)).decode("utf-8-sig").encode("cp1252")
    with pytest.raises(RuntimeError):
        services.import_statistics(content, "2026.csv", city_with_statistics["sozialraum"])
    assert stored() == before


def test_wide_table_with_given_year_and_windows_encoding(city):
    content = "Gebiet;ew;ew_u15\n0101;1.234;200\n0102;900;120\n0201;1500;300\n0202;250;40\n"
    services.import_statistics(content.encode("cp1252"), "breit.csv", city["sozialraum"], year=2025)
    assert value("ew", "0101", 2025) == 1234


def test_partial_import_updates_the_parent_sums_with_the_stored_siblings(city_with_statistics):
    content = b"Gebiet;Jahr;Merkmal;Wert\n0101;2025;ew;5000\n"
    services.import_statistics(content, "nachtrag.csv", city_with_statistics["sozialraum"])
    siblings = citykit.count("0102", "ew", 2025)
    assert value("ew", "01", 2025, "stadtteil") == 5000 + siblings
    others = sum(citykit.count(key, "ew", 2025) for key in ("0102", "0201", "0202"))
    assert value("ew", "05999000", 2025, "stadt") == 5000 + others


def test_a_suppressed_child_leaves_the_parent_count_missing(city_with_statistics):
    content = b"Gebiet;Jahr;Merkmal;Wert\n0101;2025;arbeitslose;.\n"
    services.import_statistics(content, "gesperrt.csv", city_with_statistics["sozialraum"])
    parent = Value.objects.get(
        indicator__code="arbeitslose", area__key="01", area__level__code="stadtteil", year=2025
    )
    assert parent.value is None and parent.flag == "missing"
    assert value("arbeitslose", "02", 2025, "stadtteil") == sum(
        citykit.count(key, "arbeitslose", 2025) for key in ("0201", "0202")
    )
