import pytest

from gemeinsinn.formats.layouts import LONG, WIDE, detect_layout, normalised


def test_names_are_compared_without_case_umlauts_and_punctuation():
    assert normalised(" Gebiets-Schlüssel ") == "gebietsschluessel"
    assert normalised("PLR_ID") == "plrid"


@pytest.mark.parametrize(
    "header",
    [
        ["Gebiet", "Jahr", "Merkmal", "Wert"],
        ["Schlüssel", "Jahr", "Indikator", "Wert"],
        ["Gebietsschlüssel", "Berichtsjahr", "Kennzahl", "Werte"],
        ["area", "year", "indicator", "value"],
        ["key", "Year", "code", "Value"],
        ["Raum", "JAHR", "Indikator", "Wert", "Einheit"],
    ],
)
def test_long_layout_in_german_and_english(header):
    layout = detect_layout(header)
    assert layout.kind == LONG
    assert (layout.area, layout.year, layout.indicator, layout.value) == tuple(header[:4])
    assert layout.extra == tuple(header[4:])


def test_wide_layout_skips_name_and_ignored_columns():
    layout = detect_layout(["PLR_ID", "PLR_NAME", "EW", "S1", "KOM"], ignore=["KOM"])
    assert layout.kind == WIDE
    assert layout.area == "PLR_ID"
    assert layout.year is None
    assert layout.value_columns == ("EW", "S1")


def test_explicit_key_column_wins_and_is_matched_exactly():
    assert detect_layout(["id", "LOR", "S1"], key_column="LOR").area == "LOR"
    assert detect_layout(["id", "S1"], key_column="LOR").area is None


def test_first_alias_in_priority_order_is_the_key():
    layout = detect_layout(["id", "Gebietsschlüssel", "Jahr", "S1"])
    assert layout.area == "Gebietsschlüssel"
    assert layout.value_columns == ("id", "S1")
