"""The demo's second survey, the Familienbefragung Kinderbetreuung with the repeat "Kinder im
Haushalt", on the tiny city: a valid form in two languages, valid and plausible generated
households, a survey that has ended, per-entry results on the results page, the repeat's table
in the exports — and the Bürgerumfrage exactly as it was before the family survey came."""

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile

import numpy as np
import openpyxl
import pytest

from gemeinsinn.formats.xlsform import check_xlsform, validate_response
from gemeinsinn.formats.xlsform.family_form import REPEAT, TITLE, family_form_bytes
from gemeinsinn.monitoring.models import Value
from gemeinsinn.surveys import demo, services
from gemeinsinn.surveys.models import PAPER, PaperBatch, Response, Survey

pytestmark = pytest.mark.django_db

EN = "English (en)"
CHILD_QUESTIONS = ["kind_alter", "kind_betreuung", "kind_bedarf_stunden", "kind_bedarf_gedeckt"]


@pytest.fixture
def loaded(city_with_statistics):
    lines = list(demo.load(user=None, responses=400))
    return lines, Survey.objects.get(file_name=demo.FAMILY_FILE_NAME)


def test_the_family_form_has_the_repeat_and_two_languages():
    check = check_xlsform(family_form_bytes(), "familienbefragung.xlsx")
    assert check.ok and check.problems == []
    form = check.survey
    assert form.title == TITLE == "Familienbefragung Kinderbetreuung"
    assert form.languages == ("Deutsch (de)", EN)
    (repeat,) = [group for group in form.groups() if group.repeat]
    assert repeat.name == REPEAT and repeat.labels[EN] == "Children in the household"
    assert [q.name for q in repeat.walk()] == CHILD_QUESTIONS
    assert form.question("zufriedenheit_betreuung").is_likert
    assert form.question("kind_alter").label(EN) == "How old is the child?"


def test_generated_households_are_valid_for_the_family_form():
    form = check_xlsform(family_form_bytes(), "familienbefragung.xlsx").survey
    rng = np.random.default_rng(1)
    for score in (-1.5, 0.0, 2.0):
        for _number in range(150):
            answers = demo.generate_household(rng, score)
            check = validate_response(form, answers, today=dt.date(2026, 5, 1))
            assert check.ok, (answers, check.problems)
            assert check.answers == answers  # nothing asked that the skip logic leaves out
            assert 1 <= len(answers[REPEAT]) <= 4


def test_the_demo_has_an_ended_family_survey_with_a_child_per_entry(loaded):
    lines, family = loaded
    assert lines[4] == (
        "Umfragen: „Familienbefragung Kinderbetreuung“ aus familienbefragung_kinderbetreuung.xlsx"
        " angelegt (9 Fragen, Wiederholung „Kinder im Haushalt“)"
    )
    households = Response.objects.filter(survey=family)
    children = sum(len(answers[REPEAT]) for answers in households.values_list("answers", flat=True))
    assert 400 <= households.count() <= 600 and children > households.count()
    assert lines[5].startswith(f"Umfragen: {households.count()} Haushalte mit {children} Kindern")
    today = dt.date.today()
    assert family.closes_on < today - dt.timedelta(days=21) and not family.is_open(today)
    last = max(households.values_list("submitted_at", flat=True))
    assert last.date() <= family.closes_on
    batch = PaperBatch.objects.get(survey=family)
    numbers = list(households.filter(channel=PAPER).values_list("questionnaire_number", flat=True))
    assert sorted(numbers) == list(range(1, len(numbers) + 1)) and numbers
    assert households.filter(paper_batch=batch).count() == len(numbers)
    assert households.filter(language=EN).exists()
    # Bahnhof (highest transfer receipt): more children's need unmet than in Mühlenweg (lowest)
    met = services.results(family, "kind_bedarf_gedeckt", by="area")
    fully = {g.label: g.cells[0].share for g in met.groups}
    assert fully["Bahnhof"] < fully["Mühlenweg"] - 20
    again = list(demo.load(user=None))
    assert again[-1] == "Umfragen: die Familienbefragung ist bereits angelegt"
    assert Survey.objects.count() == 2


def test_the_results_page_counts_the_children_per_entry(loaded, staff_client):
    _lines, family = loaded
    households = Response.objects.filter(survey=family)
    respondents = households.count()
    entries = sum(len(answers[REPEAT]) for answers in households.values_list("answers", flat=True))
    page = staff_client.get(f"/verwaltung/umfragen/{family.slug}/ergebnisse/?nach=area")
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Frage der Wiederholung „Kinder im Haushalt“: gezählt wird jeder Eintrag – "
        f"{entries} Einträge von {respondents} Befragten." in text
    )
    assert f"{entries} Einträge von {respondents} Befragten; Mittelwert" in text  # hours
    assert "Die Wiederholung „Kinder im Haushalt“ steht im Export in einer eigenen Tabelle" in text
    ages = services.results(family, "kind_alter")
    assert (ages.total.respondents, ages.total.entries) == (respondents, entries)


def test_the_exports_have_the_childrens_table(loaded, staff_client):
    _lines, family = loaded
    households = Response.objects.filter(survey=family).count()
    entries = sum(
        len(answers[REPEAT])
        for answers in Response.objects.filter(survey=family).values_list("answers", flat=True)
    )
    download = staff_client.get(f"/verwaltung/umfragen/{family.slug}/antworten.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(download.content), read_only=True)
    assert workbook.sheetnames == ["Antworten", REPEAT, "Codebuch"]
    children = list(workbook[REPEAT].iter_rows(values_only=True))
    assert list(children[0][:2]) == ["antwort_nr", "eintrag_nr"]
    assert list(children[0][-4:]) == CHILD_QUESTIONS  # single choices: one column each
    assert len(children) == 1 + entries
    assert len(list(workbook["Antworten"].iter_rows())) == 1 + households
    archive = staff_client.get(f"/verwaltung/umfragen/{family.slug}/antworten.csv")
    files = zipfile.ZipFile(io.BytesIO(archive.content))
    assert f"{family.slug}-{REPEAT}.csv" in files.namelist()
    table = files.read(f"{family.slug}-{REPEAT}.csv").decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(table), delimiter=";"))) == 1 + entries


def test_the_buergerumfrage_is_as_before_the_family_survey(city_with_statistics):
    """Fingerprint and indicator values taken from the demo before the family survey existed:
    the family survey's own random stream leaves every number of the Bürgerumfrage alone."""
    list(demo.load(user=None, responses=400))
    survey = Survey.objects.get(file_name=demo.FILE_NAME)
    rows = [
        [r.area.key, r.answers, r.channel, r.paper_batch and r.paper_batch.name,
         r.questionnaire_number]
        for r in Response.objects.filter(survey=survey)
        .order_by("id")
        .select_related("area", "paper_batch")
    ]  # fmt: skip
    fingerprint = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    assert len(rows) == 398
    assert fingerprint == "0f0fdf74667af712fd01a3c38d971602dc95c5bf86aced34a5ae6f2e8304dd5f"
    values = {
        (code, key): round(value, 6)
        for code, key, value in Value.objects.filter(
            indicator__code__startswith="umfrage", year=2025
        ).values_list("indicator__code", "area__key", "value")
    }
    assert values[("umfrage_zufrieden", "0201")] == 29.787234
    assert values[("umfrage_zufrieden", "05999000")] == 59.045226
    assert values[("umfrage_sicher_nachts", "0102")] == 73.684211
    assert values[("umfrage_sicher_nachts_ja", "05999000")] == 187
    assert len(values) == 42  # two indicators with their counts, 7 areas each
