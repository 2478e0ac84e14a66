import codecs
import csv
import io

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gemeinsinn.formats.numbers import number
from gemeinsinn.formats.problems import InputError
from gemeinsinn.formats.tables import read_table


def read(text: str, encoding: str = "utf-8"):
    return read_table(text.encode(encoding), "tabelle.csv")


@pytest.mark.parametrize(
    ("text", "separator", "decimal_mark"),
    [
        ("Gebiet;Jahr;S1\n01;2021;4,5\n02;2021;3,25\n", ";", ","),
        ("Gebiet,Jahr,S1\n01,2021,4.5\n02,2021,3.25\n", ",", "."),
        ("Gebiet\tJahr\tS1\n01\t2021\t4,5\n02\t2021\t3,25\n", "\t", ","),
        ("Gebiet|Jahr|S1\n01|2021|4.5\n02|2021|3.25\n", "|", "."),
        ('Gebiet,Jahr,S1\n01,2021,"4,5"\n02,2021,"3,25"\n', ",", ","),
        ("Gebiet;Jahr;S1\n01;2021;4.5\n02;2021;3.25\n", ";", "."),
    ],
)
def test_separator_and_decimal_mark_are_detected(text, separator, decimal_mark):
    table = read(text)
    assert (table.info.separator, table.info.decimal_mark) == (separator, decimal_mark)
    assert table.frame.columns == ["Gebiet", "Jahr", "S1"]
    assert table.frame["Gebiet"].to_list() == ["01", "02"]


def test_keys_keep_leading_zeros_and_all_columns_stay_text():
    table = read("id;EW\n0011;300\n00200;1.234\n")
    assert table.frame["id"].to_list() == ["0011", "00200"]
    assert table.frame["EW"].to_list() == ["300", "1.234"]


def test_cp1252_file_with_umlauts():
    table = read("Gebiet;Straße\n01;Müllerstraße\n", "cp1252")
    assert table.info.encoding == "cp1252"
    assert table.frame.columns == ["Gebiet", "Straße"]
    assert table.frame["Straße"].to_list() == ["Müllerstraße"]


def test_utf8_bom_is_not_part_of_the_first_column_name():
    table = read_table(codecs.BOM_UTF8 + b"Gebiet;Wert\n01;1\n", "t.csv")
    assert table.info.encoding == "utf-8-sig"
    assert table.frame.columns == ["Gebiet", "Wert"]


def test_line_numbers_are_physical_lines_with_quotes_blank_lines_and_title():
    text = (
        "Tabelle 3: Arbeitslose 2021\n"  # line 1: title
        "\n"  # line 2
        "Gebiet;Name;Wert\n"  # line 3: header
        '01;"Nord;Ost";1\n'  # line 4
        '02;"zwei\nZeilen";2\n'  # lines 5-6
        "\r\n"  # line 7: blank
        ";;\n"  # line 8: only separators
        '03;"mit ""Zitat""";3\n'  # line 9
    )
    table = read(text)
    assert table.info.header_line == 3
    assert table.lines.tolist() == [4, 5, 9]
    assert table.frame["Name"].to_list() == ["Nord;Ost", "zwei\nZeilen", 'mit "Zitat"']
    assert table.problems == []


def test_windows_line_endings_and_missing_final_line_break():
    table = read("a;b\r\n1;2\r\n3;4")
    assert table.frame.rows() == [("1", "2"), ("3", "4")]
    assert table.lines.tolist() == [2, 3]


def test_cells_are_stripped_and_empty_cells_are_null():
    table = read("a;b\n 1 ; \n2;\u00a0x\u00a0\n")
    assert table.frame.rows() == [("1", None), ("2", "x")]


def test_row_with_more_fields_than_the_header_is_an_error_naming_the_line():
    table = read("Gebiet;Wert\n01;4\n02;4,5;7\n03;1\n")
    (problem,) = table.problems
    assert problem.severity == "error"
    assert problem.line == 3
    assert "3 Felder, die Kopfzeile nur 2" in problem.message
    assert "Semikolon" in problem.hint


def test_decimal_comma_in_a_comma_separated_file_is_reported():
    table = read("Gebiet,Jahr,Wert\n01,2021,4\n02,2021,4,5\n")
    assert [(p.line, p.severity) for p in table.problems] == [(3, "error")]


def test_row_with_fewer_fields_is_a_warning():
    table = read("Gebiet;Jahr;Wert\n01;2021\n02;2021;3\n")
    (problem,) = table.problems
    assert (problem.severity, problem.line) == ("warning", 2)
    assert table.frame.row(0) == ("01", "2021", None)


def test_many_bad_rows_are_listed_up_to_the_limit_with_a_summary():
    text = "a;b\n" + "1;2;3\n" * 250
    problems = read(text).problems
    assert len(problems) == 201
    assert [p.line for p in problems[:200]] == list(range(2, 202))
    assert problems[-1].message == "… und 50 weitere Zeilen mit demselben Fehler."


def test_unclosed_quote_names_the_line():
    with pytest.raises(InputError) as raised:
        read('Gebiet;Name\n01;"offen\n02;zu\n')
    (problem,) = raised.value.problems
    assert problem.line == 2
    assert "Anführungszeichen" in problem.message


@pytest.mark.parametrize("content", [b"", b"   \n\n", codecs.BOM_UTF8, b";;;\n;;\n"])
def test_empty_file(content):
    with pytest.raises(InputError) as raised:
        read_table(content, "leer.csv")
    assert str(raised.value) == (
        "leer.csv: Die Datei ist leer. Bitte eine Datei mit Kopfzeile und Datenzeilen hochladen."
    )


def test_file_without_header():
    with pytest.raises(InputError) as raised:
        read("01100101;2021;4,5\n01100102;2021;3,5\n")
    (problem,) = raised.value.problems
    assert problem.line == 1
    assert problem.message.startswith("Keine Kopfzeile gefunden")


def test_duplicate_and_unnamed_columns_are_reported():
    table = read("Gebiet;S1;S1;;\n01;1;2;3;\n")
    assert table.frame.columns == ["Gebiet", "S1", "S1 (2)"]
    messages = [p.message for p in table.problems]
    assert messages == [
        "Die Spalte 4 enthält Werte, hat aber keinen Namen in der Kopfzeile.",
        "Der Spaltenname „S1“ kommt mehrfach vor (Spalten 2, 3).",
    ]


def test_utf16_tab_separated_excel_unicode_text():
    table = read_table("Gebiet\tName\n01\tSüd\n".encode("utf-16"), "unicode.txt")
    assert (table.info.encoding, table.info.separator) == ("utf-16", "\t")
    assert table.frame.rows() == [("01", "Süd")]


NAME_TEXT = st.text(alphabet="abcäöüßÄ ;,\t\"\n-.'", max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 99_999).map(lambda n: f"{n:08d}"),
            NAME_TEXT,
            st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 2)),
        ),
        min_size=1,
        max_size=20,
    ),
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_any_written_table_reads_back_with_its_lines(rows, separator, encoding, line_end):
    decimal = "." if separator == "," else ","
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator=line_end)
    writer.writerow(["Gebiet", "Name", "Wert"])
    starts = []
    for key, name, value in rows:
        starts.append(buffer.getvalue().count("\n") + 1)
        writer.writerow([key, name, f"{value:.2f}".replace(".", decimal)])
    table = read_table(buffer.getvalue().encode(encoding), "tabelle.csv")

    assert table.info.separator == separator
    assert table.frame["Gebiet"].to_list() == [key for key, _, _ in rows]
    assert table.frame["Name"].to_list() == [name.strip() or None for _, name, _ in rows]
    assert table.lines.tolist() == starts
    assert table.problems == []
    values = table.frame.select(number(pl.col("Wert"), decimal)).to_series().to_list()
    assert values == [value for _, _, value in rows]


def test_quoted_fields_full_of_other_separators_do_not_mislead_the_detection():
    row = '00000000;",\n;";0,00\n'
    table = read("Gebiet;Name;Wert\n" + row * 2)
    assert table.info.separator == ";"
    assert table.frame["Name"].to_list() == [",\n;", ",\n;"]
    assert table.lines.tolist() == [2, 4]


def test_classic_mac_line_breaks():
    table = read("Gebiet;Wert\r01;1\r02;2\r")
    assert table.frame.rows() == [("01", "1"), ("02", "2")]
    assert table.lines.tolist() == [2, 3]
