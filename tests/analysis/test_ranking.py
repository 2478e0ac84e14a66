"""The need ranking core: numbers computed by hand.

Three areas A, B, C. Component X (weight 2, high = more need): 10, 20, 30 → mean 20,
population sd √(200/3) = 8.16497, z = −1.224745, 0, +1.224745.
Component Y (weight 1, high = less need): 1, 1, 4 → mean 2, sd √2, z = −0.707107, −0.707107,
+1.414214; directed −z. Score = (2·zX − zY) / 3:
A (−2.449490 + 0.707107) / 3 = −0.580794, B 0.707107 / 3 = 0.235702,
C (2.449490 − 1.414214) / 3 = 0.345092 → ranks C 1, B 2, A 3.
"""

import numpy as np
import pytest

from gemeinsinn.analysis.ranking import (
    Component,
    RankingInputError,
    Shown,
    compute_ranking,
    explain,
    format_number,
    format_sigma,
)

X = Component("x", "Kinderarmut", np.array([10.0, 20.0, 30.0]), 2.0, True)
Y = Component("y", "Zufriedenheit", np.array([1.0, 1.0, 4.0]), 1.0, False)


def test_scores_ranks_and_contributions_by_hand():
    result = compute_ranking(["A", "B", "C"], [X, Y])
    assert result.score == pytest.approx([-0.580794, 0.235702, 0.345092], abs=1e-6)
    assert result.rank.tolist() == [3, 2, 1]
    assert result.z["x"] == pytest.approx([-1.224745, 0.0, 1.224745], abs=1e-6)
    assert result.z["y"] == pytest.approx([-0.707107, -0.707107, 1.414214], abs=1e-6)
    assert result.contributions["y"] == pytest.approx([0.235702, 0.235702, -0.471405], abs=1e-6)
    total = result.contributions["x"] + result.contributions["y"]
    assert total == pytest.approx(result.score)
    assert result.standards["x"].sd == pytest.approx(8.164966, abs=1e-6)


def test_top_contributions_only_those_raising_the_need():
    result = compute_ranking(["A", "B", "C"], [X, Y])
    top_c = result.top(2)
    assert [part.code for part in top_c] == ["x"]  # Y is high in C, which means less need
    assert top_c[0].share == pytest.approx(2 * 1.224745 / 3, abs=1e-6)
    assert [part.code for part in result.top(0)] == ["y"]


def test_weight_zero_leaves_a_component_out():
    result = compute_ranking(["A", "B", "C"], [X, Component("y", "Y", Y.values, 0.0, False)])
    assert result.codes == ("x",)
    assert result.score == pytest.approx([-1.224745, 0.0, 1.224745], abs=1e-6)


def test_missing_value_counts_as_the_mean_and_is_reported():
    values = np.array([10.0, np.nan, 30.0])
    result = compute_ranking(["A", "B", "C"], [Component("x", "X", values), Y])
    # X over A and C only: mean 20, sd 10, z = −1, +1; B gets 0 from X
    assert result.z["x"][[0, 2]] == pytest.approx([-1.0, 1.0])
    assert result.score[1] == pytest.approx(0.707107 / 2, abs=1e-6)
    assert result.missing(1) == ["x"]


def test_area_without_any_value_is_not_ranked():
    result = compute_ranking(["A", "B", "C"], [Component("x", "X", np.array([1.0, np.nan, 3.0]))])
    assert np.isnan(result.score[1]) and result.rank.tolist() == [2, 0, 1]


def test_constant_component_is_reported_and_adds_nothing():
    flat = Component("f", "Gleichförmig", np.array([5.0, 5.0, 5.0]))
    result = compute_ranking(["A", "B", "C"], [X, flat])
    assert any("Gleichförmig" in w for w in result.warnings)
    assert result.contributions["f"] == pytest.approx([0, 0, 0])
    assert result.score == pytest.approx(2 / 3 * np.array([-1.224745, 0, 1.224745]), abs=1e-6)


def test_ties_share_a_rank():
    result = compute_ranking(["A", "B", "C"], [Component("x", "X", np.array([2.0, 2.0, 1.0]))])
    assert result.rank.tolist() == [1, 1, 3]


@pytest.mark.parametrize(
    ("components", "message"),
    [
        ([Component("x", "X", np.array([1.0, 2.0]), -1.0)], "ab 0"),
        ([Component("x", "X", np.array([1.0, 2.0]), 0.0)], "Alle Gewichte sind 0"),
        ([Component("x", "X", np.array([1.0]))], "1 Werte für 2 Gebiete"),
        ([Component("x", "X", np.array([1.0, 2.0])), Component("x", "X", np.ones(2))], "mehrfach"),
    ],
)
def test_bad_input_is_refused_in_german(components, message):
    with pytest.raises(RankingInputError, match=message):
        compute_ranking(["A", "B"], components)


def test_explanation_in_plain_german():
    result = compute_ranking(["A", "B", "C"], [X, Y])
    parts = [(part, Shown("Kinderarmut", "30,0 %", "20,0 %")) for part in result.top(2)]
    assert explain(1, parts) == (
        "Rang 1: Kinderarmut hoch (+1,2 σ; 30,0 % gegenüber 20,0 % im Mittel)"
    )
    low = [(part, Shown("Zufriedenheit", ".")) for part in result.top(0)]
    assert explain(3, low) == "Rang 3: Zufriedenheit niedrig (−0,7 σ; .)"
    assert explain(2, []).startswith("Rang 2: kein Bestandteil")


def test_german_numbers():
    assert format_number(-1234.56, 1) == "−1.234,6"
    assert format_number(-0.01, 1) == "0,0"
    assert format_sigma(2.14) == "+2,1 σ"
    assert format_sigma(-0.04) == "0,0 σ"
