"""Feasibility check, relaxation suggestions and the type model."""

import numpy as np

from gemeinsinn.sortition.feasibility import check_feasibility, quota_problems
from gemeinsinn.sortition.model import Pool, Quota, TypeModel


def pool_of(rows, quotas, k, households=None):
    people = [dict(zip(("G", "A"), row, strict=True)) for row in rows]
    return Pool.from_records(people, quotas, k, households=households)


def test_types_group_identical_people_but_not_households():
    rows = [("w", "jung"), ("m", "alt"), ("w", "jung"), ("w", "jung"), ("m", "alt")]
    quotas = {"G": {"w": (0, 2), "m": (0, 2)}, "A": {"jung": (0, 2), "alt": (0, 2)}}
    plain = TypeModel.build(pool_of(rows, quotas, 2))
    assert plain.count == 2
    assert plain.size.tolist() == [3, 2] and plain.cap.tolist() == [3, 2]
    assert [m.tolist() for m in plain.members] == [[0, 2, 3], [1, 4]]
    # persons 0 and 1 live together: each becomes its own type with capacity 1
    together = TypeModel.build(pool_of(rows, quotas, 2, households=["h", "h", 3, 4, 5]))
    assert together.count == 4
    assert [m.tolist() for m in together.members] == [[0], [2, 3], [1], [4]]
    assert together.cap.tolist() == [1, 2, 1, 1]
    assert [g.tolist() for g in together.household_groups] == [[0, 2]]


def test_infeasible_quotas_get_concrete_relaxations():
    # 3 women, 1 man; panel of 3 must contain ≥ 2 men and ≥ 2 "jung"
    rows = [("w", "jung"), ("w", "jung"), ("w", "alt"), ("m", "alt")]
    quotas = [
        Quota("G", "w", 1, 3, line=2),
        Quota("G", "m", 2, 3, line=3),
        Quota("A", "jung", 2, 3, line=4),
        Quota("A", "alt", 0, 3, line=5),
    ]
    report = check_feasibility(TypeModel.build(pool_of(rows, quotas, 3)), "q.csv")
    assert not report.feasible
    # arithmetic problem found without solving: only one man for a minimum of 2
    text = " ".join(str(p) for p in report.problems)
    assert "G = m sind mindestens 2 Personen verlangt, es gibt aber nur 1" in text
    assert [(r.feature, r.value, r.bound, r.old, r.new) for r in report.relaxations] == [
        ("G", "m", "min", 2, 1)
    ]
    assert "Mindestwert für G = m von 2 auf 1 senken (um 1)" in report.relaxations[0].describe()


def test_relaxation_needs_the_integer_program():
    # every quota is fine on its own, but together they are impossible:
    # the only "jung" people are women, yet at most 1 woman and at least 2 "jung"
    rows = [("w", "jung"), ("w", "jung"), ("m", "alt"), ("m", "alt"), ("m", "alt")]
    quotas = [
        Quota("G", "w", 0, 1, line=2),
        Quota("G", "m", 0, 3, line=3),
        Quota("A", "jung", 2, 3, line=4),
        Quota("A", "alt", 0, 3, line=5),
    ]
    pool = pool_of(rows, quotas, 3)
    assert quota_problems(pool) == []
    report = check_feasibility(TypeModel.build(pool), "q.csv")
    assert not report.feasible
    assert len(report.relaxations) == 1
    r = report.relaxations[0]
    assert (r.bound, r.old, r.new) in {("max", 1, 2), ("min", 2, 1)}
    assert "Zeile" in report.problems[-1].hint


def test_flex_limits_are_respected():
    rows = [("w", "jung"), ("w", "jung"), ("m", "alt"), ("m", "alt"), ("m", "alt")]
    quotas = [
        Quota("G", "w", 0, 1, max_flex=1, line=2),  # the maximum may not be raised
        Quota("G", "m", 0, 3, line=3),
        Quota("A", "jung", 2, 3, min_flex=1, line=4),
        Quota("A", "alt", 0, 3, line=5),
    ]
    report = check_feasibility(TypeModel.build(pool_of(rows, quotas, 3)))
    assert [(r.value, r.bound, r.new) for r in report.relaxations] == [("jung", "min", 1)]


def test_household_rule_can_make_the_panel_impossible():
    rows = [("w", "jung"), ("m", "jung"), ("w", "alt")]
    quotas = {"G": {"w": (0, 3), "m": (0, 3)}, "A": {"jung": (0, 3), "alt": (0, 3)}}
    pool = pool_of(rows, quotas, 3, households=["h", "h", "x"])
    report = check_feasibility(TypeModel.build(pool))
    assert not report.feasible
    assert "2 Haushalten" in report.problems[0].message


def test_feasible_pool_gives_an_example_panel():
    rows = [("w", "jung"), ("m", "jung"), ("w", "alt"), ("m", "alt")]
    quotas = {"G": {"w": (1, 1), "m": (1, 1)}, "A": {"jung": (1, 1), "alt": (1, 1)}}
    types = TypeModel.build(pool_of(rows, quotas, 2, households=[1, 1, 2, 3]))
    report = check_feasibility(types)
    assert report.feasible
    counts = report.example_panel
    assert counts.sum() == 2
    # the household (persons 0 and 1) contributes at most one member
    household_types = {int(types.type_of[0]), int(types.type_of[1])}
    assert sum(int(counts[t]) for t in household_types) <= 1
    assert np.all(counts <= types.cap)


def test_a_suggestion_not_proven_smallest_says_so():
    from gemeinsinn.sortition.feasibility import Relaxation, _relaxation_problem

    relaxation = Relaxation("G", "w", "max", 1, 2, 2)
    proven = _relaxation_problem([relaxation], True, "q.csv", "")
    unproven = _relaxation_problem([relaxation], False, "q.csv", "")
    assert proven.hint.startswith("Kleinste Lockerung, die ein Gremium möglich macht: ")
    assert unproven.hint.startswith("Eine Lockerung, die ein Gremium möglich macht (ob es eine")
    assert "Schrittgrenze" in unproven.hint and "[Zeile 2]" in unproven.hint
