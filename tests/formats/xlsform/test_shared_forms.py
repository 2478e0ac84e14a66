"""The real XLSForms in ../shared/data/xlsform: pyxform's spec test forms and CorrelAid's
German/English forms. Those gemeinsinn can show are read with the right questions and
languages; the spec form's GPS, barcode and media questions are refused at their rows."""

import pytest

from gemeinsinn.formats.xlsform import check_xlsform, read_xlsform, validate_response
from gemeinsinn.formats.xlsform.model import SurveyDefinition

pytestmark = pytest.mark.shared_data


def _read(shared_data, name):
    path = shared_data / "xlsform" / name
    return check_xlsform(path.read_bytes(), name)


def test_all_types_survey_is_read_with_every_type(shared_data):
    check = _read(shared_data, "correlaid_all_types_survey.xlsx")

    assert check.ok, [str(problem) for problem in check.errors]
    survey = check.survey
    assert survey.title == "Workshop-Feedback-Umfrage"
    assert survey.form_id == "all_types"
    assert survey.languages == ("de",)
    assert survey.default_language == "de"
    assert survey.counts_by_type() == {
        "text": 13,  # 10 written + 3 "please specify" questions of or_other
        "select_one": 8,
        "integer": 3,
        "note": 2,
        "rank": 2,
        "select_multiple": 2,
        "calculate": 1,
        "date": 1,
        "datetime": 1,
        "decimal": 1,
        "end": 1,
        "hidden": 1,
        "start": 1,
        "time": 1,
        "today": 1,
    }
    assert [q.name for q in survey.questions() if q.is_likert] == ["q_likert"]
    assert len(survey.groups()) == 6
    assert not any(group.repeat for group in survey.groups())
    # device metadata cannot exist on the web: ignored, with a warning at its row
    assert [(p.code, p.line, p.sheet) for p in check.warnings] == [
        ("ignored_metadata", 5, "survey"),
        ("ignored_metadata", 6, "survey"),
        ("ignored_metadata", 9, "survey"),
    ]


def test_all_types_survey_keeps_checks_and_or_other(shared_data):
    survey = _read(shared_data, "correlaid_all_types_survey.xlsx").survey

    constrained = survey.question("q_constraint")
    assert constrained.constraint.source == ". >= 18 and . <= 120"
    assert constrained.constraint_messages == {
        "de": "Bitte geben Sie ein gültiges Alter zwischen 18 und 120 ein"
    }
    assert survey.question("q_mandatory").required
    assert survey.question("q_relevant").relevant.references == {"q_mandatory"}
    other = survey.question("q_sel1_other")
    assert other.or_other
    assert other.choices.names() == ("red", "blue", "green", "other")
    assert survey.question("q_sel1_other_other").relevant.source == (
        "selected(${q_sel1_other}, 'other')"
    )
    assert survey.question("calc1").calculation.source == "1+1"


def test_correlaid_application_form_in_two_languages(shared_data):
    check = _read(shared_data, "correlaid_testB.xlsx")

    assert check.ok, [str(problem) for problem in check.errors]
    survey = check.survey
    assert survey.languages == ("Deutsch (de)", "English (en)")
    assert survey.default_language == "Deutsch (de)"
    assert survey.version == "vw6VTbhmVCMEtuN7LhcmjP"
    assert survey.counts_by_type() == {
        "select_one": 31,
        "text": 8,
        "select_multiple": 4,
        "calculate": 3,
        "note": 2,
        "end": 1,
        "start": 1,
    }
    assert len(survey.groups()) == 7
    gender = survey.question("gender")
    assert gender.labels == {
        "Deutsch (de)": "Was ist dein Geschlecht?",
        "English (en)": ("What is your gender?"),
    }
    assert gender.label("English (en)") == "What is your gender?"
    assert gender.label("en") == "What is your gender?"
    assert gender.choices.get("female").labels == {
        "Deutsch (de)": "Weiblich",
        "English (en)": ("Female"),
    }


def test_correlaid_application_form_skip_logic_and_regex(shared_data):
    survey = _read(shared_data, "correlaid_testB.xlsx").survey

    base = {
        "project_id": ["project-alpha"],
        "project_role_project-alpha": "role-data-analysis",
        "python": "user",
        "rstats": "beginner",
        "data_cleaning": "advanced",
        "descriptive_statistics": "expert",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email_address": "ada@example.org",
        "gender": "female",
        "consent_privacy_policy": "yes",
        "motivation_skills": "Statistik",
        "motivation_why": "Gemeinwohl",
        "past_applications": "first_application",
    }
    answered = validate_response(survey, {**base, "gender_self_identification": "x"})
    assert answered.ok, [str(problem) for problem in answered.problems]
    # gender is not "self_identification": the answer to the follow-up question is dropped
    assert "gender_self_identification" not in answered.answers
    # calculations see the selections
    assert answered.answers["NO_TC_project-alpha"] == "Alpha: Not TC"
    assert answered.answers["missing_coord"] == "Alpha: Not TC"

    missing = validate_response(survey, {**base, "gender": "self_identification"})
    assert [(p.question, p.code) for p in missing.problems] == [
        ("gender_self_identification", "required")
    ]

    bad_mail = validate_response(survey, {**base, "email_address": "keine-adresse"})
    assert [(p.question, p.message) for p in bad_mail.problems] == [
        ("email_address", "Please specify a valid email address.")
    ]
    # questions of a project not applied for are not asked
    beta_only = validate_response(survey, {**base, "sql": "expert"})
    assert beta_only.ok
    assert "sql" not in beta_only.answers


def test_pyxform_group_form(shared_data):
    check = _read(shared_data, "pyxform_group.xlsx")

    assert check.ok
    survey = check.survey
    assert survey.languages == ("English (en)",)
    assert survey.counts_by_type() == {"text": 2, "integer": 1}
    (group,) = survey.groups()
    assert group.name == "father"
    assert [child.name for child in group.children] == ["phone_number", "age"]
    # "phone number" is text with pyxform's built-in digits-only check
    assert survey.question("phone_number").constraint.source == r"regex(., '^\d*$')"


def test_spec_form_refuses_what_the_platform_cannot_show(shared_data):
    check = _read(shared_data, "pyxform_xlsform_spec_test.xlsx")

    assert not check.ok
    assert check.survey is None
    errors = [(p.code, p.sheet, p.line, p.column) for p in check.errors]
    assert errors == [
        ("unsupported_type", "survey", 34, "type"),  # geopoint
        ("unsupported_type", "survey", 35, "type"),  # barcode
        ("unsupported_type", "survey", 36, "type"),  # image
        ("unsupported_type", "survey", 37, "type"),  # audio
        ("unsupported_type", "survey", 38, "type"),  # video
        ("unsupported_appearance", "survey", 57, "appearance"),  # ex:org.thirdparty…
    ]
    geopoint = str(check.errors[0])
    assert geopoint.startswith(
        "pyxform_xlsform_spec_test.xlsx, Blatt survey, Zeile 34, Spalte type: "
        "Der Fragetyp „geopoint“ verlangt Ortsangaben per GPS oder Karte"
    )
    assert "Auswahlfrage (select_one) mit den Stadtteilen" in geopoint
    assert "Datei-, Foto-, Ton- oder Video-Uploads" in str(check.errors[2])
    assert "Barcode" in str(check.errors[1])
    # pyxform itself accepts the form: nothing of its own is reported
    assert not any(getattr(p, "from_pyxform", False) for p in check.problems)
    # what gemeinsinn ignores is a warning, once per kind of column
    warned = {(p.code, p.line) for p in check.warnings}
    assert ("ignored_column", 9) in warned  # image/audio/video columns of the survey sheet
    assert ("ignored_metadata", 48) in warned  # deviceid


@pytest.mark.parametrize(
    "name",
    ["correlaid_all_types_survey.xlsx", "correlaid_testB.xlsx", "pyxform_group.xlsx"],
)
def test_definitions_survive_a_round_trip_through_json(shared_data, name):
    survey = read_xlsform((shared_data / "xlsform" / name).read_bytes(), name)

    again = SurveyDefinition.from_dict(survey.to_dict())

    assert again == survey
