"""A survey question turned into an indicator enters the social index like any statistic."""

import pytest

from gemeinsinn.monitoring import services as monitoring
from gemeinsinn.surveys import services
from tests.surveys.conftest import GOOD

pytestmark = pytest.mark.django_db

SATISFIED = {"0101": 8, "0102": 3, "0201": 1, "0202": 5}  # of 10 respondents per area


def test_survey_indicator_enters_an_index(index_definition, demo_bytes):
    from gemeinsinn.areas.models import Area

    survey = services.import_survey(demo_bytes, "umfrage.xlsx")
    for area in Area.objects.filter(level=index_definition.level):
        for number in range(10):
            happy = number < SATISFIED[area.key]
            answers = {**GOOD, "zufriedenheit": "eher_zufrieden" if happy else "teils"}
            services.submit_response(survey, answers, area=area)
    services.question_to_indicator(
        survey,
        "zufriedenheit",
        ["sehr_zufrieden", "eher_zufrieden"],
        code="umfrage_zufrieden",
        name="Zufrieden mit dem Stadtteil",
        year=2025,
    )
    index_definition.status_indicators = [
        *index_definition.status_indicators,
        {"code": "umfrage_zufrieden", "weight": 1.0, "higher_is_worse": False},
    ]
    index_definition.dynamics_mode = "none"
    index_definition.save()
    run = monitoring.run_index(index_definition, 2025)
    results = {r.area.key: r for r in run.results.select_related("area") if r.included}
    assert set(results) == {"0101", "0102", "0201"}
    parts = {key: r.contributions["umfrage_zufrieden"] for key, r in results.items()}
    # 80 %, 30 %, 10 % satisfied: standardised over the three areas, less satisfied is worse
    assert parts["0201"] > parts["0102"] > 0 > parts["0101"]
    from gemeinsinn.monitoring.models import Value

    shares = dict(
        Value.objects.filter(indicator__code="umfrage_zufrieden", year=2025).values_list(
            "area__key", "value"
        )
    )
    assert {k: shares[k] for k in SATISFIED} == {k: 10.0 * v for k, v in SATISFIED.items()}
    assert run.parameters["status_indicators"][-1]["code"] == "umfrage_zufrieden"
