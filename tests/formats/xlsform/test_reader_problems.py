"""Every kind of fault in an XLSForm gets a German message with sheet, row and column, and
all faults of a form are reported at once."""

import pytest

from gemeinsinn.formats.problems import InputError
from gemeinsinn.formats.xlsform import FormProblem, check_xlsform, read_xlsform
from gemeinsinn.formats.xlsform.pyxform_messages import translate
from tests.formats.xlsform.forms import YES_NO, xlsform_bytes

LOGIC_HEADER = ("type", "name", "label", "relevant", "constraint")


def problems_of(data: bytes, filename: str = "umfrage.xlsx") -> list[FormProblem]:
    check = check_xlsform(data, filename)
    assert check.survey is None or not check.errors
    return check.errors


def only(data: bytes, filename: str = "umfrage.xlsx") -> FormProblem:
    errors = problems_of(data, filename)
    assert len(errors) == 1, [str(error) for error in errors]
    return errors[0]


def test_missing_survey_sheet_lists_the_sheets_and_suggests_a_name():
    data = xlsform_bytes([("text", "a", "A")], survey_sheet="surveys", extra_sheets=["Notizen"])

    problem = only(data)

    assert problem.code == "missing_survey_sheet"
    assert str(problem) == (
        "umfrage.xlsx: Das Blatt „survey“ fehlt (vorhandene Blätter: surveys, Notizen). "
        "Heißt das Blatt „surveys“ vielleicht so? Ein XLSForm braucht ein Tabellenblatt "
        "„survey“ mit einer Zeile je Frage."
    )


def test_sheet_names_are_matched_without_case_and_shown_as_written():
    data = xlsform_bytes([("integr", "a", "A")], survey_sheet="Survey", extra_sheets=["x"])

    problem = only(data)

    assert (problem.sheet, problem.line, problem.column) == ("Survey", 2, "type")
    assert str(problem).startswith("umfrage.xlsx, Blatt Survey, Zeile 2, Spalte type: ")


def test_unknown_type_names_row_column_and_a_suggestion():
    data = xlsform_bytes([("text", "name", "Name"), None, ("integr", "alter", "Alter")])

    problem = only(data)

    assert (problem.code, problem.sheet, problem.line, problem.column) == (
        "unknown_type",
        "survey",
        4,  # the empty row 3 counts: rows are sheet rows
        "type",
    )
    assert problem.message == "Den Fragetyp „integr“ gibt es in XLSForm nicht."
    assert problem.hint.startswith("Meinten Sie „integer“?")


def test_missing_choice_list_with_and_without_a_choices_sheet():
    with_sheet = xlsform_bytes(
        [("select_one farbe", "lieblingsfarbe", "Farbe?")], choices=[("farben", "rot", "Rot")]
    )
    problem = only(with_sheet)
    assert (problem.code, problem.line, problem.column) == ("missing_choice_list", 2, "type")
    assert problem.message == "Die Auswahlliste „farbe“ gibt es im Blatt choices nicht."
    assert problem.hint.startswith("Meinten Sie „farben“?")

    without_sheet = only(xlsform_bytes([("select_multiple farben", "f", "Farben?")]))
    assert without_sheet.code == "missing_choice_list"
    assert "kein Blatt choices" in without_sheet.message


def test_select_without_list_name():
    problem = only(xlsform_bytes([("select_one", "f", "Farbe?")], choices=YES_NO))

    assert (problem.code, problem.line) == ("invalid_select", 2)
    assert problem.message == "Bei „select_one“ fehlt der Name der Auswahlliste."


def test_duplicate_names_point_to_the_first_use():
    data = xlsform_bytes(
        [
            ("begin group", "haushalt", "Haushalt"),
            ("integer", "alter", "Ihr Alter"),
            ("end group",),
            ("integer", "alter", "Alter des Partners"),
        ]
    )

    problem = only(data)

    assert (problem.code, problem.line, problem.column) == ("duplicate_name", 5, "name")
    assert problem.message == "Der Name „alter“ kommt mehrfach vor (zuerst in Zeile 3)."


def test_bad_relevant_expression_names_the_column_and_position():
    data = xlsform_bytes(
        [("integer", "alter", "Alter"), ("text", "schule", "Schule?", "${alter} < < 18")],
        survey_header=LOGIC_HEADER,
    )

    problem = only(data)

    assert (problem.code, problem.line, problem.column) == ("invalid_expression", 3, "relevant")
    assert problem.message == (
        "Der Ausdruck „${alter} < < 18“ ist fehlerhaft: Unerwartetes „<“ an Stelle 12."
    )


@pytest.mark.parametrize(
    ("relevant", "code", "fragment"),
    [
        ("${alte} < 18", "unknown_reference", "eine Frage „alte“ gibt es nicht"),
        ("pulldata('x', 'y', 'z', ${alter})", "invalid_expression", "pulldata()"),
        ("/data/alter < 18", "invalid_expression", "Pfadangaben"),
        ("${alter} < 18 and", "invalid_expression", "endet unerwartet"),
        ("${alter} = ‘18’", "invalid_expression", "Typografisches Anführungszeichen"),
        ("selected(${alter})", "invalid_expression", "erwartet 2 Argumente"),
        ("alter < 18", "invalid_expression", "weder Funktion noch Verweis"),
    ],
)
def test_expression_faults_are_found_at_import(relevant, code, fragment):
    data = xlsform_bytes(
        [("integer", "alter", "Alter"), ("text", "schule", "Schule?", relevant)],
        survey_header=LOGIC_HEADER,
    )

    problem = only(data)

    assert (problem.code, problem.line, problem.column) == (code, 3, "relevant")
    assert fragment in str(problem)


def test_unknown_reference_suggests_the_close_name_also_in_labels():
    data = xlsform_bytes(
        [("text", "vorname", "Vorname"), ("note", "gruss", "Hallo ${vornam}!")],
    )

    problem = only(data)

    assert (problem.code, problem.line, problem.column) == ("unknown_reference", 3, "label")
    assert problem.hint.startswith("Meinten Sie ${vorname}?")


@pytest.mark.parametrize(
    ("row", "code", "fragment"),
    [
        (("geopoint", "ort", "Wo?"), "unsupported_type", "GPS"),
        (("geotrace", "weg", "Weg?"), "unsupported_type", "GPS"),
        (("image", "foto", "Foto?"), "unsupported_type", "Uploads"),
        (("audio", "ton", "Ton?"), "unsupported_type", "Uploads"),
        (("barcode", "code", "Code?"), "unsupported_type", "Barcode"),
        (("select_one_from_file orte.csv", "ort", "Ort?"), "unsupported_type", "externen"),
        (("range", "skala", "Skala?"), "unsupported_type", "Schieberegler"),
        (("text", "u", "Unterschrift", "signature"), "unsupported_appearance", "Uploads"),
        (("date", "d", "Datum", "ethiopian"), "unsupported_appearance", "Kalender"),
        (("integer", "i", "Zahl", "ex:org.app"), "unsupported_appearance", "externer Apps"),
    ],
)
def test_what_the_platform_cannot_show_is_refused(row, code, fragment):
    data = xlsform_bytes(
        [("text", "vorher", "Vorher"), row], survey_header=("type", "name", "label", "appearance")
    )

    problem = only(data)

    assert (problem.code, problem.sheet, problem.line) == (code, "survey", 3)
    assert problem.column == ("type" if code == "unsupported_type" else "appearance")
    assert fragment in problem.message
    assert problem.hint  # always says what to do instead


def test_repeat_inside_repeat_is_refused():
    data = xlsform_bytes(
        [
            ("begin repeat", "kinder", "Kinder"),
            ("text", "kind_name", "Name"),
            ("begin repeat", "geschwister", "Geschwister"),
            ("text", "geschwister_name", "Name"),
            ("end repeat",),
            ("end repeat",),
        ]
    )

    problem = only(data)

    assert (problem.code, problem.line) == ("nested_repeat", 4)
    assert "„geschwister“ steht in der Wiederholung „kinder“ (Zeile 2)" in problem.message


def test_references_into_a_repeat_from_outside_and_to_groups_are_refused():
    data = xlsform_bytes(
        [
            ("begin group", "haushalt", "Haushalt"),
            ("begin repeat", "kinder", "Kinder"),
            ("integer", "kind_alter", "Alter"),
            ("end repeat",),
            ("end group",),
            ("note", "hinweis", "Hinweis", "${kind_alter} < 6"),
            ("note", "gruppe", "Gruppe", "${haushalt} != ''"),
        ],
        survey_header=LOGIC_HEADER,
    )

    errors = problems_of(data)

    assert [(e.code, e.line) for e in errors] == [("repeat_reference", 7), ("group_reference", 8)]


def test_choice_filter_is_not_supported_yet():
    data = xlsform_bytes(
        [("select_one ja_nein", "a", "A", "name = 'ja'")],
        survey_header=("type", "name", "label", "choice_filter"),
        choices=YES_NO,
    )

    problem = only(data)

    assert (problem.code, problem.column) == ("unsupported_column", "choice_filter")


@pytest.mark.parametrize(
    ("rows", "code", "line"),
    [
        ([("begin group", "g", "G"), ("text", "a", "A")], "unclosed_group", 2),
        ([("text", "a", "A"), ("end group",)], "unmatched_end", 3),
        ([("begin group", "g", "G"), ("text", "a", "A"), ("end repeat",)], "unmatched_end", 4),
        ([("text", "a", None)], "missing_label", 2),
        ([("text", None, "Ohne Namen")], "missing_name", 2),
        ([("text", "a b", "Mit Leerzeichen")], "invalid_name", 2),
        ([(None, "a", "Ohne Typ")], "missing_type", 2),
        ([("calculate", "c", None)], "missing_calculation", 2),
        ([("text", "a", "A"), ("text", "meta", "Meta")], "reserved_name", 3),  # from pyxform
    ],
)
def test_structure_faults(rows, code, line):
    problem = only(xlsform_bytes(rows))

    assert (problem.code, problem.sheet, problem.line) == (code, "survey", line)


def test_choice_faults_are_reported_on_the_choices_sheet():
    data = xlsform_bytes(
        [("select_multiple farben", "farben", "Farben?")],
        choices=[
            ("farben", "rot", "Rot"),
            ("farben", "hell blau", "Hellblau"),
            ("farben", "rot", "Rot, nochmal"),
            ("farben", None, "Ohne Namen"),
            (None, "gruen", "Ohne Liste"),
        ],
    )

    errors = problems_of(data)

    assert [(e.code, e.sheet, e.line) for e in errors] == [
        ("choice_name_space", "choices", 3),
        ("duplicate_choice", "choices", 4),
        ("missing_choice_name", "choices", 5),
        ("missing_list_name", "choices", 6),
    ]


def test_missing_columns():
    no_type = only(xlsform_bytes([("a", "A")], survey_header=("name", "label")))
    assert (no_type.code, no_type.line, no_type.message) == (
        "missing_column",
        1,
        "Im Blatt survey fehlt die Spalte „type“.",
    )
    no_list_name = only(
        xlsform_bytes(
            [("select_one x", "a", "A")], choices=[("ja", "Ja")], choices_header=("name", "label")
        )
    )
    assert (no_list_name.code, no_list_name.sheet) == ("missing_column", "choices")


def test_not_a_workbook():
    assert only(b"just text", "umfrage.xlsx").code == "unreadable"
    # an old .xls is read by pyxform (xlrd); a damaged one gets the same German message
    assert only(b"\xd0\xcf\x11\xe0" + bytes(600), "alt.xls").code == "unreadable"
    assert only(b"PK\x03\x04" + bytes(600), "kaputt.xlsx").code == "unreadable"
    csv = only(b"type,name\ntext,a\n", "umfrage.csv")
    assert csv.code == "unreadable"
    assert csv.message == "Die Datei ist keine Excel-Arbeitsmappe (.xlsx oder .xls)."


def test_empty_survey():
    assert only(xlsform_bytes([("note", "n", "Nur ein Hinweis")], survey_header=("x", "y", "z")))


def test_all_faults_of_a_form_are_reported_at_once():
    data = xlsform_bytes(
        [
            ("integr", "alter", "Alter"),
            ("text", "alter", "Nochmal"),
            ("geopoint", "ort", "Ort"),
            ("text", "x", "X", "${gibtsnicht} = 1"),
        ],
        survey_header=LOGIC_HEADER,
    )

    errors = problems_of(data)

    assert [(e.code, e.line) for e in errors] == [
        ("unknown_type", 2),
        ("duplicate_name", 3),
        ("unsupported_type", 4),
        ("unknown_reference", 5),
    ]
    with pytest.raises(InputError) as raised:
        read_xlsform(data, "umfrage.xlsx")
    assert len(raised.value.problems) == 4
    assert (
        str(raised.value)
        .splitlines()[0]
        .startswith("umfrage.xlsx, Blatt survey, Zeile 2, Spalte type: Den Fragetyp „integr“")
    )


def test_warnings_do_not_stop_a_form():
    data = xlsform_bytes(
        [
            ("deviceid", "geraet", None, None),
            ("select_one ja_nein", "a", "Frage A", "autocomplete_chars"),
        ],
        survey_header=("type", "name", "label", "appearance"),
        choices=[("ja_nein", "ja", "Ja"), ("ja_nein", "nein", None)],
    )

    check = check_xlsform(data, "umfrage.xlsx")

    assert check.ok
    assert [(p.code, p.sheet, p.line) for p in check.warnings] == [
        ("ignored_metadata", "survey", 2),
        ("unknown_appearance", "survey", 3),
        ("missing_choice_label", "choices", 3),
    ]
    assert all(p.severity == "warning" for p in check.warnings)


def test_pyxform_messages_are_translated_with_their_place():
    sheets = {"survey": "Survey", "choices": "choices"}
    coded = translate(
        Exception(
            "[row : 7] On the 'survey' sheet, the 'name' value 'x' is invalid. Questions, "
            "groups, and repeats must be unique within their nearest parent group or repeat."
        ),
        "f.xlsx",
        sheets,
    )
    assert (coded.code, coded.sheet, coded.line, coded.column) == (
        "duplicate_name",
        "Survey",
        7,
        "name",
    )
    assert coded.message.startswith("Der Name kommt in derselben Gruppe mehrfach vor.")

    free_text = translate(Exception("[row : 4] List name not in choices sheet: farbe"), "f", {})
    assert (free_text.code, free_text.sheet, free_text.line, free_text.column) == (
        "missing_choice_list",
        "survey",
        4,
        "type",
    )

    unknown = translate(
        Exception("[row : 9] Something new went wrong. Learn more: https://example.org"),
        "f.xlsx",
        sheets,
    )
    assert unknown.code == "pyxform"
    assert unknown.line == 9
    assert unknown.message == "pyxform lehnt den Fragebogen ab: Something new went wrong."


def test_misspelt_columns_are_warned_about():
    data = xlsform_bytes(
        [("integer", "a", "A", None), ("text", "b", "B", "${a} > 1")],
        survey_header=("type", "name", "label", "relevent"),
    )

    check = check_xlsform(data, "umfrage.xlsx")

    assert check.ok  # pyxform accepts it, but the skip logic would be lost
    (warning,) = check.warnings
    assert (warning.code, warning.line, warning.column) == ("unknown_column", 1, "relevent")
    assert warning.hint.startswith("Meinten Sie „relevant“?")
