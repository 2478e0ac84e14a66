"""Editing a survey in the staff area: settings, and a corrected form that must still fit the
answers already given; on any problem nothing is changed."""

import datetime as dt
import io

import pytest

from gemeinsinn.formats.problems import InputError
from gemeinsinn.formats.xlsform.demo_form import demo_workbook
from gemeinsinn.surveys import services
from gemeinsinn.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


def _variant(sheet_name: str, name: str, column: int, value: str) -> bytes:
    """The demo form with one cell changed: in the row whose ``name`` (column B) is ``name``."""
    workbook = demo_workbook()
    sheet = workbook[sheet_name]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == name:
            row[column].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _settings(survey, **changes):
    values = {
        "title": survey.title,
        "access": survey.access,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
    }
    return {**values, **changes}


def test_settings_are_changed(survey):
    services.update_survey(
        survey,
        **_settings(
            survey,
            title="Bürgerumfrage 2027",
            access="invitation",
            opens_on=dt.date(2027, 3, 1),
            closes_on=dt.date(2027, 4, 30),
        ),
    )
    stored = Survey.objects.get(pk=survey.pk)
    assert stored.title == "Bürgerumfrage 2027" and stored.access == "invitation"
    assert stored.closes_on == dt.date(2027, 4, 30)


def test_corrected_texts_replace_the_form_after_answers(survey, areas, good_answers):
    services.submit_response(survey, good_answers, area=areas[0])
    corrected = _variant("survey", "zufriedenheit", 2, "Wie zufrieden sind Sie mit Ihrem Viertel?")
    services.update_survey(survey, **_settings(survey), data=corrected, filename="umfrage_v2.xlsx")
    stored = Survey.objects.get(pk=survey.pk)
    assert stored.file_name == "umfrage_v2.xlsx"
    assert stored.form.question("zufriedenheit").label() == (
        "Wie zufrieden sind Sie mit Ihrem Viertel?"
    )
    assert services.results(stored, "zufriedenheit").total.respondents == 1


@pytest.mark.parametrize(
    ("sheet", "name", "column", "value", "message"),
    [
        ("survey", "wohndauer", 1, "jahre", "Die Frage „wohndauer“ fehlt im neuen Fragebogen"),
        ("survey", "wohndauer", 0, "decimal", "hat einen anderen Typ (integer → decimal)"),
        ("choices", "teils", 1, "mittel", "fehlen die Antwortmöglichkeiten teils"),
    ],
)
def test_form_that_no_longer_fits_the_answers_is_refused(
    survey, areas, good_answers, sheet, name, column, value, message
):
    services.submit_response(survey, good_answers, area=areas[0])
    before = Survey.objects.get(pk=survey.pk)
    with pytest.raises(InputError) as error:
        services.update_survey(
            survey,
            **_settings(survey, title="Neu"),
            data=_variant(sheet, name, column, value),
            filename="v2.xlsx",
        )
    assert any(message in p.message and p.file == "v2.xlsx" for p in error.value.problems)
    after = Survey.objects.get(pk=survey.pk)
    assert (after.title, after.checksum, after.definition) == (
        before.title,
        before.checksum,
        before.definition,
    )
    assert Response.objects.count() == 1


def test_without_answers_any_valid_form_may_replace_it(survey):
    services.update_survey(
        survey, **_settings(survey), data=_variant("survey", "wohndauer", 1, "jahre"),
        filename="v2.xlsx",
    )  # fmt: skip
    assert "jahre" in {q.name for q in Survey.objects.get(pk=survey.pk).form.questions()}


def test_bad_settings_and_a_malformed_form_change_nothing(survey):
    from tests.surveys.test_services import _broken_form

    with pytest.raises(InputError, match="Titel"):
        services.update_survey(survey, **_settings(survey, title="  "))
    with pytest.raises(InputError, match="Ende der Befragung"):
        services.update_survey(
            survey, **_settings(survey, opens_on=dt.date(2027, 5, 1), closes_on=dt.date(2027, 4, 1))
        )
    with pytest.raises(InputError) as error:
        services.update_survey(survey, **_settings(survey), data=_broken_form(), filename="k.xlsx")
    assert any("Blatt" in str(p) or p.line for p in error.value.problems)
    assert Survey.objects.get(pk=survey.pk).file_name == "buergerumfrage.xlsx"


def test_edit_page(staff_client, survey):
    url = f"/verwaltung/umfragen/{survey.slug}/bearbeiten/"
    page = staff_client.get(url)
    assert (
        page.status_code == 200 and 'value="Bürgerumfrage Lebensqualität' in page.content.decode()
    )
    wrong = staff_client.post(url, {"title": "X", "access": "open", "closes_on": "31.13.2027"})
    assert wrong.status_code == 400
    assert "Datum bitte als TT.MM.JJJJ angeben." in wrong.content.decode()
    assert Survey.objects.get(pk=survey.pk).title != "X"
    done = staff_client.post(
        url, {"title": "Neuer Titel", "access": "open", "opens_on": "", "closes_on": "31.12.2027"}
    )
    assert done.status_code == 302
    stored = Survey.objects.get(pk=survey.pk)
    assert stored.title == "Neuer Titel" and stored.closes_on == dt.date(2027, 12, 31)
