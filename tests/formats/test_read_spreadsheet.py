import pytest

from gemeinsinn.formats.problems import InputError
from gemeinsinn.formats.tables import read_table
from tests.formats.spreadsheets import rows_at, xlsx_bytes


def test_data_sheet_rows_and_letters_are_kept_when_the_table_starts_elsewhere():
    data = xlsx_bytes(
        {
            "Erläuterungen": {"A1": "Quelle: Amt für Statistik", "A2": "Stand 31.12.2021"},
            "Daten": {
                "B2": "Tabelle 1: Arbeitslose",
                **rows_at(
                    "B4",
                    [
                        ["Gebiet", "Jahr", "S1", "Name"],
                        ["01100101", 2021, 4.5, "Mitte"],
                        [None, None, None, None],
                        ["01100102", 2021, "4,5", "Süd"],
                        [1100103, 2021.0, 12, None],
                    ],
                ),
            },
        }
    )
    table = read_table(data, "daten.xlsx")
    assert table.info.file_format == "xlsx"
    assert table.info.sheet == "Daten"
    assert table.info.header_line == 4
    assert table.lines.tolist() == [5, 7, 8]
    assert table.labels == {
        "Gebiet": "B (Gebiet)",
        "Jahr": "C (Jahr)",
        "S1": "D (S1)",
        "Name": "E (Name)",
    }
    assert table.frame.rows() == [
        ("01100101", "2021", "4.5", "Mitte"),
        ("01100102", "2021", "4,5", "Süd"),
        ("1100103", "2021", "12", None),  # numbers as their shortest text
    ]


def test_sheet_can_be_chosen_by_name():
    data = xlsx_bytes(
        {
            "2020": rows_at("A1", [["Gebiet", "S1"], ["01", 1]]),
            "2021": rows_at("A1", [["Gebiet", "S1"], ["01", 2]]),
        }
    )
    assert read_table(data, "d.xlsx", sheet="2021").frame.rows() == [("01", "2")]
    with pytest.raises(InputError) as raised:
        read_table(data, "d.xlsx", sheet="2019")
    assert "Vorhandene Tabellenblätter: 2020, 2021." in str(raised.value)


def test_workbook_without_data_sheet():
    data = xlsx_bytes({"Hinweise": {"A1": "Nur Text"}, "Leer": {}})
    with pytest.raises(InputError) as raised:
        read_table(data, "d.xlsx")
    (problem,) = raised.value.problems
    assert problem.message == (
        "Die Arbeitsmappe enthält kein Tabellenblatt mit Daten (geprüft: Hinweise, Leer)."
    )


def test_broken_spreadsheet():
    with pytest.raises(InputError) as raised:
        read_table(b"PK\x03\x04 kaputt", "d.xlsx")
    assert "keine lesbare Excel" in str(raised.value)
