"""Repeats in the exports: one long table per repeat (one row per entry, linked by
antwort_nr and eintrag_nr), the number of entries in the responses' table, one XLSX sheet and
one CSV file (in a ZIP) per table, and the codebook naming the table of every variable."""

import csv
import io
import zipfile

import openpyxl
import pytest

from gemeinsinn.surveys import exports, services
from tests.surveys.repeat_form import child, household_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(city, areas):
    survey = services.import_survey(household_form(), "haushalt.xlsx")
    given = [
        (areas[0], "miete", []),
        (areas[1], "eigentum", [child("3_5", ["kita", "hort"], 7)]),
        (areas[0], "miete", [child("unter_3"), child("6_9", ["schule"], 12),
                             child("10_17", ["schule"], 25)]),
    ]  # fmt: skip
    for area, living, children in given:
        services.submit_response(survey, {"wohnform": living, "kinder": children}, area=area)
    return survey


def _table(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_is_a_zip_with_a_table_per_repeat(staff_client, household, areas):
    download = staff_client.get(f"/verwaltung/umfragen/{household.slug}/antworten.csv")
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == f'attachment; filename="{household.slug}-csv.zip"'
    files = zipfile.ZipFile(io.BytesIO(download.content))
    slug = household.slug
    assert files.namelist() == [f"{slug}.csv", f"{slug}-kinder.csv", f"{slug}-codebuch.csv"]
    responses = _table(files.read(f"{slug}.csv"))
    assert responses[0] == [
        "antwort_nr", "gebiet_schluessel", "gebiet", "kanal", "datum", "wohnform",
        "kinder_anzahl", "bemerkung",
    ]  # fmt: skip
    assert [row[:3] + row[5:7] for row in responses[1:]] == [
        ["1", areas[0].key, areas[0].name, "1", "0"],
        ["2", areas[1].key, areas[1].name, "2", "1"],
        ["3", areas[0].key, areas[0].name, "1", "3"],
    ]
    children = _table(files.read(f"{slug}-kinder.csv"))
    assert children == [
        ["antwort_nr", "eintrag_nr", "gebiet_schluessel", "gebiet", "kind_alter",
         "kind_betreuung_kita", "kind_betreuung_schule", "kind_betreuung_hort", "kind_weg"],
        ["2", "1", areas[1].key, areas[1].name, "2", "1", "0", "1", "7"],
        ["3", "1", areas[0].key, areas[0].name, "1", "", "", "", ""],
        ["3", "2", areas[0].key, areas[0].name, "3", "0", "1", "0", "12"],
        ["3", "3", areas[0].key, areas[0].name, "4", "0", "1", "0", "25"],
    ]  # fmt: skip
    assert files.read(f"{slug}-codebuch.csv") == exports.codebook_csv(household)


def test_the_survey_page_says_the_csv_is_a_zip(staff_client, household):
    page = staff_client.get(f"/verwaltung/umfragen/{household.slug}/").content.decode()
    assert "Antworten als CSV (ZIP: eine Datei je Wiederholung und das Codebuch)" in page


def test_the_xlsx_has_a_sheet_per_repeat(staff_client, household):
    download = staff_client.get(f"/verwaltung/umfragen/{household.slug}/antworten.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames == ["Antworten", "kinder", "Codebuch"]
    assert workbook["Antworten"].max_row == 4  # header and three responses
    children = [list(row) for row in workbook["kinder"].iter_rows(values_only=True)]
    assert len(children) == 5  # header and 0 + 1 + 3 entries
    assert [row[:2] + row[4:5] for row in children[1:]] == [[2, 1, 2], [3, 1, 1], [3, 2, 3],
                                                            [3, 3, 4]]  # fmt: skip
    assert children[1][-1] == 7 and children[2][-1] is None


def test_the_codebook_lists_repeat_questions_with_their_repeat(household):
    rows = exports.codebook_rows(household)
    assert rows[0] == ["variable", "label", "type", "value", "value_label", "table"]
    lines = [";".join(str(v) for v in row) for row in rows]
    assert "kinder_anzahl;Anzahl der Einträge: Kinder im Haushalt;numeric;;;Antworten" in lines
    assert "antwort_nr;Laufende Nummer der Antwort (Tabelle Antworten);numeric;;;kinder" in lines
    assert "eintrag_nr;Nummer des Eintrags in der Wiederholung;numeric;;;kinder" in lines
    assert "kind_alter;Alter des Kindes;numeric;;;kinder" in lines
    assert "kind_alter;;;2;3 bis 5 Jahre;kinder" in lines
    assert "kind_betreuung_hort;Betreuung des Kindes: Hort;numeric;;;kinder" in lines
    assert "kind_weg;Weg zur Kita oder Schule (Minuten);numeric;;;kinder" in lines
    assert "wohnform;;;2;im Eigentum;Antworten" in lines
    tables = [row[5] for row in rows[1:]]
    assert tables.count("Antworten") == 5 + 1 + 2 + 1 + 1  # fixed, form, its 2 values, …
    assert tables.count("kinder") == 4 + (1 + 4) + 3 * 3 + 1


def test_a_form_without_repeats_keeps_the_single_csv(staff_client, survey, areas, good_answers):
    services.submit_response(survey, good_answers, area=areas[0])
    download = staff_client.get(f"/verwaltung/umfragen/{survey.slug}/antworten.csv")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert len(_table(download.content)) == 2


@pytest.mark.parametrize(
    ("repeat", "sheet"),
    [
        ("codebuch", "codebuch~2"),
        ("kinder_und_jugendliche_im_haushalt", "kinder_und_jugendliche_im_haush"),
    ],
)
def test_sheet_names_stay_unique_and_within_excels_limit(city, repeat, sheet):
    survey = services.import_survey(household_form(repeat=repeat), f"{repeat}.xlsx")
    assert [t.name for t in exports.tables(survey.form)] == ["Antworten", sheet]
    assert len(sheet) <= exports.SHEET_NAME_LIMIT
