import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gemeinsinn.analysis.confidentiality import (
    ConfidentialityRules,
    format_published,
    protect_counts,
    protect_shares,
)

RULES = ConfidentialityRules()


def test_rules_keep_their_defaults():
    assert (
        ConfidentialityRules(
            min_population=300,
            min_count=3,
            secondary_suppression=True,
            rounding_base=None,
            min_denominator=20,
            mark=".",
        )
        == RULES
    )


def test_primary_suppression_keeps_zero_and_large_counts():
    result = protect_counts([[0, 1, 2, 3]], ConfidentialityRules(secondary_suppression=False))
    assert result.suppressed.tolist() == [[False, True, True, False]]
    assert result.values[0, 0] == 0 and result.values[0, 3] == 3
    assert np.isnan(result.values[0, 1:3]).all()


def test_secondary_suppression_picks_the_smallest_positive_complement():
    counts = np.array(
        [
            [1, 7, 5, 0],
            [9, 8, 6, 4],
            [12, 10, 11, 13],
        ]
    )
    result = protect_counts(counts, RULES)
    # Row 0: the 1 needs a complement; the smallest positive one is the 5 (not the 0).
    # Column 0 then has one withheld cell: its smallest complement is the 9 in row 1;
    # column 2 likewise gets the 6 in row 1; row 1 then holds two withheld cells.
    expected = np.array(
        [
            [True, False, True, False],
            [True, False, True, False],
            [False, False, False, False],
        ]
    )
    np.testing.assert_array_equal(result.suppressed, expected)
    np.testing.assert_array_equal(result.primary, counts == 1)
    assert result.row_totals.tolist() == [13, 27, 46]
    assert result.column_totals.tolist() == [22, 25, 22, 17]


def test_a_zero_is_withheld_only_when_no_positive_complement_is_left():
    result = protect_counts([[1, 5, 9], [8, 0, 9]], RULES)
    # Row 0: 1 needs the 5. Column 1 then holds the 5 and only a 0: the 0 is withheld.
    # Row 1 then needs a positive complement: the 8, which also completes column 0.
    assert result.suppressed.tolist() == [[True, True, False], [True, True, False]]
    assert result.column_totals.tolist() == [9, 5, 18]


def test_complements_cascade_until_stable():
    result = protect_counts([[2, 0, 0], [30, 40, 50], [31, 41, 51]], RULES)
    # Row 0 total 2 is itself small: withheld, so row 0 needs no complement.
    assert np.isnan(result.row_totals[0])
    # Column 0: 30; row 1: 40; column 1: 41 (positive before the 0); row 2: 31.
    assert result.suppressed.tolist() == [
        [True, False, False],
        [True, True, False],
        [True, True, False],
    ]


def test_one_column_list_with_a_city_total():
    counts = np.array([5, 1, 8, 4, 12])
    result = protect_counts(counts, RULES)
    assert result.values.shape == (5,)
    assert result.suppressed.tolist() == [False, True, False, True, False]
    # Each row is a single cell: a withheld cell's row total is withheld with it.
    assert np.isnan(result.row_totals[[1, 3]]).all()
    assert result.column_totals.tolist() == [30]


def test_small_areas_show_nothing():
    result = protect_counts([[10, 20], [30, 40], [50, 60]], RULES, population=[250, 900, np.nan])
    assert result.suppressed.tolist() == [[True, True], [False, False], [True, True]]
    assert np.isnan(result.row_totals[[0, 2]]).all()
    assert result.row_totals[1] == 70
    assert result.column_totals.tolist() == [90, 120]


def test_rounding_to_a_base():
    rules = ConfidentialityRules(rounding_base=5, secondary_suppression=False)
    result = protect_counts([[0, 2, 7, 12, 13, 150]], rules)
    assert result.values[0, 0] == 0
    assert np.isnan(result.values[0, 1])
    assert result.values[0, 2:].tolist() == [5, 10, 15, 150]
    assert result.row_totals.tolist() == [185]  # 184 rounded


def test_invalid_counts_are_refused_in_german():
    with pytest.raises(ValueError, match="ganze Zahlen"):
        protect_counts([[1.5, 2]], RULES)
    with pytest.raises(ValueError, match="ganze Zahlen"):
        protect_counts([[np.nan, 2]], RULES)
    with pytest.raises(ValueError, match="Einwohnerzahlen für 2 Gebiete"):
        protect_counts([[1], [2]], RULES, population=[500])


def test_shares_with_small_denominator_or_numerator_are_withheld():
    result = protect_shares(
        numerators=[5, 5, 2, 0, 30, 7],
        denominators=[100, 19, 100, 50, 600, 0],
        population=[1000, 1000, 1000, 1000, 200, 1000],
        rules=RULES,
    )
    assert result.suppressed.tolist() == [False, True, True, False, True, True]
    assert result.values[0] == 5.0 and result.values[3] == 0.0
    assert np.isnan(result.values[result.suppressed]).all()


def test_per_mille_shares():
    result = protect_shares([30], [600], [1000], RULES, factor=1000)
    assert result.values.tolist() == [50.0]


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (0.0, 0, "0"),
        (-3.25, 2, "-3,25"),
        (float("nan"), 0, "."),
        (None, 1, "."),
    ],
)
def test_german_number_format_and_mark(value, decimals, text):
    assert format_published(value, RULES, decimals) == text


def test_custom_mark_is_used_never_zero():
    result = protect_counts([[1, 9, 9]], ConfidentialityRules(mark="*"))
    cells = [format_published(v, ConfidentialityRules(mark="*")) for v in result.values[0]]
    assert cells == ["*", "*", "9"]


tables = hnp.arrays(
    dtype=np.int64,
    shape=hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=7),
    elements=st.integers(0, 12),
)


@settings(max_examples=300, deadline=None)
@given(tables, st.integers(2, 4), st.data())
def test_no_withheld_cell_can_be_recovered_from_one_total(counts, min_count, data):
    rows = counts.shape[0]
    population = data.draw(
        st.none() | hnp.arrays(np.float64, rows, elements=st.sampled_from([100.0, 5000.0]))
    )
    rules = ConfidentialityRules(min_count=min_count)
    result = protect_counts(counts, rules, population)
    withheld = result.suppressed
    # Every line whose total is published holds zero or at least two withheld cells.
    row_counts = withheld.sum(axis=1)[np.isfinite(result.row_totals)]
    column_counts = withheld.sum(axis=0)[np.isfinite(result.column_totals)]
    assert not (row_counts == 1).any()
    assert not (column_counts == 1).any()
    # Published cells are unchanged, withheld ones are NaN, small counts are all withheld.
    np.testing.assert_array_equal(result.values[~withheld], counts[~withheld])
    assert np.isnan(result.values[withheld]).all()
    assert withheld[(counts >= 1) & (counts < min_count)].all()
    # Totals that are published are the true totals.
    shown = np.isfinite(result.row_totals)
    np.testing.assert_array_equal(result.row_totals[shown], counts.sum(axis=1)[shown])
    assert result.primary.sum() <= withheld.sum()


@settings(max_examples=200, deadline=None)
@given(tables, st.sampled_from([3, 5, 10]))
def test_rounding_stays_within_half_a_base(counts, base):
    rules = ConfidentialityRules(rounding_base=base)
    result = protect_counts(counts, rules)
    shown = ~result.suppressed
    assert (result.values[shown] % base == 0).all()
    assert (np.abs(result.values[shown] - counts[shown]) <= base / 2).all()
