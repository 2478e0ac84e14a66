import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gemeinsinn.analysis.rates import (
    PER_MILLE,
    pooled_share,
    rank_areas,
    share,
    unweighted_mean_share,
)
from gemeinsinn.analysis.trends import change_in_points, trend_slopes

NAN = float("nan")


def test_share_in_percent_and_per_mille():
    np.testing.assert_array_equal(share([1, 3], [4, 8]), [25.0, 37.5])
    np.testing.assert_array_equal(share([3], [4], PER_MILLE), [750.0])


def test_share_is_nan_without_a_denominator():
    result = share([1, 2, 3, NAN], [0, NAN, 6, 10])
    assert np.isnan(result[[0, 1, 3]]).all() and result[2] == 50.0


def test_pooled_and_unweighted_reference_values_differ():
    # A small area with a high share and a large one with a low share.
    numerators = np.array([50, 100, 7])
    denominators = np.array([100, 1000, NAN])
    assert pooled_share(numerators, denominators) == pytest.approx(150 / 1100 * 100)
    assert unweighted_mean_share(numerators, denominators) == pytest.approx(30.0)
    assert np.isnan(unweighted_mean_share([1], [0]))
    assert np.isnan(pooled_share([1], [0]))


def test_rank_one_is_most_disadvantaged_and_ties_share_a_rank():
    values = np.array([3.0, 9.0, NAN, 9.0, 1.0])
    assert rank_areas(values).tolist() == [3, 1, 0, 1, 4]
    assert rank_areas(values, higher_is_worse=False).tolist() == [2, 3, 0, 3, 1]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=30), st.randoms())
def test_ranks_do_not_depend_on_the_order_of_areas(values, random):
    values = np.array(values, dtype=float)
    order = list(range(values.size))
    random.shuffle(order)
    ranks = rank_areas(values)
    assert rank_areas(values[order]).tolist() == ranks[order].tolist()
    assert ranks.min() == 1
    # Competition ranking: the rank is 1 + the number of strictly worse areas.
    expected = [1 + int((values > v).sum()) for v in values]
    assert ranks.tolist() == expected


def test_change_in_percentage_points():
    np.testing.assert_allclose(
        change_in_points([10.0, 5.5, NAN], [12.5, 5.0, 3.0]), [2.5, -0.5, NAN]
    )


def test_trend_slopes_per_area_with_gaps():
    years = [2015, 2017, 2019, 2021]
    values = np.array(
        [
            [10.0, 12.0, 14.0, 16.0],  # +1 per year
            [8.0, NAN, 8.0, 5.0],  # fit over three points
            [NAN, NAN, 7.0, NAN],  # one point: no trend
            [4.0, 4.0, 4.0, 4.0],
        ]
    )
    slopes = trend_slopes(years, values)
    assert slopes[0] == pytest.approx(1.0)
    expected = np.polyfit([2015, 2019, 2021], [8.0, 8.0, 5.0], 1)[0]
    assert slopes[1] == pytest.approx(expected)
    assert np.isnan(slopes[2])
    assert slopes[3] == 0.0


def test_trend_shape_mismatch_is_a_german_error():
    with pytest.raises(ValueError, match="eine Spalte je Jahr"):
        trend_slopes([2020, 2021], np.zeros((3, 3)))


def test_trend_matches_polyfit_on_random_data():
    rng = np.random.default_rng(3)
    years = np.arange(2012, 2022)
    values = rng.normal(size=(200, years.size))
    expected = np.polyfit(years, values.T, 1)[0]
    np.testing.assert_allclose(trend_slopes(years, values), expected, rtol=1e-9, atol=1e-12)
