"""Change over time per area: differences in percentage points and least-squares trends."""

from collections.abc import Sequence

import numpy as np


def change_in_points(earlier: np.ndarray, later: np.ndarray) -> np.ndarray:
    """Change of a share between two years in percentage points (later − earlier); NaN stays."""
    return np.asarray(later, dtype=float) - np.asarray(earlier, dtype=float)


def trend_slopes(years: Sequence[float], values: np.ndarray) -> np.ndarray:
    """Least-squares slope per area (units per year) over the years with a known value.

    ``values`` has one row per area and one column per year (aligned with ``years``); NaN
    marks a missing year and is left out of that area's fit. The slope is NaN for areas
    with fewer than two known years. Vectorised: no loop over areas.
    """
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] != years.size:
        raise ValueError(
            f"Trend: {values.shape} Werte passen nicht zu {years.size} Jahren. Erwartet wird "
            "eine Zeile je Gebiet und eine Spalte je Jahr."
        )
    known = np.isfinite(values)
    count = known.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_year = (known * years).sum(axis=1) / count
        mean_value = np.where(known, values, 0.0).sum(axis=1) / count
        year_offset = np.where(known, years - mean_year[:, None], 0.0)
        value_offset = np.where(known, values - mean_value[:, None], 0.0)
        spread = (year_offset**2).sum(axis=1)
        slopes = (year_offset * value_offset).sum(axis=1) / spread
    return np.where((count >= 2) & (spread > 0), slopes, np.nan)
