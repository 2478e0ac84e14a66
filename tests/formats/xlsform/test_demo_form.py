"""The demo survey written by code is a valid form for pyxform and gemeinsinn."""

import datetime as dt

from gemeinsinn.formats.xlsform import check_xlsform, validate_response
from gemeinsinn.formats.xlsform.demo_form import TITLE, demo_form_bytes, write_demo_form


def test_demo_form_passes_the_check_without_any_problem(tmp_path):
    path = write_demo_form(tmp_path / "buergerumfrage.xlsx")

    check = check_xlsform(path.read_bytes(), path.name)

    assert check.ok
    assert check.problems == []
    survey = check.survey
    assert survey.title == TITLE == "Bürgerumfrage Lebensqualität im Stadtteil"
    assert survey.languages == ("Deutsch (de)", "English (en)")
    assert survey.default_language == "Deutsch (de)"
    assert survey.counts_by_type() == {
        "select_one": 5,
        "integer": 3,
        "text": 3,
        "note": 2,
        "select_multiple": 2,
    }
    assert [q.name for q in survey.questions() if q.is_likert] == [
        "zufriedenheit",
        "sicherheit_tag",
        "sicherheit_nacht",
    ]
    assert survey.question("zufriedenheit").label("English (en)") == (
        "Overall, how satisfied are you with your district as a place to live?"
    )


def test_demo_form_skip_logic():
    survey = check_xlsform(demo_form_bytes(), "demo.xlsx").survey
    answers = {
        "wohndauer": "12",
        "zufriedenheit": "eher_unzufrieden",
        "unzufrieden_grund": "Zu wenig Grün",
        "sicherheit_tag": "eher_sicher",
        "sicherheit_nacht": "sehr_sicher",
        "unsichere_orte": ["parks"],  # not asked: safe at night
        "fehlt": ["gruen", "oepnv"],
        "altersgruppe": "65_79",
        "geschlecht": "weiblich",
        "haushalt_personen": 1,
        "haushalt_kinder": 0,  # not asked: one-person household
    }

    result = validate_response(survey, answers, today=dt.date(2026, 5, 1))

    assert result.ok, [str(p) for p in result.problems]
    assert "unsichere_orte" not in result.answers
    assert "haushalt_kinder" not in result.answers
    assert result.answers["unzufrieden_grund"] == "Zu wenig Grün"

    too_many = validate_response(
        survey,
        {
            **answers,
            "fehlt": ["gruen", "oepnv", "kita", "nichts"],
            "haushalt_personen": 3,
            "haushalt_kinder": 3,
        },
        language="English (en)",
    )
    assert [(p.question, p.message) for p in too_many.problems] == [
        ("fehlt", "Please choose at most three – or only “Nothing is missing”."),
        (
            "haushalt_kinder",
            "There cannot be more children than people in the household (including you: 3).",
        ),
    ]
