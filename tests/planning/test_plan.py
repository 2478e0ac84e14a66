"""The integrated action plan: progress rolled up the tree, status changes with history and
e-mails to the supporters of linked ideas, budget and funding tables, goal monitoring."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from gemeinsinn.planning import services
from gemeinsinn.planning.models import Budget, Funding, Goal, Measure, MeasureStatus


def status(name):
    return MeasureStatus.objects.get(name=name)


@pytest.fixture
def plan(city):
    """Programme 1 with measure 1.1 (weit fortgeschritten, 80 %) and measure 1.2 with the steps
    1.2.1 (abgeschlossen, 100 %) and 1.2.2 (in Vorbereitung, 20 %): 1.2 = 60 %, 1 = 70 %."""
    from gemeinsinn.ideas.services import ensure_default_categories

    ensure_default_categories()
    services.ensure_default_statuses()
    field = services.fields_of_action().get(name="Bildung und Erziehung")

    def add(number, kind, parent, state, **extra):
        return Measure.objects.create(
            number=number, kind=kind, parent=parent, title=f"Eintrag {number}", field=field,
            status=status(state), **extra,
        )  # fmt: skip

    programme = add("1", Measure.PROGRAMME, None, "in Umsetzung")
    first = add("1.1", Measure.MEASURE, programme, "weit fortgeschritten")
    second = add("1.2", Measure.MEASURE, programme, "in Umsetzung")
    add("1.2.1", Measure.STEP, second, "abgeschlossen")
    add("1.2.2", Measure.STEP, second, "in Vorbereitung")
    return {"programme": programme, "first": first, "second": second, "field": field}


def test_default_statuses_and_fields_of_action(plan):
    assert [(s.name, s.progress) for s in MeasureStatus.objects.all()] == [
        ("geplant", 0), ("in Vorbereitung", 20), ("in Umsetzung", 50),
        ("weit fortgeschritten", 80), ("abgeschlossen", 100),
    ]  # fmt: skip
    assert [f.name for f in services.fields_of_action()] == [
        "Partizipation und Vernetzung", "Bildung und Erziehung", "Arbeitsmarkt",
        "Existenzsicherung", "Wohnen und Wohnumgebung",
    ]  # fmt: skip
    assert services.ensure_default_statuses() == 0


def test_progress_rolls_up_the_tree(plan):
    nodes = services.flatten(services.plan_tree())
    assert [(n.measure.number, n.depth, n.progress) for n in nodes] == [
        ("1", 0, 70.0), ("1.1", 1, 80), ("1.2", 1, 60.0), ("1.2.1", 2, 100), ("1.2.2", 2, 20),
    ]  # fmt: skip
    plan["first"].progress = 90  # an own value beats the status's default
    plan["first"].save()
    assert services.progress_of(plan["programme"]) == 75.0


def test_hidden_measures_leave_the_public_tree(plan):
    plan["second"].is_public = False
    plan["second"].save()
    public = services.flatten(services.plan_tree(public_only=True))
    assert [n.measure.number for n in public] == ["1", "1.1"]
    assert public[0].progress == 80


def test_the_tree_has_three_levels(plan):
    assert services.check_parent(Measure.STEP, plan["programme"]).startswith("Eine Maßnahme")
    assert services.check_parent(Measure.PROGRAMME, plan["first"]).startswith("Ein Programm")
    assert services.check_parent(Measure.MEASURE, plan["programme"]) == ""


@pytest.fixture
def supporters(plan, django_user_model):
    """Idea 'Hausaufgabenhilfe' supported by two citizens (one inactive) and linked to 1.1."""
    from gemeinsinn.ideas.models import Idea, Process, Support

    when = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    process = Process.objects.create(
        title="Ideen", slug="ideen", collect_from=when, collect_until=when, comment_until=when
    )
    idea = Idea.objects.create(
        process=process, title="Hausaufgabenhilfe", text="…", category=plan["field"]
    )
    for name, active in (("ali", True), ("bea", True), ("cem", False)):
        user = django_user_model.objects.create_user(
            username=name, email=f"{name}@example.org", is_active=active
        )
        Support.objects.create(idea=idea, user=user)
    other = Idea.objects.create(process=process, title="Anderes", text="…", category=plan["field"])
    Support.objects.create(
        idea=other, user=django_user_model.objects.create_user("dan", "dan@example.org")
    )
    plan["first"].ideas.add(idea)
    return idea


def test_status_change_is_recorded_and_supporters_are_told(
    plan, supporters, planner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = services.update_progress(
            plan["first"], planner, status=status("abgeschlossen"), progress=None,
            note="Eröffnet am 1. März.", base_url="https://stadt.example",
        )  # fmt: skip
    assert change.summary == (
        "Stand: weit fortgeschritten → abgeschlossen; Fortschritt: 100 %; Eröffnet am 1. März."
    )
    assert change.by_name == "Petra Plan" and change.progress == 100
    assert sorted(m.to[0] for m in mail.outbox) == ["ali@example.org", "bea@example.org"]
    body = mail.outbox[0].body
    assert "Hausaufgabenhilfe" in body and "weit fortgeschritten → abgeschlossen" in body
    assert f"https://stadt.example/handlungskonzept/massnahmen/{plan['first'].pk}/" in body
    assert services.progress_of(plan["programme"]) == 80.0


def test_progress_only_tells_nobody(plan, supporters, planner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_progress(plan["first"], planner, status=plan["first"].status, progress=85)
    assert mail.outbox == [] and plan["first"].history.get().summary == "Fortschritt: 85 %"


def test_bad_progress_changes_are_refused(plan, planner):
    with pytest.raises(services.PlanningError, match="0 bis 100"):
        services.update_progress(plan["first"], planner, status=plan["first"].status, progress=120)
    with pytest.raises(services.PlanningError, match="Nichts zu speichern"):
        services.update_progress(plan["first"], planner, status=plan["first"].status, progress=None)
    assert not plan["first"].history.exists()


def test_budget_and_funding_tables(plan):
    Budget.objects.create(measure=plan["first"], year=2026, amount=Decimal("10000"))
    Budget.objects.create(measure=plan["first"], year=2027, amount=Decimal("12500.50"))
    Budget.objects.create(measure=plan["second"], year=2026, amount=Decimal("5000"))
    for source, year, amount, approval in (
        ("land", 2026, "8000", "bewilligt"), ("kommune", 2026, "7000", "bewilligt"),
        ("eu", 2027, "10000", "beantragt"),
    ):  # fmt: skip
        Funding.objects.create(
            measure=plan["first"], source=source, year=year, amount=Decimal(amount),
            approval=approval, programme="Sozialer Zusammenhalt" if source == "land" else "",
        )  # fmt: skip
    budget = services.budget_by_field()
    assert budget.years == [2026, 2027]
    assert budget.rows == [
        ("Bildung und Erziehung", [Decimal("15000"), Decimal("12500.50")], Decimal("27500.50"))
    ]
    funding = services.funding_by_source()
    assert [(label, total) for label, _amounts, total in funding.rows] == [
        ("Kommune", Decimal("7000")), ("Land", Decimal("8000")), ("EU", Decimal("10000")),
    ]  # fmt: skip
    assert funding.totals == [Decimal("15000"), Decimal("10000")]
    approved = services.funding_by_source("bewilligt")
    assert approved.total == Decimal("15000")


def test_goal_monitoring_target_area_against_the_rest(plan, index_run, planner, planner_client):
    """Kinderarmut (unter 15) in Bahnhof 0201: 40,0 / 42,9 / 45,8 %; the rest of the city
    (Markt 11,11 / 10,44 / 9,78 %, Mühlenweg 8,33 / 8,26 / 8,20 %, weighted by 1 224 and 918
    residents; Heide is too small to be published): 2023 (11,1111·1224 + 8,3333·918) / 2142
    = 9,9206; 2025 = 9,1029."""
    from gemeinsinn.monitoring.models import Indicator

    ranking = services.need_ranking(
        index_run.definition.level, 2025, [services.Choice(services.STATUS, 1.0, True)]
    )
    saved = services.save_ranking("Verdichtung", ranking, planner)
    bahnhof = saved.areas.get(area__key="0201").area_id
    target = services.mark_target_area(saved, [bahnhof], "Bedarf", planner, name="Nord")
    goal = Goal.objects.create(
        field=plan["field"], title="Kinderarmut im Fördergebiet Nord unter 40 % bis 2030",
        indicator=Indicator.objects.get(code="kinderarmut_u15"), target_area=target,
        comparison=Goal.BELOW, target_value=40.0, target_year=2030, sdgs=[1, 10],
    )  # fmt: skip
    result = services.goal_progress(goal, [2023, 2024, 2025])
    assert [p.year for p in result.points] == [2023, 2024, 2025]
    assert [p.target_areas for p in result.points] == pytest.approx([40.0, 42.904290, 45.751634])
    assert result.points[0].rest == pytest.approx(9.920635, abs=1e-6)
    assert result.points[2].rest == pytest.approx(9.102943, abs=1e-6)
    assert result.latest == pytest.approx(45.751634) and result.met is False
    assert result.gap == pytest.approx(5.751634)
    # least squares over three equally spaced years: (last − first) / 2
    inside, rest = result.trends()
    assert inside == pytest.approx((45.751634 - 40.0) / 2)
    assert rest == pytest.approx((9.102943 - 9.920635) / 2, abs=1e-6)
    page = planner_client.get("/verwaltung/planung/ziele/").content.decode()
    assert "Kinderarmut im Fördergebiet Nord unter 40 % bis 2030" in page
    assert "Ziel noch nicht erreicht." in page and "SDG 1, 10" in page
    assert "Trend je Jahr: Nord 2,88, übrige Stadt -0,41" in page
    assert '<td class="kern-table__cell">45,8</td>' in page
    goal.comparison, goal.target_value = Goal.AT_MOST, 50.0
    assert services.goal_progress(goal, [2025]).met is True
    city_goal = Goal.objects.create(
        field=plan["field"], title="Stadt", indicator=goal.indicator, target_value=5.0
    )
    whole = services.goal_progress(city_goal, [2025])  # no target area: all published areas
    assert whole.latest == pytest.approx(
        (9.782609 * 1224 + 8.196721 * 918 + 45.751634 * 1530) / (1224 + 918 + 1530), abs=1e-5
    )


def test_changes_of_a_period_for_the_kompass(plan, planner):
    from gemeinsinn.planning.models import MeasureChange

    services.update_progress(plan["first"], planner, status=status("abgeschlossen"), progress=None)
    services.update_progress(plan["second"], planner, status=plan["second"].status, progress=55)
    MeasureChange.objects.filter(measure=plan["first"]).update(
        at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC)
    )
    MeasureChange.objects.filter(measure=plan["second"]).update(
        at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    )
    plan["second"].is_public = False
    plan["second"].save()
    first_half = (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    assert [c.measure.number for c in services.changes_between(*first_half)] == ["1.1"]
    second_half = (first_half[1], dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert services.changes_between(*second_half) == []
    assert len(services.changes_between(*second_half, public_only=False)) == 1


def test_funding_decision_date_belongs_to_a_decision(plan):
    from django.core.exceptions import ValidationError

    def problems(approval, decided_on):
        funding = Funding(
            measure=plan["first"], source="land", year=2026, amount=Decimal("8000"),
            approval=approval, decided_on=decided_on,
        )  # fmt: skip
        try:
            funding.full_clean()
        except ValidationError as error:
            return error.message_dict["decided_on"]
        return []

    assert problems("bewilligt", None) == [
        "Bitte das Datum des Bescheids angeben: Die Finanzierung ist „bewilligt“."
    ]
    assert problems("abgelehnt", None) == [
        "Bitte das Datum des Bescheids angeben: Die Finanzierung ist „abgelehnt“."
    ]
    assert problems("beantragt", dt.date(2025, 11, 3)) == [
        "Ein Bescheid gehört nur zu „bewilligt“ oder „abgelehnt“; bei „beantragt“ bitte das "
        "Datum leer lassen."
    ]
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    assert problems("bewilligt", tomorrow) == ["Der Bescheid kann nicht in der Zukunft liegen."]
    assert problems("bewilligt", dt.date(2025, 11, 3)) == []
    assert problems("geplant", None) == [] and problems("beantragt", None) == []


def test_funding_decision_reads_with_its_date(plan):
    funding = Funding(measure=plan["first"], source="land", year=2026, amount=Decimal("8000"),
                      approval="bewilligt", decided_on=dt.date(2026, 3, 12))  # fmt: skip
    assert funding.decision == "bewilligt am 12.03.2026"
    funding.approval, funding.decided_on = "beantragt", None
    assert funding.decision == "beantragt"
