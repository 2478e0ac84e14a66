"""The planners' ranking pages: re-ranking on a changed weight (htmx and plain form), saving,
refusing bad input, access only for planners."""

import pytest

from gemeinsinn.planning.models import SavedRanking

URL = "/verwaltung/planung/rangfolge/"


@pytest.fixture
def params(sozialraum):
    return {"level": str(sozialraum.pk), "year": "2025"}


def test_only_planners_see_the_ranking(client, sozialraum):
    response = client.get(URL)
    assert response.status_code == 302 and "/konto/" in response["Location"]
    from tests.ideas.conftest import make_citizen

    client.force_login(make_citizen("carla"))
    assert client.get(URL).status_code == 302  # no staff member


def test_default_ranking_and_reranking_without_javascript(planner_client, params):
    page = planner_client.get(URL).content.decode()
    assert "Verdichtung: Rangfolge des Bedarfs" in page
    assert 'name="w-indicator-kinderarmut_u15"' in page
    # weight 1 on child poverty only: Bahnhof first with its explanation
    page = planner_client.get(URL, {**params, "w-indicator-kinderarmut_u15": "1"}).content
    page = page.decode()
    assert "Rang 1: Kinderarmut (unter 15 Jahren) hoch (+1,4 σ; 45,8 % gegenüber 21,2 %" in page
    turned = planner_client.get(
        URL, {**params, "w-indicator-kinderarmut_u15": "1,5", "d-indicator-kinderarmut_u15":
              "weniger"}
    ).content.decode()  # fmt: skip
    assert "Rang 1: Kinderarmut (unter 15 Jahren) niedrig (−0,8 σ" in turned


def test_htmx_request_gets_only_the_fragment(planner_client, params):
    response = planner_client.get(
        URL, {**params, "w-indicator-kinderarmut_u15": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith('<div id="ranking">') and "<html" not in html
    assert "Rang 1: Kinderarmut" in html


def test_bad_weight_is_explained_in_german(planner_client, params):
    html = planner_client.get(
        URL, {**params, "w-indicator-kinderarmut_u15": "viel"}
    ).content.decode()
    assert "Zahl" in html and 'aria-invalid="true"' in html
    html = planner_client.get(URL, {**params, "w-indicator-kinderarmut_u15": "-2"}).content.decode()
    assert "größer oder gleich 0" in html
    html = planner_client.get(URL, params).content.decode()  # only the ideas, weight 0
    assert "mindestens einem Bestandteil ein Gewicht" in html


def test_save_and_reuse_a_ranking(planner_client, params, planner):
    data = {**params, "w-indicator-kinderarmut_u15": "2", "name": "Verdichtung 2025"}
    response = planner_client.post(URL + "speichern/", data)
    saved = SavedRanking.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{saved.pk}/")
    assert saved.created_by == planner and saved.year == 2025
    assert {"code": "indicator:kinderarmut_u15", "weight": 2.0, "higher_is_worse": True,
            "label": "Kinderarmut (unter 15 Jahren)"} in saved.components  # fmt: skip
    detail = planner_client.get(response["Location"]).content.decode()
    assert "Verdichtung 2025" in detail and saved.input_checksum in detail
    assert "Rang 1: Kinderarmut" in detail and "Kinderarmut (unter 15 Jahren): 2,0" in detail
    reuse = planner_client.get(f"/verwaltung/planung/rangfolgen/{saved.pk}/bearbeiten/")
    assert 'name="w-indicator-kinderarmut_u15" id="id_w-indicator-kinderarmut_u15" value="2"' in (
        reuse.content.decode()
    )
    listing = planner_client.get("/verwaltung/planung/rangfolgen/").content.decode()
    assert "Verdichtung 2025" in listing


def test_saving_without_a_name_writes_nothing(planner_client, params):
    response = planner_client.post(
        URL + "speichern/", {**params, "w-indicator-kinderarmut_u15": "1", "name": ""}
    )
    assert response.status_code == 400 and SavedRanking.objects.count() == 0
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()


def test_other_staff_may_not_plan(client, sozialraum):
    from tests.ideas.conftest import make_staff

    client.force_login(make_staff("amt", "fachamt"))
    assert client.get(URL).status_code == 403
    assert client.get("/verwaltung/planung/handlungskonzept/").status_code == 403
