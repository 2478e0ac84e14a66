"""The Handlungskonzept document: its sums are the plan's (budget, funding by source and year,
programmes and approval), every measure of the demo plan appears with its facts, money in
German format, and the PDF is tagged with contents, bookmarks and the target-area map."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum

from gemeinsinn.planning.models import Budget, Funding, Measure, Milestone
from gemeinsinn.socialreport.services import ReportError, ReportRequest, build_report, compose
from tests.socialreport.plankit import (  # noqa: F401 (fixtures)
    outline_titles,
    pdf_reader,
    pdf_text,
    planned_city_fixture,
)

REQUEST = ReportRequest("handlungskonzept", 2025)


def german(amount: Decimal) -> str:
    return f"{int(amount):,}".replace(",", ".") + "\u00a0€"


def test_totals_are_the_sums_of_the_plan(planned_city):
    context = compose(REQUEST).context
    budget_total = Budget.objects.aggregate(total=Sum("amount"))["total"]
    funding_total = Funding.objects.aggregate(total=Sum("amount"))["total"]
    summary = context["summary"]
    assert (summary.programmes, summary.measures, summary.steps) == (5, 25, 11)
    assert summary.budget == budget_total == context["budget"].total
    assert sum(chapter.budget for chapter in context["chapters"]) == budget_total
    assert sum(context["budget"].totals) == budget_total
    planned = Funding.objects.exclude(approval="abgelehnt")  # the demo has refused applications
    planned_total = planned.aggregate(total=Sum("amount"))["total"]
    assert planned_total < funding_total
    external = planned.exclude(source="kommune").aggregate(total=Sum("amount"))["total"]
    assert summary.external == external and summary.funding == planned_total
    assert summary.external_share == pytest.approx(float(external / planned_total * 100))
    approved = Funding.objects.filter(approval="bewilligt").aggregate(total=Sum("amount"))
    assert summary.approved == approved["total"]

    by_source_year = defaultdict(Decimal)
    for item in Funding.objects.all():
        by_source_year[(item.get_source_display(), item.year)] += item.amount
    funding = context["funding"]
    for label, amounts, total in funding.rows:
        assert amounts == [by_source_year[(label, year)] for year in funding.years]
        assert total == sum(amounts)
    assert funding.total == funding_total
    assert sum(row.total for row in context["programmes"]) == funding_total
    assert context["approvals"].total == funding_total
    assert {row.programme for row in context["programmes"]} >= {"Eigenanteil"}


def test_every_measure_appears_with_its_facts(planned_city):
    html = build_report(REQUEST, "html").decode()
    for measure in Measure.objects.all():
        assert f"{measure.number} {measure.title}" in html
    assert html.count('class="measure measure--') == Measure.objects.count()
    budget_total = Budget.objects.aggregate(total=Sum("amount"))["total"]
    assert german(budget_total) in html
    measure = Measure.objects.filter(kind=Measure.MEASURE, ideas__isnull=False).first()
    assert f"Idee „{measure.ideas.first().title}“" in html
    assert Milestone.objects.count() == html.count("Konzept abgestimmt") + html.count(
        "Erste Angebote laufen"
    )
    assert "Fördergebiet Bahnhof/Mühlenweg" in html and "SDG 4" in html
    assert "<svg" in html  # the map of the target areas
    assert "Eigenanteil): 4.800\u00a0€, bewilligt am 11.12.2025" in html  # with the Bescheid
    assert "abgelehnt am 10.06.2026" in html and "beantragt</li>" in html


def test_pdf_has_text_contents_bookmarks_and_tags(planned_city):
    content = build_report(REQUEST, "pdf")
    reader = pdf_reader(content)
    text = pdf_text(content).replace("\u00a0", " ")
    budget_total = Budget.objects.aggregate(total=Sum("amount"))["total"]
    assert german(budget_total).replace("\u00a0", " ") in text
    assert "Integriertes Handlungskonzept" in text and "Kleinstadt" in text
    assert "Hausaufgabenhilfe in der Stadtteilbibliothek" in text
    titles = outline_titles(reader)
    for title in ("Zusammenfassung", "Fördergebiete", "Bildung und Erziehung", "Meilensteine"):
        assert title in titles
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.metadata.title == "Integriertes Handlungskonzept Kleinstadt"


@pytest.mark.django_db
def test_leichte_sprache_is_not_offered_for_the_plan():
    with pytest.raises(ReportError, match="de, en"):
        build_report(ReportRequest("handlungskonzept", 2025, language="de-ls"), "html")
