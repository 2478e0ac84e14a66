"""The survey pages as a respondent and as staff use them, without JavaScript."""

import pytest
from django.test import override_settings

from gemeinsinn.surveys import services
from gemeinsinn.surveys.models import Draft, InvitationCode, PaperEntry, Response

pytestmark = pytest.mark.django_db


def _post_page(client, survey, number, data, action="next"):
    response = client.get(f"/umfragen/{survey.slug}/seite/{number}/")
    shown = response.context["shown"]
    return client.post(
        f"/umfragen/{survey.slug}/seite/{number}/", {"shown": shown, "action": action, **data}
    )


def _answer_demo(client, survey, area):
    response = client.post(f"/umfragen/{survey.slug}/", {"area": area.pk})
    assert response.status_code == 302
    pages = [
        {},
        {"q-wohndauer": "7", "q-zufriedenheit": "eher_zufrieden"},
        {"q-sicherheit_tag": "sehr_sicher", "q-sicherheit_nacht": "eher_sicher"},
        {"q-fehlt": ["gruen", "oepnv"]},
        {"q-altersgruppe": "45_64", "q-geschlecht": "maennlich", "q-haushalt_personen": "1"},
        {"q-anmerkungen": "Mehr Bänke im Park."},
    ]
    for number, data in enumerate(pages, 1):
        response = _post_page(client, survey, number, data)
        assert response.status_code == 302, (number, response.content.decode()[:3000])
    return response


def test_survey_list_and_start_page(client, survey):
    page = client.get("/umfragen/")
    assert survey.title in page.content.decode()
    start = client.get(f"/umfragen/{survey.slug}/")
    text = start.content.decode()
    assert "In welchem Gebiet (Sozialraum) wohnen Sie?" in text
    assert "Mühlenweg" in text


def test_whole_survey_online_with_progress_and_submission(client, survey, areas):
    client.get(f"/umfragen/{survey.slug}/")
    client.post(f"/umfragen/{survey.slug}/", {"area": areas[2].pk})
    page = client.get(f"/umfragen/{survey.slug}/seite/2/")
    assert "Seite 2 von 6" in page.content.decode()
    response = _answer_demo(client, survey, areas[2])
    assert response["Location"].endswith("/absenden/")
    summary = client.get(response["Location"])
    assert "Mehr Bänke im Park." in summary.content.decode()
    key = summary.context["draft"].submission_key
    done = client.post(f"/umfragen/{survey.slug}/absenden/", {"submission_key": key})
    assert done.status_code == 302 and done["Location"].endswith("/danke/")
    again = client.post(f"/umfragen/{survey.slug}/absenden/", {"submission_key": key})
    assert again["Location"].endswith("/danke/")
    stored = Response.objects.get()
    assert stored.area == areas[2]
    assert stored.answers["fehlt"] == ["oepnv", "gruen"] or set(stored.answers["fehlt"]) == {
        "gruen",
        "oepnv",
    }
    assert not Draft.objects.exists()


def test_page_shows_german_errors_and_keeps_answers(client, survey, areas):
    client.post(f"/umfragen/{survey.slug}/", {"area": areas[0].pk})
    response = _post_page(client, survey, 2, {"q-wohndauer": "200"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Bitte eine Zahl zwischen 0 und 110 eingeben." in text
    assert "Bitte wählen Sie eine Antwort aus." in text
    assert 'value="200"' in text


def test_skip_logic_shows_the_follow_up_question_on_the_same_page(client, survey, areas):
    client.post(f"/umfragen/{survey.slug}/", {"area": areas[0].pk})
    first = client.get(f"/umfragen/{survey.slug}/seite/2/")
    assert "Was stört Sie am meisten?" not in first.content.decode()
    response = _post_page(
        client, survey, 2, {"q-wohndauer": "3", "q-zufriedenheit": "sehr_unzufrieden"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Was stört Sie am meisten?" in text
    assert "weitere Frage" in text


def test_english_labels_follow_the_page_language(client, survey, areas):
    client.post(f"/umfragen/{survey.slug}/", {"area": areas[0].pk})
    page = client.get(f"/umfragen/{survey.slug}/seite/2/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Overall, how satisfied are you" in page.content.decode()


def test_save_and_resume_later(client, survey, areas):
    client.post(f"/umfragen/{survey.slug}/", {"area": areas[0].pk})
    saved = _post_page(client, survey, 2, {"q-wohndauer": "9"}, action="save")
    assert "Ihre Antworten sind gespeichert." in saved.content.decode()
    resume_url = saved.context["resume_url"]
    other = client.__class__()
    response = other.get(resume_url)
    assert response.status_code == 302
    page = other.get(f"/umfragen/{survey.slug}/seite/2/")
    assert 'value="9"' in page.content.decode()


def test_invitation_code_page(client, invitation_survey):
    code = services.generate_codes(invitation_survey, 1)[0]
    wrong = client.post(f"/umfragen/{invitation_survey.slug}/", {"code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 404
    assert "Diesen Code kennen wir nicht" in wrong.content.decode()
    right = client.post(
        f"/umfragen/{invitation_survey.slug}/", {"code": services.format_code(code.code)}
    )
    assert right.status_code == 302
    code.used = True
    code.save()
    used = client.__class__().post(f"/umfragen/{invitation_survey.slug}/", {"code": code.code})
    assert used.status_code == 409
    assert "bereits geantwortet" in used.content.decode()


@override_settings(SURVEYS_SUBMIT_LIMIT=1)
def test_flood_gets_429_with_a_clear_message(client, survey, areas):
    _answer_demo(client, survey, areas[0])
    summary = client.get(f"/umfragen/{survey.slug}/absenden/")
    client.post(
        f"/umfragen/{survey.slug}/absenden/",
        {"submission_key": summary.context["draft"].submission_key},
    )
    _answer_demo(client, survey, areas[0])
    summary = client.get(f"/umfragen/{survey.slug}/absenden/")
    refused = client.post(
        f"/umfragen/{survey.slug}/absenden/",
        {"submission_key": summary.context["draft"].submission_key},
    )
    assert refused.status_code == 429
    assert "zu viele Antworten" in refused.content.decode()
    assert Response.objects.count() == 1


# --- staff -----------------------------------------------------------------------------------


def test_staff_pages_need_a_login(client, survey):
    response = client.get("/verwaltung/umfragen/")
    assert response.status_code == 302


def test_upload_shows_problems_and_creates_nothing(staff_client, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.surveys.test_services import _broken_form

    upload = SimpleUploadedFile("kaputt.xlsx", _broken_form())
    response = staff_client.post("/verwaltung/umfragen/", {"form": upload, "access": "open"})
    assert response.status_code == 400
    assert "Blatt" in response.content.decode()
    assert "nichts wurde gespeichert" in response.content.decode()


def test_upload_creates_the_survey(staff_client, city, demo_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("umfrage.xlsx", demo_bytes)
    response = staff_client.post("/verwaltung/umfragen/", {"form": upload, "access": "invitation"})
    assert response.status_code == 302
    detail = staff_client.get(response["Location"])
    assert "umfrage.xlsx" in detail.content.decode()


def test_codes_and_letters(staff_client, invitation_survey):
    response = staff_client.post(
        f"/verwaltung/umfragen/{invitation_survey.slug}/codes/",
        {"count": "12", "distribution": "equal"},
    )
    assert response.status_code == 302
    assert InvitationCode.objects.count() == 12
    letters = staff_client.get(f"/verwaltung/umfragen/{invitation_survey.slug}/briefe/")
    code = InvitationCode.objects.first()
    assert services.format_code(code.code) in letters.content.decode()


def test_paper_entry_by_number_and_check(staff_client, survey, areas):
    batch = services.create_batch(survey, "Markt")
    url = f"/verwaltung/umfragen/{survey.slug}/papier/{batch.pk}/"
    typed = {
        "area": areas[0].key,
        "p-zufriedenheit": "2",
        "p-sicherheit_tag": "1",
        "p-sicherheit_nacht": "2",
        "p-fehlt": "1 6",
        "p-altersgruppe": "5",
    }
    first = staff_client.post(url, {"number": "1", "entry_pass": "1", **typed})
    assert first.status_code == 302 and "bogen=2" in first["Location"]
    second = staff_client.post(
        url, {"number": "1", "entry_pass": "2", **typed, "p-zufriedenheit": "3"}
    )
    assert second.status_code == 302
    assert PaperEntry.objects.get(number=1, entry_pass=1).answers["fehlt"] == [
        "spielplaetze",
        "gruen",
    ]
    check = staff_client.get(url + "pruefung/")
    assert "Abweichungen" in check.content.decode()
    wrong = staff_client.post(url, {"number": "2", "entry_pass": "1", **typed, "p-wohndauer": "x"})
    assert wrong.status_code == 400


def test_results_page_and_exports(staff_client, survey, areas, good_answers):
    for _number in range(6):
        services.submit_response(survey, good_answers, area=areas[0])
    page = staff_client.get(f"/verwaltung/umfragen/{survey.slug}/ergebnisse/?nach=area")
    text = page.content.decode()
    assert "eher zufrieden" in text and "100,0 %" in text or "100.0 %" in text
    assert "Mühlenweg" in text  # listed, but suppressed
    csv = staff_client.get(f"/verwaltung/umfragen/{survey.slug}/antworten.csv")
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("antwort_nr;gebiet_schluessel")
    assert "fehlt_spielplaetze" in body.splitlines()[0]
    codebook = staff_client.get(f"/verwaltung/umfragen/{survey.slug}/codebuch.csv")
    assert "zufriedenheit;;;1;sehr zufrieden" in codebook.content.decode("utf-8-sig")
    xlsx = staff_client.get(f"/verwaltung/umfragen/{survey.slug}/antworten.xlsx")
    assert xlsx.content[:2] == b"PK"


def test_district_profile_lists_surveys_and_shows_the_survey_indicator(
    client, city_with_statistics, demo_bytes
):
    from gemeinsinn.areas.models import Area

    survey = services.import_survey(demo_bytes, "umfrage.xlsx")
    markt = Area.objects.get(level=city_with_statistics["sozialraum"], key="0101")
    from tests.surveys.conftest import GOOD

    for _number in range(25):
        services.submit_response(survey, GOOD, area=markt)
    services.question_to_indicator(
        survey,
        "zufriedenheit",
        ["sehr_zufrieden", "eher_zufrieden"],
        code="umfrage_zufrieden",
        name="Zufrieden mit dem Stadtteil",
    )
    page = client.get("/gebiete/sozialraum/0101/")
    text = page.content.decode()
    assert "Umfragen" in text and survey.title in text and "25 Antworten" in text
    assert "Zufrieden mit dem Stadtteil" in text
    other = client.get("/gebiete/sozialraum/0102/")
    assert "noch keine Antworten auf Umfragen" in other.content.decode()


def test_area_chosen_on_the_map(client, survey, areas):
    page = client.get(f"/umfragen/{survey.slug}/").content.decode()
    link = f'href="/umfragen/{survey.slug}/?gebiet={areas[1].key}#id_area"'
    assert "Oder das Gebiet auf der Karte wählen" in page and link in page
    assert page.count("<a href=") >= len(areas)
    chosen = client.get(f"/umfragen/{survey.slug}/?gebiet={areas[1].key}").content.decode()
    assert f'<option value="{areas[1].pk}" selected>' in chosen
    assert f'aria-label="{areas[1].name}: gewählt"' in chosen


def test_privacy_page_says_what_surveys_keep(client, city):
    from django.urls import reverse

    text = client.get(reverse("accounts:privacy")).content.decode()
    assert "ohne Verbindung zu Ihrem Konto oder Einladungscode" in text
    assert "Nicht abgeschickte Antworten werden 90 Tage nach der letzten Änderung gelöscht." in text
