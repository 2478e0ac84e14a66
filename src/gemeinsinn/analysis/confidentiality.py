"""Statistical confidentiality for published small-area numbers (see docs/methods.md).

Rules, in the order they are applied:

1. Areas (rows) below ``min_population`` (or with unknown population) show nothing.
2. Primary suppression: counts 1 … ``min_count``−1 are withheld; 0 is shown as 0.
3. Secondary suppression (``secondary_suppression=True``): row and column totals are
   published, so a line (row or column) with a published total must never hold exactly one
   withheld cell. In such a line the smallest complementary cell is withheld as well
   (the smallest positive count; a 0 only when no positive count is left; ties: the first
   cell). This repeats until no line changes. A line total is withheld instead when it is a
   small count itself or when the line has no cell left to complement (a one-cell line).
4. Optional rounding of published counts and totals to a base (3, 5 or 10; halves upwards).
5. Shares whose denominator is below ``min_denominator`` are withheld, and so are shares
   whose numerator is a withheld small count (with a known denominator the share would
   give the count away).

Withheld cells are NaN in the returned arrays and are printed with ``rules.mark``, never 0.
"""

from dataclasses import dataclass

import numpy as np

from gemeinsinn.analysis.number_text import format_decimal
from gemeinsinn.analysis.rates import PERCENT, share


@dataclass(frozen=True)
class ConfidentialityRules:
    min_population: int = 300
    min_count: int = 3
    secondary_suppression: bool = True
    rounding_base: int | None = None
    min_denominator: int = 20
    mark: str = "."


@dataclass(frozen=True)
class ProtectedCounts:
    """A count table ready to publish: NaN where withheld.

    ``values`` has the shape of the input (areas × categories); ``suppressed`` marks all
    withheld cells and ``primary`` those withheld for their own sake (small count or small
    area). ``row_totals`` and ``column_totals`` are the published margins (NaN = withheld).
    """

    values: np.ndarray
    suppressed: np.ndarray
    primary: np.ndarray
    row_totals: np.ndarray
    column_totals: np.ndarray


@dataclass(frozen=True)
class ProtectedShares:
    values: np.ndarray  # NaN where withheld or not computable
    suppressed: np.ndarray  # bool: withheld for confidentiality


def protect_counts(
    counts: np.ndarray,
    rules: ConfidentialityRules,
    population: np.ndarray | None = None,
) -> ProtectedCounts:
    """Apply the rules to a table of counts (rows = areas; a 1-D array is one column).

    The cell arrays of the result have the shape of ``counts``.
    """
    table = _checked_counts(counts)
    small_area = _small_areas(population, table.shape[0], rules)
    primary = _is_small_count(table, rules) | small_area[:, None]
    suppressed = primary.copy()
    row_totals = table.sum(axis=1)
    column_totals = table.sum(axis=0)
    row_open = ~(small_area | _is_small_count(row_totals, rules))
    column_open = ~_is_small_count(column_totals, rules)
    if rules.secondary_suppression:
        _suppress_complements(table, suppressed, row_open, column_open)
    shape = np.shape(counts)
    return ProtectedCounts(
        values=_published(table, suppressed, rules).reshape(shape),
        suppressed=suppressed.reshape(shape),
        primary=primary.reshape(shape),
        row_totals=_published(row_totals, ~row_open, rules),
        column_totals=_published(column_totals, ~column_open, rules),
    )


def protect_shares(
    numerators: np.ndarray,
    denominators: np.ndarray,
    population: np.ndarray,
    rules: ConfidentialityRules,
    factor: float = PERCENT,
) -> ProtectedShares:
    """Shares per area (numerator/denominator·factor) with the confidentiality rules applied."""
    numerators = np.asarray(numerators, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    small_area = _small_areas(population, numerators.size, rules)
    small_denominator = ~(denominators >= rules.min_denominator)  # NaN counts as small
    suppressed = small_area | small_denominator | _is_small_count(numerators, rules)
    values = np.where(suppressed, np.nan, share(numerators, denominators, factor))
    return ProtectedShares(values=values, suppressed=suppressed)


def format_published(value: float, rules: ConfidentialityRules, decimals: int = 0) -> str:
    """A published cell in German number format ("1.234,5"); the mark for a withheld cell."""
    if value is None or not np.isfinite(value):
        return rules.mark
    return format_decimal(value, decimals)


def _suppress_complements(
    table: np.ndarray, suppressed: np.ndarray, row_open: np.ndarray, column_open: np.ndarray
) -> None:
    """Withhold complementary cells (in place) until no open line has one withheld cell."""
    changed = True
    while changed:
        changed = _complete_lines(table, suppressed, row_open)
        changed |= _complete_lines(table.T, suppressed.T, column_open)


def _complete_lines(table: np.ndarray, suppressed: np.ndarray, line_open: np.ndarray) -> bool:
    """One pass over the rows of ``table`` (pass transposed views for the columns)."""
    changed = False
    for line in np.flatnonzero(line_open & (suppressed.sum(axis=1) == 1)):
        candidates = np.flatnonzero(~suppressed[line])
        if candidates.size == 0:
            line_open[line] = False  # a one-cell line: its total would reveal the cell
            continue
        cells = table[line, candidates]
        positive = cells > 0
        pool = candidates[positive] if positive.any() else candidates
        suppressed[line, pool[np.argmin(table[line, pool])]] = True
        changed = True
    return changed


def _published(values: np.ndarray, withheld: np.ndarray, rules: ConfidentialityRules) -> np.ndarray:
    shown = values.astype(float)
    if rules.rounding_base:
        shown = np.floor(shown / rules.rounding_base + 0.5) * rules.rounding_base
    return np.where(withheld, np.nan, shown)


def _is_small_count(counts: np.ndarray, rules: ConfidentialityRules) -> np.ndarray:
    return (counts >= 1) & (counts < rules.min_count)


def _small_areas(population: np.ndarray | None, rows: int, rules: ConfidentialityRules):
    if population is None:
        return np.zeros(rows, dtype=bool)
    population = np.asarray(population, dtype=float)
    if population.shape != (rows,):
        raise ValueError(
            f"Geheimhaltung: {population.size} Einwohnerzahlen für {rows} Gebiete. "
            "Bitte je Gebiet genau eine Einwohnerzahl angeben."
        )
    return ~(population >= rules.min_population)  # unknown population counts as small


def _checked_counts(counts: np.ndarray) -> np.ndarray:
    table = np.asarray(counts, dtype=float)
    if table.ndim == 1:
        table = table[:, None]
    if table.ndim != 2:
        raise ValueError("Geheimhaltung: erwartet wird eine Tabelle (Gebiete × Merkmale).")
    if not np.isfinite(table).all() or (table < 0).any() or (table != np.round(table)).any():
        raise ValueError(
            "Geheimhaltung: Fallzahlen müssen ganze Zahlen ≥ 0 sein, ohne Lücken. "
            "Bitte fehlende oder gebrochene Werte in der Tabelle prüfen."
        )
    return table
