import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gemeinsinn.analysis.classify import ClassScheme
from gemeinsinn.analysis.index import (
    ConstantIndicatorError,
    IndexInputError,
    IndexSettings,
    IndicatorWeight,
    compute_index,
)

NAN = float("nan")
EQUAL = (IndicatorWeight("A"), IndicatorWeight("B"))


def run(values, population=None, ids=None, **overrides):
    count = len(next(iter(values.values())))
    ids = ids or [f"{i:04d}" for i in range(count)]
    population = np.full(count, 1000.0) if population is None else np.asarray(population, float)
    options = {"status": EQUAL} | overrides
    arrays = {code: np.asarray(column, dtype=float) for code, column in values.items()}
    return compute_index(ids, population, arrays, IndexSettings(**options))


def test_index_by_hand():
    # A: mean 2.5, population sd sqrt(1.25); B: mean 25, sd sqrt(125).
    result = run({"A": [1, 2, 3, 4], "B": [10, 40, 30, 20]})
    z_a = (np.array([1, 2, 3, 4]) - 2.5) / np.sqrt(1.25)
    z_b = (np.array([10, 40, 30, 20]) - 25) / np.sqrt(125)
    total = z_a + z_b
    expected = total / np.sqrt(np.mean(total**2))
    np.testing.assert_allclose(result.z["A"], z_a, rtol=1e-14)
    np.testing.assert_allclose(result.status_index, expected, rtol=1e-14)
    assert result.indicator_standards["A"].sd == pytest.approx(np.sqrt(1.25), rel=1e-15)
    assert result.status_sum_standard.sd == pytest.approx(np.sqrt(np.mean(total**2)))
    # The sums are (-3, 1, 1, 1)·2/sqrt(5): the index is -sqrt(3), then 1/sqrt(3) three times.
    third = 1 / np.sqrt(3)
    np.testing.assert_allclose(result.status_index, [-np.sqrt(3), third, third, third])
    assert result.status_class.tolist() == [1, 2, 2, 2]
    assert result.dynamics_index is None and result.dynamics_class is None
    assert result.combined_class == ("1", "2", "2", "2")


def test_exclusion_reasons_labels_and_precedence():
    result = run(
        {"A": [1, 2, 3, 4, 5, 6, NAN, NAN], "B": [3, 1, 4, 1, 5, 9, 2, NAN]},
        population=[1000, NAN, 200, 1000, 1000, 1000, 1000, 100],
        ids=["a", "b", "c", "d", "e", "f", "g", "h"],
        min_population=250,
        exclude=frozenset({"d", "c"}),
    )
    assert result.exclusion_reason == (
        None,
        "missing_population",
        "population_below_minimum",  # also named as outlier: population wins
        "excluded_outlier",
        None,
        None,
        "missing_values",
        "population_below_minimum",  # also missing values
    )
    assert result.exclusion_label[:4] == (
        "gültig",
        "ungültig (EW unbekannt)",
        "ungültig (EW unter 250)",
        "ungültig (Ausreißer)",
    )
    assert result.exclusion_label[6] == "ungültig (Werte fehlen)"
    assert result.included.tolist() == [True, False, False, False, True, True, False, False]
    assert np.isnan(result.status_index[~result.included]).all()
    assert (result.status_class[~result.included] == 0).all()
    assert result.combined_class[1] is None
    # Only the area left out for missing values is warned about, naming area and indicator.
    assert len(result.warnings) == 1
    assert "Gebiet g" in result.warnings[0] and "A" in result.warnings[0]
    assert "B" not in result.warnings[0].split("für")[1].split(".")[0]


def test_standard_uses_only_included_areas():
    result = run({"A": [1, 2, 3, 100], "B": [1, 3, 2, 100]}, population=[500, 500, 500, 10])
    assert result.indicator_standards["A"].mean == 2.0
    assert result.indicator_standards["A"].sd == pytest.approx(np.sqrt(2 / 3))


def test_warning_for_unknown_excluded_id():
    result = run({"A": [1, 2, 3], "B": [3, 1, 2]}, exclude=frozenset({"1234"}))
    assert result.included.all()
    assert "1234" in result.warnings[0] and "führende Nullen" in result.warnings[0]


def test_direction_flips_the_sign():
    worse = run({"A": [1, 5, 2, 8], "B": [4, 1, 3, 3]})
    better = run(
        {"A": [1, 5, 2, 8], "B": [-4, -1, -3, -3]},
        status=(IndicatorWeight("A"), IndicatorWeight("B", higher_is_worse=False)),
    )
    np.testing.assert_allclose(better.status_index, worse.status_index, rtol=1e-13)
    np.testing.assert_allclose(better.z["B"], worse.z["B"], rtol=1e-13)


def test_weights_scale_contributions_and_common_factor_cancels():
    data = {"A": [1, 5, 2, 8, 3], "B": [4, 1, 3, 3, 9]}
    plain = run(data)
    doubled = run(data, status=(IndicatorWeight("A", 2.0), IndicatorWeight("B", 2.0)))
    np.testing.assert_allclose(doubled.status_index, plain.status_index, rtol=1e-13)
    heavy_a = run(data, status=(IndicatorWeight("A", 3.0), IndicatorWeight("B", 1.0)))
    sd_sum = heavy_a.status_sum_standard.sd
    np.testing.assert_allclose(heavy_a.contributions["A"], 3 * heavy_a.z["A"] / sd_sum)
    np.testing.assert_allclose(heavy_a.contributions["B"], heavy_a.z["B"] / sd_sum)


def test_contributions_add_up_with_a_reference_subset():
    rng = np.random.default_rng(7)
    data = {code: rng.normal(size=50) for code in ("A", "B", "C", "D")}
    ids = [f"{i:03d}" for i in range(50)]
    result = run(
        data,
        ids=ids,
        status=(IndicatorWeight("A", 2.0), IndicatorWeight("B", higher_is_worse=False)),
        dynamics=(IndicatorWeight("C"), IndicatorWeight("D", 0.5)),
        reference=frozenset(ids[:20]),
    )
    status_sum = result.contributions["A"] + result.contributions["B"]
    dynamics_sum = result.contributions["C"] + result.contributions["D"]
    np.testing.assert_array_equal(status_sum, result.status_index)
    np.testing.assert_array_equal(dynamics_sum, result.dynamics_index)
    reference = result.in_reference
    assert reference.sum() == 20
    assert abs(result.status_index[reference].mean()) < 1e-14
    assert result.status_index[reference].std() == pytest.approx(1.0, abs=1e-14)
    assert abs(result.status_index.mean()) > 0.01  # the other 30 areas are not centred
    expected_mean_a = data["A"][:20].mean()
    assert result.indicator_standards["A"].mean == pytest.approx(expected_mean_a, rel=1e-14)


def test_reference_areas_outside_the_index_are_dropped_with_a_warning():
    result = run(
        {"A": [1, 2, 3, 4, 5], "B": [2, 1, 4, 3, 5]},
        population=[100, 1000, 1000, 1000, 1000],
        ids=["a", "b", "c", "d", "e"],
        reference=frozenset({"a", "b", "c", "d"}),
    )
    assert result.in_reference.tolist() == [False, True, True, True, False]
    assert "a" in result.warnings[0] and "Referenzgebiete" in result.warnings[0]
    assert result.included[4] and not np.isnan(result.status_index[4])


def test_unknown_reference_area_is_an_error():
    with pytest.raises(IndexInputError, match="Referenzgebiete nicht in den Daten: x"):
        run({"A": [1, 2, 3], "B": [3, 1, 2]}, reference=frozenset({"x", "0001"}))


def test_constant_indicator_is_a_german_error_naming_it():
    with pytest.raises(ConstantIndicatorError, match="Indikator B .*denselben Wert 7"):
        run({"A": [1, 2, 3], "B": [7, 7, 7]})


def test_cancelling_indicators_are_an_error():
    with pytest.raises(IndexInputError, match="heben sich auf"):
        run(
            {"A": [1, 2, 3], "B": [1, 2, 3]},
            status=(IndicatorWeight("A"), IndicatorWeight("B", higher_is_worse=False)),
        )

    # Found by hypothesis: the z-values cancel up to rounding noise (sd of the sum ~1e-16).
    with pytest.raises(IndexInputError, match="heben sich auf"):
        run({"A": [0.0] * 13 + [5.0], "B": [0.0] * 13 + [-1.0]})


def test_constant_up_to_rounding_is_constant():
    with pytest.raises(ConstantIndicatorError, match="Indikator B"):
        run({"A": [1, 2, 3, 4, 5, 6, 7], "B": [0.1] * 7})


@pytest.mark.parametrize(
    ("values", "overrides", "message"),
    [
        ({"A": [1, 2]}, {}, "keine Werte vor"),
        ({"A": [1, 2], "B": [1, 2, 3]}, {}, "3 Werte für 2 Gebiete"),
        ({"A": [1, 2], "B": [2, 1]}, {"status": ()}, "mindestens einen Status"),
        ({"A": [1, 2], "B": [2, 1]}, {"dynamics": (IndicatorWeight("A"),)}, "mehrfach"),
        ({"A": [1, 2], "B": [2, 1]}, {"status": (IndicatorWeight("A", 0.0),)}, "positive"),
        ({"A": [1, 2], "B": [2, 1]}, {"min_population": 5000}, "Zu wenige Referenzgebiete"),
    ],
)
def test_invalid_input_is_refused_in_german(values, overrides, message):
    with pytest.raises(IndexInputError, match=message):
        run(values, **overrides)


def test_duplicate_area_ids_are_refused():
    with pytest.raises(IndexInputError, match="mehrfach vorhanden: a"):
        run({"A": [1, 2, 3], "B": [3, 1, 2]}, ids=["a", "b", "a"])


def test_quantile_classes_and_thresholds_are_reported():
    data = {"A": np.arange(10.0), "B": np.arange(10.0) ** 2, "C": -np.arange(10.0)}
    result = run(
        data,
        status_classes=ClassScheme.quantiles(5),
        dynamics=(IndicatorWeight("C"),),
        dynamics_classes=ClassScheme.quantiles(2),
    )
    assert result.status_class.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert result.dynamics_class.tolist() == [2] * 5 + [1] * 5
    assert len(result.status_thresholds) == 4
    assert result.status_thresholds[0] == result.status_index[1]
    assert result.combined_class[0] == "1/2" and result.combined_class[9] == "5/1"


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=3, max_value=40).flatmap(
        lambda n: st.lists(
            st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n), min_size=2, max_size=4
        )
    ),
    st.lists(st.floats(0.1, 5.0), min_size=4, max_size=4),
)
def test_properties_of_any_index(columns, weights):
    data = {f"I{i}": column for i, column in enumerate(columns)}
    spreads = [np.std(column) for column in columns]
    if min(spreads) < 1e-6 * max(1.0, max(np.abs(c).max() for c in columns)):
        return  # constant indicator: covered by its own test
    status = tuple(IndicatorWeight(code, weights[i]) for i, code in enumerate(data))
    try:
        result = run(data, status=status)
    except ConstantIndicatorError:
        return
    except IndexInputError as error:
        assert "heben sich auf" in str(error)
        return
    total = np.sum([result.contributions[code] for code in data], axis=0)
    np.testing.assert_array_equal(total, result.status_index)
    assert abs(result.status_index.mean()) < 1e-9
    assert result.status_index.std() == pytest.approx(1.0, rel=1e-9)
    assert set(result.status_class.tolist()) <= {1, 2, 3, 4}
