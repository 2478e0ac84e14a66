"""Survey use cases, and every bad input a respondent, a survey team or a flood can cause:
a clear German message and nothing stored or changed."""

import io

import openpyxl
import pytest
from django.test import override_settings

from gemeinsinn.formats.problems import InputError
from gemeinsinn.surveys import services
from gemeinsinn.surveys.models import (
    PAPER,
    Draft,
    InvitationCode,
    PaperEntry,
    Response,
    Survey,
)
from gemeinsinn.surveys.services import SurveyError

pytestmark = pytest.mark.django_db


def _broken_form() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    sheet.append(["select_one farben", "farbe", "Welche Farbe?"])  # list does not exist
    sheet.append(["integer", "alter", "Alter", ""])
    sheet.append(["begin group", "g", "Gruppe"])  # never closed
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import ----------------------------------------------------------------------------------


def test_import_stores_the_definition_file_name_and_checksum(survey, city):
    assert survey.title == "Bürgerumfrage Lebensqualität im Stadtteil"
    assert survey.file_name == "buergerumfrage.xlsx"
    assert len(survey.checksum) == 64
    assert survey.languages == ["Deutsch (de)", "English (en)"]
    assert survey.area_level == city["sozialraum"]
    assert survey.form.question("zufriedenheit").is_likert
    assert survey.slug == "buergerumfrage-lebensqualitaet"


def test_malformed_form_gives_german_problems_with_place_and_stores_nothing(city):
    with pytest.raises(InputError) as raised:
        services.import_survey(_broken_form(), "kaputt.xlsx")
    texts = [str(p) for p in raised.value.problems]
    assert any("Zeile" in t and "Blatt" in t for t in texts), texts
    assert Survey.objects.count() == 0


def test_not_a_spreadsheet_is_refused(city):
    with pytest.raises(InputError):
        services.import_survey(b"hello world", "form.xlsx")
    assert Survey.objects.count() == 0


def test_pages_one_per_group(survey):
    pages = services.pages(survey.form)
    assert len(pages) == 6
    assert pages[1].group.name == "wohnen"
    assert [q.name for q in pages[3].questions()] == ["fehlt", "fehlt_sonstiges"]


# --- answering -------------------------------------------------------------------------------


def test_submit_stores_cleaned_answers_in_the_chosen_area(survey, areas, good_answers):
    response = services.submit_response(survey, good_answers, area=areas[0], submission_key="k1")
    assert response.area == areas[0]
    assert response.answers["wohndauer"] == 12
    assert response.answers["fehlt"] == ["spielplaetze", "gruen"]


def test_answer_violating_a_constraint_is_refused(survey, areas, good_answers):
    good_answers["fehlt"] = ["spielplaetze", "gruen", "kita", "aerzte"]  # at most three
    with pytest.raises(SurveyError) as raised:
        services.submit_response(survey, good_answers, area=areas[0])
    assert "höchstens drei" in raised.value.by_question()["fehlt"][0]
    assert Response.objects.count() == 0


def test_constraint_message_in_english(survey, areas, good_answers):
    good_answers["haushalt_kinder"] = "5"
    with pytest.raises(SurveyError) as raised:
        services.submit_response(survey, good_answers, area=areas[0], language="English (en)")
    assert raised.value.by_question()["haushalt_kinder"][0].startswith("There cannot be")


def test_skipped_required_question_is_refused(survey, areas, good_answers):
    del good_answers["zufriedenheit"]
    with pytest.raises(SurveyError) as raised:
        services.submit_response(survey, good_answers, area=areas[0])
    assert raised.value.by_question()["zufriedenheit"] == ["Bitte wählen Sie eine Antwort aus."]
    assert Response.objects.count() == 0


def test_answer_to_a_skipped_question_is_dropped(survey, areas, good_answers):
    good_answers["unzufrieden_grund"] = "Lärm"  # only asked when dissatisfied
    response = services.submit_response(survey, good_answers, area=areas[0])
    assert "unzufrieden_grund" not in response.answers


def test_area_must_be_chosen(survey, good_answers, city):
    from gemeinsinn.areas.models import Area

    with pytest.raises(SurveyError):
        services.submit_response(survey, good_answers, area=None)
    stadtteil = Area.objects.filter(level=city["stadtteil"]).first()
    with pytest.raises(SurveyError):
        services.submit_response(survey, good_answers, area=stadtteil)
    assert Response.objects.count() == 0


def test_double_submit_of_the_same_form_creates_one_response(survey, areas, good_answers):
    draft = services.start(survey, area=areas[1])
    services.save_draft(draft, good_answers)
    first = services.submit_draft(draft, submission_key=draft.submission_key)
    second = services.submit_response(
        survey, good_answers, area=areas[1], submission_key=draft.submission_key
    )
    assert first.pk == second.pk
    assert Response.objects.count() == 1
    assert not Draft.objects.exists()


def test_closed_survey_refuses_answers(survey, areas, good_answers):
    import datetime as dt

    survey.closes_on = dt.date(2020, 1, 1)
    survey.save()
    with pytest.raises(SurveyError) as raised:
        services.submit_response(survey, good_answers, area=areas[0])
    assert raised.value.status == 409


@override_settings(SURVEYS_SUBMIT_LIMIT=3)
def test_flood_from_one_client_is_throttled_with_a_clear_message(survey, areas, good_answers):
    for number in range(3):
        services.submit_response(
            survey, good_answers, area=areas[0], client="10.0.0.7", submission_key=f"k{number}"
        )
    with pytest.raises(SurveyError) as raised:
        services.submit_response(
            survey, good_answers, area=areas[0], client="10.0.0.7", submission_key="k9"
        )
    assert raised.value.status == 429
    assert "zu viele Antworten" in raised.value.messages[0]
    assert "Minuten noch einmal" in raised.value.messages[0]
    assert Response.objects.count() == 3
    # another client is not affected
    services.submit_response(survey, good_answers, area=areas[0], client="10.0.0.8")
    assert Response.objects.count() == 4


@pytest.mark.django_db(transaction=True)  # autocommit, as in the server
@override_settings(SURVEYS_SUBMIT_LIMIT=2)
def test_a_form_sent_twice_counts_once_towards_the_flood_limit(
    survey, areas, good_answers, monkeypatch
):
    def no_transaction(*args):
        raise AssertionError("a public submission is one INSERT that commits by itself")

    monkeypatch.setattr(services, "_store_in_transaction", no_transaction)
    first = services.submit_response(
        survey, good_answers, area=areas[0], client="10.0.0.9", submission_key="doppelt"
    )
    again = services.submit_response(
        survey, good_answers, area=areas[0], client="10.0.0.9", submission_key="doppelt"
    )
    assert again.pk == first.pk and Response.objects.count() == 1
    services.submit_response(  # the second of two allowed: the double click did not count
        survey, good_answers, area=areas[0], client="10.0.0.9", submission_key="zweiter"
    )
    assert Response.objects.count() == 2


def test_saved_draft_keeps_unfinished_answers(survey, areas):
    draft = services.start(survey, area=areas[0], language="Deutsch (de)")
    services.save_draft(draft, {"wohndauer": "4", "unbekannt": "x"})
    services.save_draft(draft, {"zufriedenheit": "teils"})
    draft.refresh_from_db()
    assert draft.answers == {"wohndauer": "4", "zufriedenheit": "teils"}


def test_abandoned_drafts_are_deleted_after_90_days(survey, areas):
    import datetime as dt

    from django.utils import timezone

    from gemeinsinn.surveys.models import Draft

    old = services.start(survey, area=areas[0])
    services.save_draft(old, {"wohndauer": "4"})
    recent = services.start(survey, area=areas[1])
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=91))
    Draft.objects.filter(pk=recent.pk).update(updated_at=timezone.now() - dt.timedelta(days=89))
    services.start(survey, area=areas[2])
    assert set(Draft.objects.values_list("area_id", flat=True)) == {areas[1].pk, areas[2].pk}


# --- invitation codes ------------------------------------------------------------------------


def test_codes_are_spread_over_areas_by_population(invitation_survey, areas):
    for area, population in zip(areas, (1200, 900, 1500, 250), strict=True):
        area.population = population
        area.save()
    codes = services.generate_codes(invitation_survey, 100)
    assert len(codes) == 100 == len({c.code for c in codes})
    per_area = {a.pk: 0 for a in areas}
    for code in codes:
        per_area[code.area_id] += 1
    # populations 1200, 900, 1500, 250 (3 850)
    assert per_area[areas[2].pk] > per_area[areas[0].pk] > per_area[areas[1].pk]
    assert per_area[areas[3].pk] in (6, 7)
    assert all(set(c.code) <= set(services.CODE_ALPHABET) for c in codes)


def test_code_gives_the_area_and_leaves_no_link_after_submission(invitation_survey, good_answers):
    code = services.generate_codes(invitation_survey, 5)[0]
    found = services.redeem_code(invitation_survey, services.format_code(code.code).lower())
    assert found == code
    draft = services.start(invitation_survey, code=found)
    services.save_draft(draft, good_answers)
    response = services.submit_draft(draft, submission_key=draft.submission_key)
    assert response.area_id == code.area_id
    code.refresh_from_db()
    assert code.used
    # nothing connects the response with the code (or an account)
    field_names = {f.name for f in Response._meta.get_fields()}
    assert not field_names & {"code", "invitation", "user", "draft", "account"}
    assert not any(
        getattr(f, "related_model", None) in (InvitationCode, Draft)
        for f in Response._meta.get_fields()
    )
    assert not Draft.objects.exists()
    code_fields = {f.name for f in InvitationCode._meta.get_fields()}
    assert not code_fields & {"used_at", "response", "responses"}


def test_second_response_with_a_used_code_is_refused(invitation_survey, good_answers):
    code = services.generate_codes(invitation_survey, 1)[0]
    services.submit_response(invitation_survey, good_answers, code=code)
    with pytest.raises(SurveyError) as raised:
        services.redeem_code(invitation_survey, code.code)
    assert raised.value.status == 409
    assert "bereits geantwortet" in raised.value.messages[0]
    with pytest.raises(SurveyError):
        services.submit_response(invitation_survey, good_answers, code=code)
    assert Response.objects.count() == 1


def test_invitation_survey_needs_a_code(invitation_survey, areas, good_answers):
    with pytest.raises(SurveyError):
        services.submit_response(invitation_survey, good_answers, area=areas[0])
    with pytest.raises(SurveyError):
        services.start(invitation_survey, area=areas[0])


@override_settings(SURVEYS_CODE_ATTEMPTS=3)
def test_guessing_codes_is_throttled(invitation_survey):
    services.generate_codes(invitation_survey, 2)
    for _attempt in range(3):
        with pytest.raises(SurveyError) as raised:
            services.redeem_code(invitation_survey, "AAAA-AAAA", client="1.2.3.4")
        assert raised.value.status == 404
    with pytest.raises(SurveyError) as raised:
        services.redeem_code(invitation_survey, "AAAA-AAAA", client="1.2.3.4")
    assert raised.value.status == 429


# --- paper -----------------------------------------------------------------------------------


def test_paper_double_entry_shows_disagreements_and_takes_only_agreed(survey, areas, good_answers):
    batch = services.create_batch(survey, "Wochenmarkt 12. Mai")
    services.enter_paper(batch, 1, 1, areas[0], good_answers)
    services.enter_paper(batch, 1, 2, areas[0], good_answers)
    other = dict(good_answers, zufriedenheit="teils")
    services.enter_paper(batch, 2, 1, areas[1], good_answers)
    services.enter_paper(batch, 2, 2, areas[1], other)
    services.enter_paper(batch, 3, 1, areas[2], good_answers)
    check = services.check_batch(batch)
    assert check.agreed == [1]
    assert check.single == [3]
    assert [(d.number, d.question, d.first, d.second) for d in check.disagreements] == [
        (2, "zufriedenheit", "eher_zufrieden", "teils")
    ]
    assert services.accept_batch(batch) == 1
    response = Response.objects.get()
    assert response.channel == PAPER and response.paper_batch == batch
    assert response.questionnaire_number == 1
    # the second typing is corrected: now number 2 agrees as well
    services.enter_paper(batch, 2, 2, areas[1], good_answers)
    assert services.accept_batch(batch) == 1
    assert Response.objects.count() == 2
    assert services.check_batch(batch).accepted == [1, 2]
    with pytest.raises(SurveyError):
        services.enter_paper(batch, 1, 1, areas[0], good_answers)  # already a response


def test_paper_typing_error_is_refused_at_once(survey, areas, good_answers):
    batch = services.create_batch(survey, "Seniorentreff")
    with pytest.raises(SurveyError) as raised:
        services.enter_paper(batch, 1, 1, areas[0], dict(good_answers, wohndauer="zwölf"))
    assert "ganze Zahl" in raised.value.by_question()["wohndauer"][0]
    assert not PaperEntry.objects.exists()


def test_paper_entries_breaking_rules_are_shown_as_invalid(survey, areas, good_answers):
    batch = services.create_batch(survey, "Seniorentreff")
    broken = dict(good_answers)
    del broken["zufriedenheit"]
    services.enter_paper(batch, 7, 1, areas[0], broken)
    services.enter_paper(batch, 7, 2, areas[0], broken)
    check = services.check_batch(batch)
    assert 7 in check.invalid and not check.agreed
    assert services.accept_batch(batch) == 0


# --- results and indicators --------------------------------------------------------------------


def _answers(satisfaction: str, age: str = "30_44") -> dict:
    from tests.surveys.conftest import GOOD

    return dict(GOOD, zufriedenheit=satisfaction, altersgruppe=age)


def _fill(survey, area, values, age="30_44"):
    for value in values:
        services.submit_response(survey, _answers(value, age), area=area)


def test_results_count_and_share_and_suppress_groups_below_five(survey, areas):
    _fill(survey, areas[0], ["sehr_zufrieden"] * 6 + ["teils"] * 4)
    _fill(survey, areas[1], ["eher_unzufrieden"] * 4)  # only four: no breakdown
    result = services.results(survey, "zufriedenheit", by="area")
    assert result.total.respondents == 14
    assert result.options[0] == ("sehr_zufrieden", "sehr zufrieden")
    assert result.total.cells[0].count == 6
    assert round(result.total.cells[0].share, 1) == round(600 / 14, 1)
    groups = {g.label: g for g in result.groups}
    assert not groups["Markt"].suppressed
    assert groups["Markt"].cells[2].share == 40.0
    assert groups["Mühlenweg"].suppressed and groups["Mühlenweg"].cells == []
    assert groups["Heide"].suppressed  # nobody answered


def test_results_by_group_and_multiple_choice(survey, areas):
    _fill(survey, areas[0], ["sehr_zufrieden"] * 5, age="65_79")
    _fill(survey, areas[0], ["teils"] * 2, age="18_29")
    by_age = services.results(survey, "zufriedenheit", by="altersgruppe")
    groups = {g.key: g for g in by_age.groups}
    assert groups["65_79"].cells[0].share == 100.0
    assert groups["18_29"].suppressed
    missing = services.results(survey, "fehlt")
    assert missing.multiple and missing.total.respondents == 7
    assert missing.total.cells[0].share == 100.0  # everyone chose playgrounds
    numbers = services.results(survey, "wohndauer")
    assert numbers.kind == "number" and numbers.total.mean == 12.0


def test_weighting_to_the_population(survey, areas):
    for area, population in zip(areas, (1200, 900, 1500, 250), strict=True):
        area.population = population
        area.save()
    # Markt (1 200 residents): 5 satisfied; Bahnhof (1 500): 10 dissatisfied
    _fill(survey, areas[0], ["sehr_zufrieden"] * 5)
    _fill(survey, areas[2], ["sehr_unzufrieden"] * 10)
    plain = services.results(survey, "zufriedenheit")
    weighted = services.results(survey, "zufriedenheit", weighted=True)
    assert round(plain.total.cells[0].share, 1) == 33.3
    assert round(weighted.total.cells[0].share, 1) == round(100 * 1200 / 2700, 1)


def test_question_becomes_an_indicator_per_area(city_with_statistics, demo_bytes):
    from gemeinsinn.areas.models import Area
    from gemeinsinn.monitoring.models import Indicator, Value

    survey = services.import_survey(demo_bytes, "umfrage.xlsx")
    areas = list(Area.objects.filter(level=city_with_statistics["sozialraum"]).order_by("key"))
    for area, satisfied in zip(areas, (20, 15, 5, 0), strict=True):
        _fill(survey, area, ["sehr_zufrieden"] * satisfied + ["teils"] * 20)
    indicator = services.question_to_indicator(
        survey,
        "zufriedenheit",
        ["sehr_zufrieden", "eher_zufrieden"],
        code="umfrage_zufrieden",
        name="Zufrieden oder sehr zufrieden mit dem Stadtteil",
    )
    assert indicator.kind == "share" and indicator.denominator == "umfrage_zufrieden_n"
    values = dict(
        Value.objects.filter(indicator=indicator, year=2025, area__in=areas).values_list(
            "area__key", "value"
        )
    )
    assert values["0101"] == 50.0 and values["0202"] == 0.0
    assert round(values["0102"], 1) == round(1500 / 35, 1)
    city_value = Value.objects.get(indicator=indicator, year=2025, area__level__code="stadt")
    assert round(city_value.value, 2) == round(100 * 40 / 120, 2)
    assert Indicator.objects.filter(code="umfrage_zufrieden_n", kind="count").exists()


def test_indicator_from_a_text_question_is_refused(survey):
    with pytest.raises(InputError):
        services.question_to_indicator(
            survey, "anmerkungen", ["x"], code="umfrage_text", name="Text"
        )


def test_area_summary_lists_surveys_with_responses(survey, areas, city, good_answers):
    from gemeinsinn.areas.models import Area

    services.submit_response(survey, good_answers, area=areas[0])
    altstadt = Area.objects.get(level=city["stadtteil"], key="01")
    neustadt = Area.objects.get(level=city["stadtteil"], key="02")
    assert [(s.survey, s.responses) for s in services.area_summary(altstadt)] == [(survey, 1)]
    assert services.area_summary(neustadt) == []
