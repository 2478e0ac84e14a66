"""LEXIMIN and MAXIMIN: known optima, an independent brute-force reference, real data."""

import itertools

import highspy
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gemeinsinn.sortition.distribution import expand, panel_problems, verify
from gemeinsinn.sortition.files import load_selection
from gemeinsinn.sortition.leximin import InfeasibleQuotas, solve_leximin
from gemeinsinn.sortition.model import Pool, TypeModel
from gemeinsinn.sortition.synthetic import german_pool


def leximin_people(pool):
    types = TypeModel.build(pool)
    result = solve_leximin(types)
    distribution = expand(result)
    return result, distribution, distribution.marginals(pool.n)


def test_two_levels_known_by_hand():
    # 3 young, 3 old, panel of 3, at most 1 young: young get 1/3, old 2/3
    people = [{"A": "jung"}] * 3 + [{"A": "alt"}] * 3
    pool = Pool.from_records(people, {"A": {"jung": (0, 1), "alt": (2, 3)}}, 3)
    result, distribution, p = leximin_people(pool)
    assert np.allclose(p, [1 / 3] * 3 + [2 / 3] * 3, atol=1e-9)
    assert result.stats["rounds"] == 2
    assert verify(pool, distribution, expected=p) == []


def test_small_example_everyone_one_tenth(shared_data):
    folder = shared_data / "sortition" / "example_small_20"
    loaded = load_selection(folder / "respondents.csv", folder / "categories.csv", 20)
    result, distribution, p = leximin_people(loaded.pool)
    assert p.shape == (200,)
    assert np.max(np.abs(p - 0.1)) < 1e-9
    assert len(distribution.panels) <= 201
    assert verify(loaded.pool, distribution, expected=np.full(200, 0.1), tolerance=1e-9) == []


def test_large_example_everyone_one_tenth(shared_data):
    folder = shared_data / "sortition" / "example_large_200"
    loaded = load_selection(folder / "respondents.csv", folder / "categories.csv", 200)
    result, distribution, p = leximin_people(loaded.pool)
    assert np.max(np.abs(p - 0.1)) < 1e-6
    assert len(distribution.panels) <= 2001
    assert verify(loaded.pool, distribution, expected=np.full(2000, 0.1)) == []


def test_infeasible_quotas_raise():
    pool = Pool.from_records([{"A": "x"}] * 3, {"A": {"x": (2, 2)}}, 3)
    with pytest.raises(InfeasibleQuotas):
        solve_leximin(TypeModel.build(pool))


def test_person_in_no_feasible_panel_gets_zero():
    # one panel place for a woman; A (woman) lives with B, the only man, who must sit
    people = [{"G": "w"}, {"G": "m"}, {"G": "w"}]
    pool = Pool.from_records(
        people, {"G": {"w": (1, 1), "m": (1, 1)}}, 2, households=["h", "h", "x"]
    )
    result, distribution, p = leximin_people(pool)
    assert np.allclose(p, [0.0, 1.0, 1.0])
    assert result.excluded.sum() == 1
    assert distribution.panels == ((1, 2),)


def test_generated_pool_leximin_dominates_maximin():
    generated = german_pool(150, 15, features=5, seed=3)
    pool = generated.pool
    types = TypeModel.build(pool)
    lexi = solve_leximin(types)
    maxi = solve_leximin(types, maximin_only=True)
    p_lexi = types.person_probabilities(lexi.probabilities())
    p_maxi = types.person_probabilities(maxi.probabilities())
    assert p_lexi.min() >= p_maxi.min() - 1e-9
    assert abs(p_lexi.min() - p_maxi.min()) < 1e-7  # the first LEXIMIN level is the MAXIMIN
    # leximin is lexicographically at least as good as maximin in sorted order
    a, b = np.sort(p_lexi), np.sort(p_maxi)
    first = np.flatnonzero(np.abs(a - b) > 1e-7)
    assert len(first) == 0 or a[first[0]] > b[first[0]]
    distribution = expand(lexi)
    assert verify(pool, distribution, expected=p_lexi, tolerance=1e-9) == []
    assert abs(distribution.marginals(pool.n).sum() - 15) < 1e-9
    for panel in distribution.panels:
        assert panel_problems(pool, panel) == []
        households = pool.household[list(panel)]
        assert len(set(households.tolist())) == len(panel)


# --- independent reference: enumerate every panel, fix people one LP at a time ---------


def lp_max(objective, A_panels, fixed, floor, n):
    """max Σ objective·p over distributions on the given panels with p_i ≥ fixed[i]
    (fixed people) and p_i ≥ floor (others); plain dense LP via HiGHS."""
    P = len(A_panels)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    for _ in range(P):
        h.addVar(0.0, inf)
    M = np.zeros((n, P))
    for j, panel in enumerate(A_panels):
        M[list(panel), j] = 1
    h.changeColsCost(P, np.arange(P, dtype=np.int32), -(objective @ M))
    for i in range(n):
        lo = fixed[i] if not np.isnan(fixed[i]) else floor
        idx = np.flatnonzero(M[i]).astype(np.int32)
        h.addRow(lo - 1e-12, inf, len(idx), idx, np.ones(len(idx)))
    h.addRow(1.0, 1.0, P, np.arange(P, dtype=np.int32), np.ones(P))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return -h.getInfo().objective_function_value


def reference_leximin(pool):
    n, k = pool.n, pool.panel_size
    panels = [c for c in itertools.combinations(range(n), k) if not panel_problems(pool, c)]
    if not panels:
        return None
    reachable = np.zeros(n, dtype=bool)
    for c in panels:
        reachable[list(c)] = True
    fixed = np.where(reachable, np.nan, 0.0)
    while np.isnan(fixed).any():
        free = np.isnan(fixed)
        # maximise the minimum of the free people by bisection-free LP: max t
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        inf = highspy.kHighsInf
        P = len(panels)
        for _ in range(P):
            h.addVar(0.0, inf)
        h.addVar(-inf, inf)  # t
        h.changeColCost(P, -1.0)
        for i in range(n):
            idx = [j for j, c in enumerate(panels) if i in c]
            if free[i]:
                h.addRow(
                    0.0,
                    inf,
                    len(idx) + 1,
                    np.array([*idx, P], dtype=np.int32),
                    np.array([1.0] * len(idx) + [-1.0]),
                )
            else:
                h.addRow(
                    fixed[i] - 1e-12,
                    inf,
                    len(idx),
                    np.array(idx, dtype=np.int32),
                    np.ones(len(idx)),
                )
        h.addRow(1.0, 1.0, P, np.arange(P, dtype=np.int32), np.ones(P))
        h.run()
        z = -h.getInfo().objective_function_value
        # fix every free person who cannot get more than z while the others keep z
        for i in np.flatnonzero(free):
            e = np.zeros(n)
            e[i] = 1
            best = lp_max(e, panels, fixed, z - 1e-12, n)
            if best <= z + 1e-9:
                fixed[i] = z
    return fixed


@st.composite
def tiny_pools(draw):
    n = draw(st.integers(4, 8))
    k = draw(st.integers(1, min(4, n - 1)))
    genders = draw(st.lists(st.sampled_from("wm"), min_size=n, max_size=n))
    ages = draw(st.lists(st.sampled_from("jma"), min_size=n, max_size=n))
    quotas = {
        "G": {v: (draw(st.integers(0, 1)), draw(st.integers(1, k))) for v in "wm"},
        "A": {v: (draw(st.integers(0, 1)), draw(st.integers(1, k))) for v in "jma"},
    }
    households = draw(st.lists(st.integers(0, n), min_size=n, max_size=n))
    people = [{"G": g, "A": a} for g, a in zip(genders, ages, strict=True)]
    return Pool.from_records(people, quotas, k, households=households)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_pools())
def test_matches_brute_force_reference(pool):
    expected = reference_leximin(pool)
    types = TypeModel.build(pool)
    if expected is None:
        with pytest.raises(InfeasibleQuotas):
            solve_leximin(types)
        return
    result = solve_leximin(types)
    distribution = expand(result)
    p = distribution.marginals(pool.n)
    assert np.max(np.abs(p - expected)) < 1e-6
    assert verify(pool, distribution, expected=expected) == []
