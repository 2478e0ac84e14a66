"""The pure findings writer (analysis/findings.py): which facts hold for given numbers, and
the sentences written from them with plain templates."""

from gemeinsinn.analysis import findings as facts

NAMES = ["Altstadt", "Bahnhof", "Heide", "Markt", "Nord"]


def numbers(values, city, series, withheld=0, decimals=1, is_count=False):
    return facts.IndicatorNumbers(
        names=NAMES[: len(values)],
        values=values,
        withheld=withheld,
        city=city,
        city_series=series,
        year=series[-1][0],
        decimals=decimals,
        is_count=is_count,
    )


def by_key(found):
    return {f.key: f for f in found}


def test_far_above_counts_only_values_over_one_and_a_half_times_the_city():
    # city 10: the limit is 15; 15.0 itself is not "more than 50 % above"
    found = by_key(
        facts.indicator_findings(numbers([15.0, 15.01, 30.0, 4.0, None], 10.0, [(2025, 10.0)], 1))
    )
    above = found["far_above_of_published"]
    assert above.count == 2
    assert above.values == {"total": 4, "city": 10.0, "names": ["Bahnhof", "Heide"]}
    assert found["withheld"].count == 1


def test_all_published_and_none_above():
    found = by_key(facts.indicator_findings(numbers([9.0, 11.0, 12.5], 10.0, [(2025, 10.0)])))
    assert "far_above" not in found and "far_above_of_published" not in found
    assert found["none_far_above"].count == 0 and found["none_far_above"].values["total"] == 3
    assert "withheld" not in found


def test_extremes_name_every_tied_area():
    found = by_key(facts.indicator_findings(numbers([7.0, 3.0, 7.0, 3.0], 5.0, [(2025, 5.0)])))
    extremes = found["extremes"]
    assert extremes.count == 2
    assert extremes.values == {
        "highest": ["Altstadt", "Heide"],
        "high": 7.0,
        "lowest": ["Bahnhof", "Markt"],
        "low": 3.0,
    }


def test_changes_compare_the_printed_values():
    series = [(2021, 19.44), (2022, 19.0), (2024, 19.31), (2025, 19.34)]
    found = by_key(facts.indicator_findings(numbers([19.34, 20.0], 19.34, series)))
    # 2024 → 2025: 19,3 and 19,3 as printed: unchanged, although the raw values differ
    assert found["change_previous_same"].values["now"] == 19.3
    # 2021 → 2025: 19,4 to 19,3 as printed: down by 0,1
    first = found["change_first_fall"].values
    assert (first["since"], first["before"], first["now"]) == (2021, 19.4, 19.3)
    assert round(first["difference"], 6) == 0.1


def test_no_previous_year_no_change_since_then():
    series = [(2022, 5.0), (2025, 6.0)]  # 2023 and 2024 missing
    found = by_key(facts.indicator_findings(numbers([6.0, 6.5], 6.0, series)))
    assert not any(k.startswith("change_previous") for k in found)
    rise = found["change_first_rise"].values
    assert (rise["since"], rise["before"], rise["now"], rise["difference"]) == (2022, 5.0, 6.0, 1.0)


def test_counts_are_not_compared_with_the_city_total():
    found = by_key(
        facts.indicator_findings(
            numbers([1200.0, 900.0], 2100.0, [(2024, 2000.0), (2025, 2100.0)], decimals=0,
                    is_count=True)
        )
    )  # fmt: skip
    assert not any(k.endswith("far_above") for k in found)
    assert found["change_previous_rise"].values["difference"] == 100.0


def test_class_findings_count_and_name_the_areas():
    classes = {"Altstadt": 4, "Bahnhof": 2, "Heide": 4, "Markt": None, "Nord": 3}
    found = facts.class_findings(classes, [4, 3])
    assert [(f.key, f.count, f.values["names"], f.values["total"]) for f in found] == [
        ("class_4", 2, ["Altstadt", "Heide"], 4),
        ("class_3", 1, ["Nord"], 4),
    ]


def test_write_chooses_singular_or_plural_and_skips_unknown_keys():
    templates = {
        "withheld": ("Für %(count)s Gebiet fehlt der Wert.", "Für %(count)s Gebiete fehlen Werte."),
        "extremes": "Am höchsten: %(highest)s.",
    }
    found = [
        facts.Finding("withheld", 1),
        facts.Finding("withheld", 3),
        facts.Finding("extremes", 2, {"highest": ["A", "B", "C"]}),
        facts.Finding("unknown", 1),
    ]

    def prepare(finding):
        values = {"count": finding.count}
        if "highest" in finding.values:
            values["highest"] = facts.join_names(finding.values["highest"])
        return values

    assert facts.write(found, templates, prepare) == [
        "Für 1 Gebiet fehlt der Wert.",
        "Für 3 Gebiete fehlen Werte.",
        "Am höchsten: A, B und C.",
    ]


def test_one_published_value_is_not_compared():
    found = by_key(facts.indicator_findings(numbers([30.0, None], 10.0, [(2025, 10.0)], 1)))
    assert set(found) == {"withheld"}
