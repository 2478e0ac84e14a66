"""What a form becomes: questions, groups and repeats, texts per language, choice lists."""

import json

import pytest

from gemeinsinn.formats.xlsform import (
    Group,
    SurveyDefinition,
    check_xlsform,
    language_code,
    read_xlsform,
    translate,
)
from tests.formats.xlsform.forms import xlsform_bytes

HEADER = (
    "type",
    "name",
    "label::Deutsch (de)",
    "label:English (en)",  # one colon is accepted as well
    "hint::Deutsch (de)",
    "required",
    "required_message::Deutsch (de)",
    "appearance",
    "repeat_count",
    "default",
)


def form() -> SurveyDefinition:
    return read_xlsform(
        xlsform_bytes(
            [
                ("begin_group", "wohnen", "Wohnen", "Housing", None, None, None, "field-list"),
                (
                    "select_one zufriedenheit",
                    "zufrieden",
                    "Zufrieden?",
                    "Satisfied?",
                    "Eine Antwort",
                    "TRUE",
                    "Bitte antworten",
                    "likert",
                ),
                ("select_multiple orte or_other", "orte", "Orte", "Places"),
                ("end_group",),
                ("integer", "anzahl", "Anzahl", "Number", None, "false()"),
                (
                    "begin repeat",
                    "personen",
                    "Personen",
                    "People",
                    None,
                    None,
                    None,
                    None,
                    "${anzahl}",
                ),
                ("text", "vorname", "Vorname", "First name", None, "yes"),
                ("end repeat",),
                ("note", None, "Danke", "Thanks"),
                ("text", "land", "Land", "Country", None, None, None, None, None, "Deutschland"),
            ],
            survey_header=HEADER,
            choices=[
                ("zufriedenheit", "ja", "Ja", "Yes"),
                ("zufriedenheit", "nein", "Nein", "No"),
                ("orte", "park", "Park", "Park"),
            ],
            choices_header=("list_name", "name", "label::Deutsch (de)", "label::English (en)"),
            settings={"form_title": "Wohnen im Viertel", "form_id": "wohnen", "version": 3},
        ),
        "wohnen.xlsx",
    )


def test_structure_and_types():
    survey = form()

    assert (survey.title, survey.form_id, survey.version) == ("Wohnen im Viertel", "wohnen", "3")
    assert survey.languages == ("Deutsch (de)", "English (en)")
    assert survey.default_language == "Deutsch (de)"  # no setting: the first language
    wohnen, anzahl, personen, note, land = survey.items
    assert isinstance(wohnen, Group) and not wohnen.repeat
    assert wohnen.appearance == "field-list"
    assert [child.name for child in wohnen.children] == ["zufrieden", "orte", "orte_other"]
    assert isinstance(personen, Group) and personen.repeat
    assert personen.repeat_count.source == "${anzahl}"
    assert note.name == "generated_note_name_10"  # notes may go without a name, as in pyxform
    assert land.default == "Deutschland"
    assert survey.counts_by_type() == {
        "text": 3,
        "integer": 1,
        "note": 1,
        "select_multiple": 1,
        "select_one": 1,
    }
    assert [item.row for item in survey.walk()] == [2, 3, 4, None, 6, 7, 8, 10, 11]


def test_texts_per_language_and_required():
    survey = form()
    zufrieden = survey.question("zufrieden")

    assert zufrieden.labels == {"Deutsch (de)": "Zufrieden?", "English (en)": "Satisfied?"}
    assert zufrieden.hints == {"Deutsch (de)": "Eine Antwort"}
    assert zufrieden.required and zufrieden.required_messages == {"Deutsch (de)": "Bitte antworten"}
    assert zufrieden.is_likert
    assert zufrieden.choices.get("nein").labels == {"Deutsch (de)": "Nein", "English (en)": "No"}
    assert not survey.question("anzahl").required  # "false()"
    assert survey.question("vorname").required


def test_or_other_adds_a_choice_and_a_question_in_each_language():
    survey = form()
    orte = survey.question("orte")

    assert orte.or_other
    assert orte.choices.names() == ("park", "other")
    assert orte.choices.get("other").labels == {
        "Deutsch (de)": "Sonstiges",
        "English (en)": "Other",
    }
    other = survey.question("orte_other")
    assert other.type == "text"
    assert other.relevant.source == "selected(${orte}, 'other')"
    # the list as written keeps its choices
    assert survey.choice_lists["orte"].names() == ("park",)


def test_definition_as_json_and_back():
    survey = form()

    data = json.loads(json.dumps(survey.to_dict()))

    assert SurveyDefinition.from_dict(data) == survey


def test_plain_columns_belong_to_the_default_language():
    data = xlsform_bytes(
        [("text", "a", "Frage", "Question")],
        survey_header=("type", "name", "label", "label::English (en)"),
        settings={"default_language": "Deutsch (de)"},
    )
    survey = check_xlsform(data, "f.xlsx").survey
    assert survey.languages == ("Deutsch (de)", "English (en)")
    assert survey.question("a").labels == {"Deutsch (de)": "Frage", "English (en)": "Question"}

    without_setting = check_xlsform(
        xlsform_bytes([("text", "a", "Frage")]), "ohne_sprache.xlsx"
    ).survey
    assert without_setting.languages == ("default",)
    assert without_setting.default_language == "default"
    assert without_setting.title == "ohne_sprache"


@pytest.mark.parametrize(
    ("name", "code"),
    [("Deutsch (de)", "de"), ("English (en)", "en"), ("de", "de"), ("english", None)],
)
def test_language_codes(name, code):
    assert language_code(name) == code


def test_translate_falls_back_to_the_default_language_and_matches_codes():
    texts = {"Deutsch (de)": "Hallo", "English (en)": "Hello"}

    assert translate(texts, "English (en)", "Deutsch (de)") == "Hello"
    assert translate(texts, "en", "Deutsch (de)") == "Hello"
    assert translate(texts, "Türkçe (tr)", "Deutsch (de)") == "Hallo"
    assert translate({}, "en", "de") == ""
