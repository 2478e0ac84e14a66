"""The survey part of the demo on the tiny city: deterministic, valid, correlated with the
areas' social situation, and turned into indicators."""

import datetime as dt

import numpy as np
import pytest

from gemeinsinn.formats.xlsform import validate_response
from gemeinsinn.monitoring.models import Value
from gemeinsinn.surveys import demo, services
from gemeinsinn.surveys.models import PAPER, Response, Survey

pytestmark = pytest.mark.django_db


def test_generated_answers_are_valid_for_the_demo_form(survey):
    rng = np.random.default_rng(1)
    for score in (-1.5, 0.0, 2.0):
        for _number in range(150):
            answers = demo.generate_answers(rng, score)
            check = validate_response(survey.form, answers, today=dt.date(2026, 5, 1))
            assert check.ok, (answers, check.problems)


def test_demo_survey_with_responses_and_indicators(city_with_statistics):
    lines = list(demo.load(user=None, responses=400))
    assert lines[0].startswith("Umfragen: „Bürgerumfrage Lebensqualität im Stadtteil“")
    assert "Antworten in 4 Sozialräume" in lines[1]
    survey = Survey.objects.get(file_name=demo.FILE_NAME)  # the family survey is the second
    assert survey.is_open(dt.date.today())
    assert Response.objects.count() >= 400 - 4
    assert Response.objects.filter(channel=PAPER).exists()
    assert Value.objects.filter(indicator__code="umfrage_zufrieden", year=2025).count() >= 4
    # Bahnhof (highest transfer receipt) is less satisfied than Mühlenweg (lowest)
    result = services.results(survey, "zufriedenheit", by="area")
    shares = {g.label: g.cells[0].share + g.cells[1].share for g in result.groups}
    assert shares["Bahnhof"] < shares["Mühlenweg"]
    assert list(demo.load(user=None))[0].endswith("bereits angelegt")


def test_demo_is_deterministic(city_with_statistics):
    list(demo.load(user=None, responses=150))
    first = list(Response.objects.order_by("id").values_list("area_id", "answers"))
    Response.objects.all().delete()
    Survey.objects.all().delete()
    list(demo.load(user=None, responses=150))
    second = list(Response.objects.order_by("id").values_list("area_id", "answers"))
    assert first == second
