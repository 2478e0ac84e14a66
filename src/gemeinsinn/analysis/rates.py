"""Shares, city-wide reference values and rankings of areas.

All functions are vectorised over areas (aligned 1-D arrays) and treat NaN as "unknown".
"""

import numpy as np

PERCENT = 100.0
PER_MILLE = 1000.0


def share(numerator: np.ndarray, denominator: np.ndarray, factor: float = PERCENT) -> np.ndarray:
    """numerator / denominator · factor per area; NaN where the denominator is 0 or unknown."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    valid = np.isfinite(denominator) & (denominator != 0)
    safe = np.where(valid, denominator, 1.0)
    return np.where(valid, numerator / safe * factor, np.nan)


def pooled_share(numerator: np.ndarray, denominator: np.ndarray, factor: float = PERCENT) -> float:
    """City-wide reference value: Σ numerators / Σ denominators · factor.

    Sums over the areas where both numerator and denominator are known; this is the share
    of the whole city (large areas weigh more). NaN when the summed denominator is 0.
    """
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    known = np.isfinite(numerator) & np.isfinite(denominator)
    return float(share(numerator[known].sum(), denominator[known].sum(), factor))


def unweighted_mean_share(
    numerator: np.ndarray, denominator: np.ndarray, factor: float = PERCENT
) -> float:
    """The plain mean of the area shares (every area counts once, whatever its size).

    Differs from :func:`pooled_share` whenever small and large areas have different shares;
    NaN when no area has a share.
    """
    shares = share(numerator, denominator, factor)
    known = shares[np.isfinite(shares)]
    return float(known.mean()) if known.size else float("nan")


def rank_areas(values: np.ndarray, higher_is_worse: bool = True) -> np.ndarray:
    """Rank 1 = most disadvantaged area; equal values share the best rank ("1, 2, 2, 4").

    The result is an int array aligned with ``values``; 0 where a value is unknown. Ties are
    deterministic: they depend only on the values, never on the order of the areas.
    """
    values = np.asarray(values, dtype=float)
    known = np.isfinite(values)
    keys = -values[known] if higher_is_worse else values[known]
    ordered = np.sort(keys)
    ranks = np.zeros(values.shape, dtype=np.int64)
    ranks[known] = np.searchsorted(ordered, keys, side="left") + 1
    return ranks
