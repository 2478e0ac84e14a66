"""One response checked against a form: types, required, constraints, skip logic."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gemeinsinn.formats.xlsform import interpolate, read_xlsform, validate_response
from tests.formats.xlsform.forms import xlsform_bytes

HEADER = (
    "type",
    "name",
    "label::Deutsch (de)",
    "label::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Deutsch (de)",
    "constraint_message::English (en)",
    "required_message::Deutsch (de)",
    "calculation",
    "repeat_count",
)


def row(
    type_,
    name,
    de="",
    en="",
    *,
    required="",
    relevant="",
    constraint="",
    message=("", ""),
    required_message="",
    calculation="",
    repeat_count="",
):
    return (
        type_,
        name,
        de or None,
        en or None,
        required or None,
        relevant or None,
        constraint or None,
        message[0] or None,
        message[1] or None,
        required_message or None,
        calculation or None,
        repeat_count or None,
    )


FORM = read_xlsform(
    xlsform_bytes(
        [
            row(
                "integer",
                "alter",
                "Wie alt sind Sie?",
                "How old are you?",
                required="yes",
                constraint=". >= 0 and . <= 120",
                message=("Alter zwischen 0 und 120, nicht ${alter}.", "Age 0 to 120."),
            ),
            row("begin group", "schule", "Schule", "School", relevant="${alter} < 20"),
            row(
                "select_one schulform",
                "schulform",
                "Welche Schule?",
                "Which school?",
                required="yes",
                required_message="Bitte die Schulform wählen.",
            ),
            row("end group", ""),
            row("decimal", "miete", "Miete je m²", "Rent per m²", constraint=". > 0"),
            row(
                "select_multiple angebote",
                "fehlt",
                "Was fehlt?",
                "What is missing?",
                constraint="count-selected(.) <= 2",
            ),
            row(
                "text",
                "fehlt_anderes",
                "Was sonst?",
                "What else?",
                relevant="selected(${fehlt}, 'anderes')",
                required="yes",
            ),
            row("date", "einzug", "Eingezogen am", "Moved in on", constraint=". <= today()"),
            row("time", "uhrzeit", "Uhrzeit", "Time"),
            row("rank angebote", "rangfolge", "Reihenfolge", "Order"),
            row("text", "kontakt", "Kontakt", "Contact", required="${alter} >= 18"),
            row("calculate", "monate", calculation="${alter} * 12"),
            row("note", "hinweis", "Danke, ${alter}!", "Thanks!"),
            row("integer", "kinder_zahl", "Wie viele Kinder?", "How many children?"),
            row("begin repeat", "kinder", "Kinder", "Children", repeat_count="${kinder_zahl}"),
            row(
                "integer",
                "kind_alter",
                "Alter des Kindes",
                "Age of the child",
                required="yes",
                constraint=". < ${alter}",
            ),
            row("end repeat", ""),
        ],
        survey_header=HEADER,
        choices=[
            ("schulform", "grundschule", "Grundschule"),
            ("schulform", "gymnasium", "Gymnasium"),
            ("angebote", "kita", "Kita"),
            ("angebote", "park", "Park"),
            ("angebote", "anderes", "Anderes"),
        ],
        settings={"form_title": "Test", "default_language": "Deutsch (de)"},
    ),
    "test.xlsx",
)
TODAY = dt.date(2026, 3, 15)


def check(answers, language=None):
    return validate_response(FORM, answers, language=language, today=TODAY)


def problems(answers, language=None):
    return [(p.question, p.code, p.message) for p in check(answers, language).problems]


def test_a_complete_valid_response_is_cleaned_and_typed():
    result = check(
        {
            "alter": "45",
            "miete": "8,50",
            "fehlt": "park kita",
            "einzug": "01.10.2020",
            "uhrzeit": "9:30",
            "rangfolge": ["park", "anderes", "kita"],
            "kontakt": " ada@example.org ",
            "kinder_zahl": 2,
            "kinder": [{"kind_alter": "12"}, {"kind_alter": 9}],
        }
    )

    assert result.ok, [str(p) for p in result.problems]
    assert result.answers == {
        "alter": 45,
        "miete": 8.5,
        "fehlt": ["kita", "park"],  # in the order of the choice list
        "einzug": dt.date(2020, 10, 1),
        "uhrzeit": "09:30",
        "rangfolge": ["park", "anderes", "kita"],
        "kontakt": "ada@example.org",
        "monate": 540,
        "kinder_zahl": 2,
        "kinder": [{"kind_alter": 12}, {"kind_alter": 9}],
    }


def test_required_questions():
    assert problems({"kontakt": "x"}) == [
        ("alter", "required", "Diese Frage muss beantwortet werden.")
    ]
    # required as an expression: contact only for adults
    assert ("kontakt", "required", "Diese Frage muss beantwortet werden.") in problems(
        {"alter": 30, "kinder_zahl": 0}
    )
    assert problems({"alter": 30, "kontakt": "x"}) == []


def test_skip_logic_drops_answers_to_questions_not_asked():
    adult = check({"alter": 30, "kontakt": "x", "schulform": "gymnasium", "fehlt_anderes": "x"})

    assert adult.ok
    assert "schulform" not in adult.answers  # group "schule" only below 20
    assert "fehlt_anderes" not in adult.answers  # "anderes" not selected

    pupil = check({"alter": 15})
    assert [(p.question, p.message) for p in pupil.problems] == [
        ("schulform", "Bitte die Schulform wählen.")  # the form's own message
    ]


def test_follow_up_question_when_its_condition_holds():
    assert problems({"alter": 30, "kontakt": "x", "fehlt": ["anderes"]}) == [
        ("fehlt_anderes", "required", "Diese Frage muss beantwortet werden.")
    ]


def test_constraints_with_the_forms_messages_in_the_chosen_language():
    assert problems({"alter": 130, "kontakt": "x"}) == [
        ("alter", "constraint", "Alter zwischen 0 und 120, nicht 130.")
    ]
    assert problems({"alter": 130, "kontakt": "x"}, language="English (en)") == [
        ("alter", "constraint", "Age 0 to 120.")
    ]
    assert problems({"alter": 30, "kontakt": "x", "fehlt": ["kita", "park", "anderes"]})[0][:2] == (
        "fehlt",
        "constraint",
    )
    # without a message of its own: the general German one
    assert problems({"alter": 30, "kontakt": "x", "einzug": "2030-01-01"}) == [
        ("einzug", "constraint", "Diese Antwort ist nicht zulässig.")
    ]
    # constraints are not checked on empty answers
    assert problems({"alter": 30, "kontakt": "x", "miete": ""}) == []


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    [
        ("alter", "vierzig", "Bitte eine ganze Zahl eingeben (z. B. 42)."),
        ("alter", 4.5, "Bitte eine ganze Zahl eingeben (z. B. 42)."),
        ("alter", True, "Bitte eine ganze Zahl eingeben (z. B. 42)."),
        ("alter", "99999999999", "Die Zahl ist zu groß."),
        ("alter", 10**400, "Die Zahl ist zu groß."),
        ("miete", 10**400, "Bitte eine Zahl eingeben (z. B. 3,5)."),
        ("miete", float("nan"), "Bitte eine Zahl eingeben (z. B. 3,5)."),
        ("miete", "8.50 €", "Bitte eine Zahl eingeben (z. B. 3,5)."),
        ("einzug", "31.02.2020", "Bitte ein Datum eingeben (TT.MM.JJJJ)."),
        ("uhrzeit", "25:00", "Bitte eine Uhrzeit eingeben (HH:MM)."),
        ("fehlt", ["kita", "kino"], "„kino“ ist keine Auswahlmöglichkeit dieser Frage."),
        (
            "rangfolge",
            ["park", "kita"],
            "Bitte alle Möglichkeiten in eine Reihenfolge bringen, jede genau einmal.",
        ),
        (
            "rangfolge",
            ["park", "kita", "kita"],
            "Bitte alle Möglichkeiten in eine Reihenfolge bringen, jede genau einmal.",
        ),
    ],
)
def test_answers_of_the_wrong_type(question, answer, message):
    answers = {"alter": 30, "kontakt": "x", question: answer}

    assert problems(answers) == [(question, "type", message)]


def test_answers_to_unknown_questions_are_refused():
    assert problems({"alter": 30, "kontakt": "x", "hacker": "1"}) == [
        ("hacker", "unknown_question", "Diese Frage gibt es im Fragebogen nicht.")
    ]


def test_repeats_are_checked_entry_by_entry_and_counted():
    result = check(
        {
            "alter": 30,
            "kontakt": "x",
            "kinder_zahl": 3,
            "kinder": [{"kind_alter": 40}, {}],
        }
    )

    assert [(p.question, p.code, p.instance) for p in result.problems] == [
        ("kinder", "repeat_count", None),
        ("kind_alter", "constraint", 1),  # a child cannot be older than the respondent
        ("kind_alter", "required", 2),
    ]
    assert result.problems[0].message == "Erwartet werden 3 Einträge, gegeben sind 2."
    assert str(result.problems[1]) == "kind_alter [1]: Diese Antwort ist nicht zulässig."


def test_calculations_and_piped_labels():
    result = check({"alter": 2, "schulform": "grundschule"})

    assert result.answers["monate"] == 24
    note = FORM.question("hinweis").label("Deutsch (de)")
    assert interpolate(note, result.answers) == "Danke, 2!"


ANSWER_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["ja", "park", "kita anderes", "01.02.2003", "12:30", "-0", "1e5"])
    | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
NAMES = st.sampled_from([question.name for question in FORM.questions()] + ["kinder", "unbekannt"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(NAMES, ANSWER_VALUES, max_size=8))
def test_any_answers_give_problems_never_an_exception(answers):
    result = validate_response(FORM, answers, today=TODAY)

    for problem in result.problems:
        assert problem.message
    for name in result.answers:
        assert name in answers or name == "monate" or name == "kinder"
