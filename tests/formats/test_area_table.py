import numpy as np

from gemeinsinn.formats.area_table import read_area_table


def read(text: str, **options):
    options.setdefault("id_column", "id")
    options.setdefault("number_columns", ["EW", "S1"])
    return read_area_table(text.encode("cp1252"), "gebiete.csv", **options)


def test_ids_stay_text_and_numbers_are_nan_where_there_is_none():
    table = read("id;Name;EW;S1\n0011;Süd;1.234;4,5\n0012;Nord;-9999;.\n0013;Ost;;-\n")
    assert table.ok, table.problems
    assert table.ids == ("0011", "0012", "0013")
    assert table.lines.tolist() == [2, 3, 4]
    np.testing.assert_array_equal(table.numbers["EW"], [1234.0, np.nan, np.nan])
    np.testing.assert_array_equal(table.numbers["S1"], [4.5, np.nan, np.nan])


def test_key_like_texts_do_not_decide_the_decimal_mark():
    table = read("id;EW;S1\n1.1;300;4.5\n1.2;400;3.25\n")
    np.testing.assert_array_equal(table.numbers["S1"], [4.5, 3.25])


def test_all_problems_at_once():
    table = read("id;EW;S1\n01;x;1\n;2;2\n01;3;3\n")
    assert [(p.line, p.column, p.message) for p in table.problems] == [
        (3, "id", "Der Gebietsschlüssel fehlt."),
        (4, "id", "Doppelter Eintrag: Gebiet „01“ steht schon in Zeile 2."),
        (2, "EW", "„x“ ist keine Zahl."),
    ]


def test_missing_columns_are_named_with_the_available_ones():
    table = read("ID;ew\n01;1\n")
    assert not table.ok
    assert [p.message for p in table.problems] == [
        "Die Spalte „id“ fehlt.",
        "Die Spalte „EW“ fehlt.",
        "Die Spalte „S1“ fehlt.",
    ]
    assert table.problems[1].hint.startswith("Meinten Sie „ew“? Vorhandene Spalten: ID, ew.")
