import numpy as np
import pytest

from gemeinsinn.analysis.classify import (
    MSS_DYNAMICS_CLASSES,
    MSS_STATUS_CLASSES,
    ClassScheme,
    combined_labels,
    mss_publisher_codes,
)

NAN = float("nan")


def test_mss_status_boundaries_follow_the_published_inclusion():
    values = [-1.0000001, -1.0, 1.0, 1.0000001, 1.5, 1.5000001, NAN]
    assert MSS_STATUS_CLASSES.classify(values).tolist() == [1, 2, 2, 3, 3, 4, 0]


def test_mss_dynamics_boundaries_follow_the_published_inclusion():
    values = [-1.0001, -1.0, 0.0, 1.0, 1.0001]
    assert MSS_DYNAMICS_CLASSES.classify(values).tolist() == [1, 2, 2, 2, 3]


def test_unrounded_values_are_classified():
    # -1.0047 prints as -1,00 but is below -1: class 1 "hoch", not 2.
    assert MSS_STATUS_CLASSES.classify([-1.0047, round(-1.0047, 2)]).tolist() == [1, 2]


def test_labels_of_classes():
    labels = MSS_STATUS_CLASSES.label_of(np.array([1, 2, 3, 4, 0]))
    assert labels.tolist() == ["hoch", "mittel", "niedrig", "sehr niedrig", None]


def test_quantile_classes_split_the_reference_evenly():
    scheme = ClassScheme.quantiles(5)
    values = np.arange(1.0, 11.0)
    assert scheme.classify(values, values).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert scheme.thresholds_for(values) == (2.0, 4.0, 6.0, 8.0)


def test_quantile_ties_go_to_the_lower_class_whatever_the_order():
    scheme = ClassScheme.quantiles(2)
    values = np.array([1.0, 2.0, 2.0, 2.0, 3.0, 4.0])
    assert scheme.classify(values, values).tolist() == [1, 1, 1, 1, 2, 2]
    shuffled = values[[4, 2, 0, 5, 1, 3]]
    assert scheme.classify(shuffled, shuffled).tolist() == [2, 1, 1, 2, 1, 1]


def test_quantile_classes_apply_reference_bounds_to_other_values():
    scheme = ClassScheme.quantiles(4)
    reference = np.array([0.0, 1.0, 2.0, 3.0])
    assert scheme.classify([-5.0, 0.5, 2.0, 9.0, NAN], reference).tolist() == [1, 2, 3, 4, 0]


def test_quantile_classes_need_reference_values():
    with pytest.raises(ValueError, match="Referenzwerte"):
        ClassScheme.quantiles(3).classify([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="mindestens 3 Referenzwerte"):
        ClassScheme.quantiles(3).classify([1.0], [1.0, 2.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"labels": ("a",)}, "mindestens zwei Klassen"),
        ({"labels": ("a", "b"), "thresholds": (0.0, 1.0)}, "brauchen 1 Grenzwerte"),
        (
            {
                "labels": ("a", "b", "c"),
                "thresholds": (1.0, 0.0),
                "lower_class_includes_threshold": (True, True),
            },
            "streng aufsteigend",
        ),
        ({"labels": ("a", "b"), "thresholds": (0.0,)}, "unteren Klasse"),
        ({"labels": ("a", "b"), "symbols": ("+",)}, "Kurzzeichen"),
    ],
)
def test_invalid_schemes_are_refused_in_german(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ClassScheme(**kwargs)


def test_combined_labels_use_status_number_and_dynamics_sign():
    status = np.array([1, 2, 4, 3, 0])
    dynamics = np.array([1, 2, 3, 2, 0])
    assert combined_labels(status, dynamics) == ["1+", "2+/-", "4-", "3+/-", None]


def test_combined_labels_without_symbols_or_dynamics():
    plain = ClassScheme.quantiles(3)
    assert combined_labels(np.array([1, 2]), np.array([3, 1]), plain) == ["1/3", "2/1"]
    assert combined_labels(np.array([2, 0, 4]), None) == ["2", None, "4"]


def test_publisher_codes():
    codes = mss_publisher_codes(np.array([1, 2, 4, 0]), np.array([1, 2, 3, 0]))
    assert codes.status.tolist() == [1, 2, 4, 0]
    assert codes.dynamics.tolist() == [1, 3, 5, 0]
    assert codes.combined.tolist() == [11, 23, 45, 0]


def test_quantile_labels_must_match_the_class_count():
    assert ClassScheme.quantiles(2, ("unten", "oben")).labels == ("unten", "oben")
    with pytest.raises(ValueError, match="3 Klassen, aber 2 Bezeichnungen"):
        ClassScheme.quantiles(3, ("unten", "oben"))
