"""The LP relaxation of a LEXIMIN round: its bound, the face walk's panels, the fallback."""

import numpy as np

from gemeinsinn.sortition import relaxation
from gemeinsinn.sortition.distribution import expand, verify
from gemeinsinn.sortition.leximin import Master, PanelSet, result_distribution, solve_leximin
from gemeinsinn.sortition.model import Pool, TypeModel
from gemeinsinn.sortition.oracle import PanelOracle
from gemeinsinn.sortition.synthetic import german_pool


def generated_types():
    return TypeModel.build(german_pool(150, 15, features=5, seed=3).pool)


def test_walk_panels_reach_the_relaxation_bound():
    types = generated_types()
    oracle = PanelOracle(types)
    everyone = np.ones(types.count, dtype=bool)
    nobody = ~everyone
    relaxed = relaxation.solve_relaxation(oracle, everyone, nobody, np.zeros(types.count))
    found = relaxation.FaceWalk(oracle).panels(relaxed.counts)
    assert len(found) <= types.count + 1
    assert all(oracle.is_feasible(counts) for counts in found)
    panels = PanelSet(types.count)
    for counts in found:
        panels.add(counts)
    z = Master(types, panels, everyone, nobody.copy(), np.zeros(types.count)).solve().z
    maximin = solve_leximin(types, maximin_only=True).stats["levels"][0]
    assert abs(z - relaxed.z) < 1e-9
    assert abs(maximin - relaxed.z) < 1e-9


def test_step_length_stops_at_the_first_bound():
    value = np.array([0.5, 0.5, 2.0])
    direction = np.array([1.0, -0.25, 1.0])
    free = np.array([True, True, False])
    assert relaxation._ratio(value, direction, 0.0, 1.0, free) == 0.5
    assert relaxation._ratio(value, np.zeros(3), 0.0, 1.0, free) == relaxation.INF


def odd_cycle_pool():
    """Three people, any two of whom share a feature value with room for one; a fourth
    fits with everybody; panel of 2. The relaxation gives the three 1/2 each (half of each
    on the panel), but every panel holds one of them: LEXIMIN gives them 1/3."""
    people = [
        {"A": "x", "B": "x", "C": "y"},
        {"A": "y", "B": "x", "C": "x"},
        {"A": "x", "B": "y", "C": "x"},
        {"A": "y", "B": "y", "C": "y"},
    ]
    quotas = {f: {"x": (0, 1), "y": (0, 2)} for f in "ABC"}
    return Pool.from_records(people, quotas, 2)


def test_integrality_gap_is_closed_by_column_generation():
    pool = odd_cycle_pool()
    types = TypeModel.build(pool)
    oracle = PanelOracle(types)
    everyone = np.ones(types.count, dtype=bool)
    relaxed = relaxation.solve_relaxation(oracle, everyone, ~everyone, np.zeros(types.count))
    assert abs(relaxed.z - 0.5) < 1e-7  # the bound is not reached
    result = solve_leximin(types)
    p = expand(result).marginals(pool.n)
    assert np.allclose(p, [1 / 3, 1 / 3, 1 / 3, 1.0], atol=1e-9)


def test_same_result_without_the_face_walk(monkeypatch):
    types = generated_types()
    with_walk = solve_leximin(types)
    monkeypatch.setattr(relaxation.FaceWalk, "panels", lambda self, x: [])
    without = solve_leximin(types)
    assert np.max(np.abs(with_walk.probabilities() - without.probabilities())) < 1e-6
    assert np.max(np.abs(with_walk.target - without.target)) < 1e-6
    pool = types.pool
    distribution = expand(without)
    assert verify(pool, distribution, expected=types.person_probabilities(without.target)) == []


def test_final_distribution_uses_every_panel_when_the_master_lacks_some():
    types = generated_types()
    result = solve_leximin(types)
    active = ~result.excluded
    found = PanelSet(types.count)
    for counts in result.panels:
        found.add(counts)
    one = PanelSet(types.count)
    one.add(result.panels[0])
    master = Master(types, one, active, ~active, np.zeros(types.count))
    matrix, weights = result_distribution(types, master, found, active, result.target)
    p = (weights @ matrix) / types.size
    assert len(matrix) > 1
    assert np.all(p[active] >= result.target[active] - 1e-9)


def test_fixed_duals_prove_the_second_level():
    types = generated_types()
    oracle = PanelOracle(types)
    T = types.count
    everyone = np.ones(T, dtype=bool)
    first = relaxation.solve_relaxation(oracle, everyone, ~everyone, np.zeros(T))
    fixed = first.duals > 1e-6 * first.duals.max()
    target = np.where(fixed, first.z, 0.0)
    second = relaxation.solve_relaxation(oracle, everyone, fixed, target)
    y = np.where(fixed, 0.0, np.clip(second.duals, 0.0, None))
    y /= y.sum()
    w = second.fixed_duals(y)
    assert np.all(w[~fixed] == 0) and np.all(w >= 0) and w.sum() > 0
    bound = oracle.maximize((y + w) / types.size).bound - w @ target
    assert second.z > first.z
    assert bound <= second.z + 1e-11
