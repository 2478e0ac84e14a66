"""The planning part of the demo on the tiny city: a saved ranking, a target area, goals and an
action plan with 25 measures, budgets, funding, milestones and links to the demo ideas; the
same every time."""

from gemeinsinn.ideas import demo as ideas_demo
from gemeinsinn.planning import demo
from gemeinsinn.planning.models import (
    Budget,
    Funding,
    Goal,
    Measure,
    MeasureChange,
    Milestone,
    SavedRanking,
    TargetArea,
)


def fingerprint():
    return (
        [
            (m.number, m.kind, m.title, m.field.name, m.status.name, m.start.isoformat(),
             sorted(i.title for i in m.ideas.all()), [(b.year, b.amount) for b in m.budgets.all()],
             sorted((f.source, f.year, f.amount, f.approval, f.decided_on)
                    for f in m.fundings.all()),
             [(x.title, x.due, x.reached) for x in m.milestones.all()])
            for m in Measure.objects.select_related("field", "status").order_by("number")
        ],
        [(r.area.key, r.rank) for r in SavedRanking.objects.get().areas.select_related("area")],
        [(t.area.name, sorted(a.key for a in t.members.all())) for t in TargetArea.objects.all()],
    )  # fmt: skip


def test_demo_plan_is_complete_and_deterministic(index_run):
    list(ideas_demo.load(None))
    lines = list(demo.load(None))
    assert lines[-1] == "Planung: 7 Ziele, 25 Maßnahmen in 5 Programmen"
    assert Measure.objects.filter(kind=Measure.PROGRAMME).count() == 5
    assert Measure.objects.filter(kind=Measure.MEASURE).count() == 25
    assert Measure.objects.filter(kind=Measure.STEP).count() == 11
    assert Budget.objects.count() == 75 and Milestone.objects.count() == 50
    assert set(Funding.objects.values_list("source", flat=True)) >= {"kommune", "land"}
    assert Measure.objects.filter(ideas__isnull=False).distinct().count() >= 5
    assert len({m.status.name for m in Measure.objects.filter(kind=Measure.MEASURE)}) >= 4
    assert Goal.objects.filter(target_area__isnull=False).count() == 2
    target = TargetArea.objects.get()  # the tiny city has no imported target area
    assert target.area.name == "Fördergebiet Bahnhof/Mühlenweg"  # ranks 1 and 2
    assert MeasureChange.objects.filter(summary="Angelegt").count() == 41
    for funding in Funding.objects.all():  # a decision (Bescheid) before its year, valid
        funding.full_clean()
        if funding.approval in Funding.DECIDED:
            assert funding.decided_on.year < funding.year
    decided_2026 = Funding.objects.filter(decided_on__year=2026)
    assert {f.decided_on.month <= 6 for f in decided_2026} == {True, False}  # both half-years
    assert {f.approval for f in decided_2026} == {"bewilligt", "abgelehnt"}
    first = fingerprint()
    for model in (Measure, Goal, TargetArea, SavedRanking):
        model.objects.all().delete()
    target.area.delete()
    list(demo.load(None))
    assert fingerprint() == first
