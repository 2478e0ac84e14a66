import polars as pl
import pytest

from gemeinsinn.formats.tables import OBSERVATION_SCHEMA, parse_observations
from tests.formats.spreadsheets import rows_at, xlsx_bytes

KEYS = {"01100101", "01100102", "01100103", "02200201"}
INDICATORS = {"EW": "population", "AL": "count", "S1": "share", "D1": "rate"}


def parse(text: str | bytes, filename: str = "daten.csv", **options):
    data = text.encode("utf-8") if isinstance(text, str) else text
    options.setdefault("known_area_keys", KEYS)
    options.setdefault("indicators", INDICATORS)
    return parse_observations(data, filename, **options)


def messages(parsed, severity: str = "error") -> list[str]:
    return [str(p) for p in parsed.problems if p.severity == severity]


def test_long_layout_german_format():
    parsed = parse(
        "Gebiet;Jahr;Indikator;Wert\n"
        "01100101;2021;EW;1.234\n"
        "01100101;2021;S1;4,5\n"
        "01100102;2021;S1;.\n"
        "01100102;2021;AL;\n"
        "01100103;2020;D1;-1,25\n"
    )
    assert parsed.ok, parsed.problems
    assert parsed.layout == "long"
    assert parsed.frame.schema == pl.Schema(OBSERVATION_SCHEMA)
    assert parsed.frame.rows() == [
        ("01100101", 2021, "EW", 1234.0, "", 2, "Wert"),
        ("01100101", 2021, "S1", 4.5, "", 3, "Wert"),
        ("01100102", 2021, "S1", None, "suppressed", 4, "Wert"),
        ("01100102", 2021, "AL", None, "missing", 5, "Wert"),
        ("01100103", 2020, "D1", -1.25, "", 6, "Wert"),
    ]
    summary = parsed.summary
    assert (summary.rows, summary.areas, summary.years) == (5, 3, (2020, 2021))
    assert summary.indicators == ("AL", "D1", "EW", "S1")
    assert (summary.values, summary.suppressed, summary.missing) == (3, 1, 1)
    assert (summary.errors, summary.warnings) == (0, 0)


def test_long_layout_english_headers_decimal_point():
    parsed = parse("area,year,indicator,value\n01100101,2021,S1,4.5\n")
    assert parsed.ok
    assert parsed.frame.select("area_key", "year", "indicator", "value").rows() == [
        ("01100101", 2021, "S1", 4.5)
    ]


def test_wide_layout_with_year_given_by_the_caller():
    parsed = parse(
        "Schlüssel;Name;EW;S1\n01100101;Mitte;3.419;4,22594\n02200201;Süd;-;*\n", year=2021
    )
    assert parsed.ok, parsed.problems
    assert parsed.layout == "wide"
    assert parsed.frame.rows() == [
        ("01100101", 2021, "EW", 3419.0, "", 2, "EW"),
        ("01100101", 2021, "S1", 4.22594, "", 2, "S1"),
        ("02200201", 2021, "EW", None, "missing", 3, "EW"),
        ("02200201", 2021, "S1", None, "suppressed", 3, "S1"),
    ]


def test_wide_layout_with_year_column_ignores_a_given_year():
    parsed = parse("Gebiet;Jahr;S1\n01100101;2019;1\n01100101;2021;2\n", year=2030)
    assert parsed.frame["year"].to_list() == [2019, 2021]


def test_value_columns_alone_decide_the_decimal_mark():
    parsed = parse("Gebiet;Jahr;S1\n1.1;2021;4.5\n1.2;2021;3.25\n", known_area_keys={"1.1", "1.2"})
    assert parsed.info.decimal_mark == "."
    assert parsed.frame["value"].to_list() == [4.5, 3.25]


def test_sentinel_is_missing():
    parsed = parse("Gebiet;Jahr;S1\n01100101;2021;-9999\n01100102;2021;-9999,00\n")
    assert parsed.frame["flag"].to_list() == ["missing", "missing"]
    assert parsed.frame["value"].to_list() == [None, None]
    assert parsed.ok


def test_every_problem_is_reported_at_once_with_line_column_and_hint():
    parsed = parse(
        "Gebiet;Jahr;Indikator;Wert\n"
        "01100101;2021;S1;4,5\n"  # 2
        "01100109;2021;S1;4,5\n"  # 3 unknown key, one typo away
        ";2021;S1;1\n"  # 4 key missing
        "01100102;21;S1;1\n"  # 5 year not plausible
        "01100102;2021;S9;1\n"  # 6 unknown indicator
        "01100101;2021;S1;5\n"  # 7 duplicate of line 2
        "01100103;2021;AL;viele\n"  # 8 not a number
        "01100103;2021;EW;-3\n"  # 9 negative count
        "01100103;2021;S1;104,5\n"  # 10 share above 100
        "01100103;2021;D1;-4\n"  # 11 fine: a rate may be negative
    )
    assert not parsed.ok
    assert messages(parsed) == [
        "daten.csv, Zeile 4, Spalte Gebiet: Der Gebietsschlüssel fehlt. "
        "Bitte den Schlüssel eintragen oder die Zeile löschen.",
        "daten.csv, Zeile 3, Spalte Gebiet: Unbekannter Gebietsschlüssel „01100109“. "
        "Meinten Sie „01100101“? Bitte korrigieren; bekannt sind z. B. "
        "01100101, 01100102, 01100103, 02200201.",
        "daten.csv, Zeile 5, Spalte Jahr: „21“ ist keine gültige Jahreszahl. Bitte eine "
        "vierstellige Jahreszahl zwischen 1900 und 2100 eintragen, z. B. 2021.",
        "daten.csv, Zeile 6, Spalte Indikator: Unbekannter Indikatorcode „S9“. "
        "Meinten Sie „S1“? Bitte korrigieren; bekannt sind z. B. AL, D1, EW, S1.",
        "daten.csv, Zeile 7, Spalte Gebiet: Doppelter Eintrag: Indikator „S1“ für Gebiet "
        "„01100101“, Jahr 2021 steht schon in Zeile 2. Bitte eine der beiden Zeilen löschen.",
        "daten.csv, Zeile 8, Spalte Wert: „viele“ ist keine Zahl. Die Datei verwendet das "
        "Dezimalkomma: bitte eine Zahl wie 12,5 eintragen, für geheim gehaltene Werte „.“ "
        "oder „*“, für fehlende Werte ein leeres Feld oder „-“.",
        "daten.csv, Zeile 9, Spalte Wert: Negativer Wert -3 für „EW“ (eine Anzahl). "
        "Anzahlen können nicht negativ sein: bitte den Wert prüfen.",
        "daten.csv, Zeile 10, Spalte Wert: Der Anteil 104,5 für „S1“ liegt nicht zwischen "
        "0 und 100. Anteile bitte in Prozent (0 bis 100) angeben; ein Anteil über 100 % "
        "deutet auf vertauschte Zähler und Nenner hin.",
    ]
    assert parsed.summary.errors == 8
    assert parsed.frame.height == 10  # bad rows stay, the caller stores nothing on errors


def test_unknown_key_is_reported_once_with_its_first_line_and_count():
    rows = "".join(f"99999999;{year};S1;1\n" for year in range(2018, 2022))
    parsed = parse("Gebiet;Jahr;Indikator;Wert\n" + "01100101;2020;S1;1\n" + rows)
    (problem,) = parsed.problems
    assert problem.line == 3
    assert problem.message == "Unbekannter Gebietsschlüssel „99999999“ (auch in 3 weiteren Zeilen)."
    assert "Meinten Sie" not in problem.hint


def test_lost_leading_zeros_are_restored_with_one_warning():
    parsed = parse("Gebiet;Jahr;S1\n1100101;2021;1\n1100102;2021;2\n01100103;2021;3\n")
    assert parsed.ok
    assert parsed.frame["area_key"].to_list() == ["01100101", "01100102", "01100103"]
    (warning,) = parsed.problems
    assert warning.severity == "warning"
    assert warning.message == (
        "2 Werte mit Gebietsschlüsseln ohne führende Nullen, auf 8 Stellen ergänzt "
        "(z. B. Zeile 2: „1100101“ → „01100101“)."
    )


def test_numeric_key_in_a_spreadsheet_is_padded_and_located_by_letter():
    data = xlsx_bytes(
        {
            "Daten": rows_at(
                "A1",
                [
                    ["Raum", "Jahr", "Indikator", "Wert"],
                    [1100101, 2021, "S1", 4.5],
                    ["01100102", 2021, "S1", "viel"],
                ],
            )
        }
    )
    parsed = parse(data, "daten.xlsx")
    assert parsed.frame["area_key"].to_list() == ["01100101", "01100102"]
    assert parsed.frame["value"].to_list() == [4.5, None]
    warning, error = parsed.problems
    assert warning.column == "A (Raum)"
    assert str(error).startswith(
        "daten.xlsx, Blatt „Daten“, Zeile 3, Spalte D (Wert): „viel“ ist keine Zahl."
    )


def test_wide_layout_duplicate_row_is_named_once_with_both_lines():
    parsed = parse("Gebiet;Jahr;EW;S1\n01100101;2021;1;2\n01100102;2021;1;2\n01100101;2021;3;4\n")
    (problem,) = parsed.problems
    assert (problem.line, problem.column) == (4, "Gebiet")
    assert problem.message == (
        "Doppelter Eintrag: Gebiet „01100101“, Jahr 2021 steht schon in Zeile 2."
    )


def test_unknown_indicator_column_in_wide_layout():
    parsed = parse("Gebiet;Jahr;EW;SI;KOM\n01100101;2021;1;2;x\n", ignore_columns=["KOM"])
    (problem,) = parsed.problems
    assert (problem.line, problem.column) == (1, "SI")
    assert problem.message == "Die Spalte „SI“ ist kein bekannter Indikator."
    assert problem.hint.startswith("Meinten Sie „S1“?")
    assert parsed.frame["indicator"].to_list() == ["EW"]


def test_extra_columns_in_long_layout_are_a_warning():
    parsed = parse("Gebiet;Jahr;Indikator;Wert;Einheit\n01100101;2021;S1;4;%\n")
    assert parsed.ok
    assert [p.message for p in parsed.problems] == ["Die Spalte „Einheit“ wird nicht eingelesen."]


def test_problems_per_kind_are_capped_with_a_german_summary_line():
    rows = "".join(f"{key};2021;S1;x\n" for key in sorted(KEYS))
    parsed = parse("Gebiet;Jahr;Indikator;Wert\n" + rows, max_listed=3)
    assert [p.line for p in parsed.problems] == [2, 3, 4, None]
    assert parsed.problems[-1].message == "… und 1 weitere Zeile mit demselben Fehler."


def test_summary_line_groups_thousands():
    rows = "".join(f"01100101;{year};S1;x\n" for year in range(1901, 2100))
    parsed = parse("Gebiet;Jahr;Indikator;Wert\n" + rows * 6, max_listed=0)
    duplicates, not_numbers = parsed.problems
    assert duplicates.message == "… und 995 weitere Zeilen mit demselben Fehler."
    assert not_numbers.message == "… und 1 194 weitere Zeilen mit demselben Fehler."


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        (
            "Gebiet,Jahr,S1\n",
            {"year": None},
            "daten.csv: Die Datei enthält keine Datenzeilen.",
        ),
        (
            "Gebiet;S1\n01100101;1\n",
            {},
            "daten.csv, Zeile 1: Keine Spalte „Jahr“ gefunden und kein Jahr angegeben.",
        ),
        (
            "Ort;Jahr;S1\n01100101;2021;1\n",
            {},
            "daten.csv, Zeile 1: Keine Spalte mit Gebietsschlüsseln gefunden",
        ),
        (
            "Gebiet Jahr S1\n01100101 2021 1\n",
            {},
            "daten.csv, Zeile 1: Die Kopfzeile enthält nur eine Spalte („Gebiet Jahr S1“)",
        ),
        (
            "Gebiet;Jahr;X1;X2\n01100101;2021;1;2\n",
            {},
            "daten.csv, Zeile 1: Die Tabelle enthält keine Spalte mit einem bekannten Indikator.",
        ),
        ("", {}, "daten.csv: Die Datei ist leer."),
        ("01100101;2021;1\n", {}, "daten.csv, Zeile 1: Keine Kopfzeile gefunden"),
        ("Gebiet;S1\n01100101;1\n", {"year": 21}, "daten.csv: Das angegebene Jahr 21"),
    ],
)
def test_files_without_readable_observations(text, options, expected):
    parsed = parse(text, **options)
    assert not parsed.ok
    assert parsed.frame.height == 0
    assert any(message.startswith(expected) for message in messages(parsed)), messages(parsed)


def test_parsing_never_raises_on_garbage():
    parsed = parse(bytes(range(256)) * 10, "kaputt.xlsx")
    assert not parsed.ok
    assert parsed.info is None


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown indicator kinds"):
        parse("Gebiet;Jahr;S1\n", indicators={"S1": "prozent"})


def test_area_keys_need_not_be_known():
    parsed = parse("Gebiet;Jahr;S1\nX;2021;1\n", known_area_keys=None)
    assert parsed.ok
