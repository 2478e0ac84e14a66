"""The whole questionnaire on one page, sent in one request (the lean submission path): the
answers are checked like on the paged form, a double submit stores one response, a flood is
refused, and nothing is stored while something is wrong."""

import datetime as dt

import pytest
from django.test import override_settings

from gemeinsinn.surveys.models import Draft, Response

pytestmark = pytest.mark.django_db

ANSWERS = {
    "q-wohndauer": "7",
    "q-zufriedenheit": "eher_zufrieden",
    "q-sicherheit_tag": "sehr_sicher",
    "q-sicherheit_nacht": "eher_sicher",
    "q-fehlt": ["gruen", "oepnv"],
    "q-altersgruppe": "45_64",
    "q-geschlecht": "maennlich",
    "q-haushalt_personen": "1",
}


def _form(client, survey):
    page = client.get(f"/umfragen/{survey.slug}/eine-seite/")
    assert page.status_code == 200
    return page.context["shown"], page.context["submission_key"]


def test_one_page_stores_one_response_without_draft_or_session(client, survey, areas):
    start = client.get(f"/umfragen/{survey.slug}/").content.decode()
    assert f"/umfragen/{survey.slug}/eine-seite/" in start
    shown, key = _form(client, survey)
    assert "zufriedenheit" in shown and "unzufrieden_grund" not in shown
    data = {"shown": shown, "submission_key": key, "area": areas[1].pk, **ANSWERS}
    done = client.post(f"/umfragen/{survey.slug}/eine-seite/", data)
    assert done.status_code == 302 and done["Location"].endswith("/danke/")
    again = client.post(f"/umfragen/{survey.slug}/eine-seite/", data)
    assert again["Location"].endswith("/danke/")
    stored = Response.objects.get()
    assert stored.area == areas[1] and stored.submission_key == key
    assert stored.answers["wohndauer"] == 7 and set(stored.answers["fehlt"]) == {"gruen", "oepnv"}
    assert not Draft.objects.exists()
    assert "surveys" not in client.session


def test_one_page_errors_keep_the_answers_and_store_nothing(client, survey, areas):
    shown, key = _form(client, survey)
    data = {**ANSWERS, "q-wohndauer": "200", "q-zufriedenheit": ""}
    response = client.post(
        f"/umfragen/{survey.slug}/eine-seite/",
        {"shown": shown, "submission_key": key, "area": areas[0].pk, **data},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Bitte eine Zahl zwischen 0 und 110 eingeben." in text
    assert "Bitte wählen Sie eine Antwort aus." in text
    assert 'value="200"' in text and f'value="{key}"' in text
    no_area = client.post(
        f"/umfragen/{survey.slug}/eine-seite/", {"shown": shown, "submission_key": key, **ANSWERS}
    )
    assert no_area.status_code == 400
    assert "Bitte wählen Sie Ihren Stadtteil aus der Liste." in no_area.content.decode()
    both = client.post(
        f"/umfragen/{survey.slug}/eine-seite/", {"shown": shown, "submission_key": key, **data}
    ).content.decode()
    assert "Bitte wählen Sie Ihren Stadtteil aus der Liste." in both
    assert "Bitte eine Zahl zwischen 0 und 110 eingeben." in both
    assert "Bitte wählen Sie eine Antwort aus." in both
    assert not Response.objects.exists()


def test_one_page_asks_the_follow_up_question_before_storing(client, survey, areas):
    shown, key = _form(client, survey)
    data = {**ANSWERS, "q-zufriedenheit": "sehr_unzufrieden"}
    response = client.post(
        f"/umfragen/{survey.slug}/eine-seite/",
        {"shown": shown, "submission_key": key, "area": areas[0].pk, **data},
    )
    assert response.status_code == 200
    assert "Was stört Sie am meisten?" in response.content.decode()
    assert "unzufrieden_grund" in response.context["shown"]
    assert not Response.objects.exists()


@override_settings(SURVEYS_SUBMIT_LIMIT=1)
def test_one_page_flood_is_refused_and_the_first_response_kept(client, survey, areas):
    for expected in (302, 429):
        shown, key = _form(client, survey)
        response = client.post(
            f"/umfragen/{survey.slug}/eine-seite/",
            {"shown": shown, "submission_key": key, "area": areas[0].pk, **ANSWERS},
        )
        assert response.status_code == expected
    assert "zu viele Antworten" in response.content.decode()
    assert Response.objects.count() == 1


@override_settings(SURVEYS_SUBMIT_LIMIT=1)
def test_one_page_form_sent_again_after_the_flood_limit_is_thanked_not_stored(
    client, survey, areas
):
    shown, key = _form(client, survey)
    data = {"shown": shown, "submission_key": key, "area": areas[0].pk, **ANSWERS}
    for _attempt in range(2):  # the second time the limit is reached, but the form is known
        response = client.post(f"/umfragen/{survey.slug}/eine-seite/", data)
        assert response.status_code == 302 and response["Location"].endswith("/danke/")
    assert Response.objects.count() == 1


def test_one_page_sees_a_closed_survey_at_once(client, survey, areas):
    shown, key = _form(client, survey)  # the survey is now kept by this process
    survey.closes_on = dt.date(2020, 1, 1)
    survey.save()
    response = client.post(
        f"/umfragen/{survey.slug}/eine-seite/",
        {"shown": shown, "submission_key": key, "area": areas[0].pk, **ANSWERS},
    )
    assert response.status_code == 302 and response["Location"] == f"/umfragen/{survey.slug}/"
    assert not Response.objects.exists()


def test_invitation_survey_has_no_one_page_form(client, invitation_survey):
    response = client.get(f"/umfragen/{invitation_survey.slug}/eine-seite/")
    assert response.status_code == 302 and response["Location"] == (
        f"/umfragen/{invitation_survey.slug}/"
    )
