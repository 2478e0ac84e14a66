"""The planners' own text per chapter of a report edition: one field per chapter of the
Sozialbericht (and the Kompass' foreword and contact), saved with who changed it, German
validation messages, printed cleaned in the report."""

import pytest
from django.urls import reverse

from gemeinsinn.accounts import roles
from gemeinsinn.socialreport.models import ChapterText
from gemeinsinn.socialreport.services.sozialbericht import CHAPTERS
from tests.socialreport.webkit import (  # noqa: F401  (fixtures)
    make_user,
    planner_client_fixture,
    planner_fixture,
)

TEXTS_2025 = "/verwaltung/berichte/texte/sozialbericht/2025/"


def test_the_start_opens_the_sozialbericht_of_the_latest_year_with_statistics(
    planner_client, city_with_statistics
):
    response = planner_client.get("/verwaltung/berichte/texte/")
    assert response["Location"] == TEXTS_2025
    page = planner_client.get(TEXTS_2025).content.decode()
    for _slug, title in CHAPTERS:
        assert f">{title}" in page
    assert page.count("<textarea") == len(CHAPTERS)


def test_texts_are_saved_with_who_changed_them_and_an_empty_text_removes_one(
    planner_client, planner, city_with_statistics
):
    response = planner_client.post(
        TEXTS_2025,
        {"armut": "Die Armut ist im Norden gestiegen.\r\n\r\nIm Süden nicht.", "senioren": ""},
        follow=True,
    )
    assert "Gespeichert: 1 geänderte Kapitel." in response.content.decode()
    text = ChapterText.objects.get()
    assert (text.kind, text.year, text.chapter, text.updated_by) == (
        "sozialbericht", 2025, "armut", planner,
    )  # fmt: skip
    assert text.text == "Die Armut ist im Norden gestiegen.\n\nIm Süden nicht."
    assert "zuletzt geändert am" in response.content.decode()

    other = make_user(ChapterText.updated_by.field.related_model, "kollege", roles.PLANNING)
    planner_client.force_login(other)
    response = planner_client.post(
        TEXTS_2025,
        {"armut": "Die Armut ist im Norden gestiegen.\n\nIm Süden nicht.", "senioren": "Neu."},
        follow=True,
    )
    assert "Gespeichert: 1 geänderte Kapitel." in response.content.decode()
    assert ChapterText.objects.get(chapter="armut").updated_by == planner  # unchanged
    assert ChapterText.objects.get(chapter="senioren").updated_by == other
    planner_client.post(TEXTS_2025, {"armut": "  ", "senioren": "Neu."})
    assert list(ChapterText.objects.values_list("chapter", flat=True)) == ["senioren"]


def test_a_too_long_text_is_refused_in_german_and_nothing_is_saved(
    planner_client, city_with_statistics
):
    response = planner_client.post(TEXTS_2025, {"armut": "x" * 20_001, "senioren": "kurz"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Der Text zum Kapitel „Armut“ hat 20001 Zeichen, erlaubt sind höchstens 20000." in page
    assert "nichts wurde gespeichert" in page
    assert ChapterText.objects.count() == 0


def test_the_kompass_has_a_foreword_and_a_contact(planner_client, city_with_statistics):
    url = reverse("socialreport:texts", args=["kompass", 2025])
    page = planner_client.get(url).content.decode()
    assert page.count("<textarea") == 2 and "Vorwort" in page and "Kontakt" in page
    planner_client.post(url, {"vorwort": "Liebe Leserinnen und Leser,", "kontakt": ""})
    assert ChapterText.objects.get().chapter == "vorwort"


@pytest.mark.parametrize("path", ["handlungskonzept/2025/", "sozialbericht/1999/"])
def test_editions_without_texts_are_not_found(planner_client, city_with_statistics, path):
    assert planner_client.get(f"/verwaltung/berichte/texte/{path}").status_code == 404


def test_only_planners_may_write(client, django_user_model, city_with_statistics):
    client.force_login(make_user(django_user_model, "moderatorin", roles.MODERATION))
    assert client.get(TEXTS_2025).status_code == 403
    assert client.post(TEXTS_2025, {"armut": "Hallo"}).status_code == 403
    assert ChapterText.objects.count() == 0


def test_the_saved_text_is_printed_cleaned_in_the_sozialbericht(
    planner_client, city_with_statistics
):
    from gemeinsinn.socialreport.services import ReportRequest, build_report

    planner_client.post(
        TEXTS_2025,
        {"armut": 'Eigener Befund der Planung.<script>alert("x")</script>\n\nZweiter Absatz.'},
    )
    html = build_report(ReportRequest("sozialbericht", 2025), "html").decode()
    assert "Eigener Befund der Planung." in html and "Zweiter Absatz." in html
    assert 'alert("x")' not in html and "<script>" not in html
