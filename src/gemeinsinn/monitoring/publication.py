"""What the public sees: indicator tables per level and year with the city's
confidentiality rules applied. Every page and export reads through this module."""

from dataclasses import dataclass

import numpy as np

from gemeinsinn.analysis import confidentiality
from gemeinsinn.analysis.confidentiality import ConfidentialityRules
from gemeinsinn.analysis.rates import rank_areas
from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.core.models import CityProfile
from gemeinsinn.monitoring.models import Indicator, Value


@dataclass(frozen=True)
class Cell:
    value: float | None  # None when withheld or missing: never published
    text: str  # German formatted number, the suppression mark, or "–" for no data
    suppressed: bool = False


@dataclass(frozen=True)
class Row:
    area: Area
    cell: Cell
    rank: int | None


def decimals(indicator: Indicator) -> int:
    return 0 if indicator.kind == "count" else 1


def _stored(codes: list[str], year: int, areas: list[Area]) -> dict[str, np.ndarray]:
    positions = {a.pk: i for i, a in enumerate(areas)}
    result = {code: np.full(len(areas), np.nan) for code in codes}
    rows = Value.objects.filter(indicator__code__in=codes, year=year, area__in=areas)
    for code, area_id, value in rows.values_list("indicator__code", "area_id", "value"):
        if value is not None:
            result[code][positions[area_id]] = value
    return result


def _population(areas: list[Area]) -> np.ndarray:
    return np.array([a.population if a.population is not None else np.nan for a in areas], float)


def protected_values(
    indicator: Indicator, year: int, areas: list[Area], rules: ConfidentialityRules
) -> tuple[np.ndarray, np.ndarray]:
    """The indicator's publishable values for the areas (NaN = nothing to show) and the
    mask of values withheld for confidentiality."""
    population = _population(areas)
    raw = _stored([indicator.code], year, areas)[indicator.code]
    if indicator.kind == "count":
        known = np.isfinite(raw)
        protected = confidentiality.protect_counts(np.where(known, raw, 0), rules, population)
        return np.where(known, protected.values, np.nan), protected.suppressed & known
    if indicator.is_computed:
        from gemeinsinn.monitoring.services import parse_formula

        terms = parse_formula(indicator.numerator)
        denominator_year = year - 1 if indicator.previous_year_denominator else year
        parts = _stored([code for _sign, code in terms], year, areas)
        numerator = sum(sign * parts[code] for sign, code in terms)
        denominator = _stored([indicator.denominator], denominator_year, areas)[
            indicator.denominator
        ]
        shares = confidentiality.protect_shares(
            np.abs(numerator), denominator, population, rules, indicator.factor
        )
        withheld = shares.suppressed & np.isfinite(raw)
        return np.where(withheld, np.nan, raw), withheld
    small = ~(population >= rules.min_population)
    withheld = small & np.isfinite(raw)
    return np.where(small, np.nan, raw), withheld


def indicator_rows(indicator: Indicator, year: int, level: SpatialLevel) -> list[Row]:
    """One row per area of the level (ordered by key), protected for publication."""
    rules = CityProfile.current().confidentiality_rules()
    areas = list(Area.objects.filter(level=level).order_by("key"))
    values, withheld = protected_values(indicator, year, areas, rules)
    source_suppressed = set(
        Value.objects.filter(
            indicator=indicator, year=year, area__in=areas, flag="suppressed"
        ).values_list("area_id", flat=True)
    )
    ranks = rank_areas(values, higher_is_worse=indicator.higher_is_worse is not False)
    rows = []
    for i, area in enumerate(areas):
        if withheld[i] or area.pk in source_suppressed:
            cell = Cell(None, rules.mark, True)
        elif np.isnan(values[i]):
            cell = Cell(None, "–")
        else:
            text = confidentiality.format_published(values[i], rules, decimals(indicator))
            cell = Cell(float(values[i]), text)
        rows.append(Row(area, cell, int(ranks[i]) if cell.value is not None else None))
    return rows


def area_series(
    area: Area, indicator: Indicator, years: list[int]
) -> list[tuple[int, float | None]]:
    """The area's published values over the years (None where withheld or missing)."""
    rules = CityProfile.current().confidentiality_rules()
    siblings = list(Area.objects.filter(level=area.level).order_by("key"))
    position = next(i for i, a in enumerate(siblings) if a.pk == area.pk)
    series = []
    for year in years:
        values, _withheld = protected_values(indicator, year, siblings, rules)
        value = values[position]
        series.append((year, None if np.isnan(value) else float(value)))
    return series


def city_value(indicator: Indicator, year: int, level: SpatialLevel) -> Cell:
    """The city-wide reference: sum of counts, or sum of numerators over sum of denominators."""
    from gemeinsinn.monitoring.services import city_reference

    value = city_reference(indicator, year, level)
    if value is None:
        return Cell(None, "–")
    rules = CityProfile.current().confidentiality_rules()
    return Cell(value, confidentiality.format_published(value, rules, decimals(indicator)))


def population_cells(level: SpatialLevel) -> dict[int, Cell]:
    """The areas' residents as published: small counts protected like any count."""
    rules = CityProfile.current().confidentiality_rules()
    areas = list(Area.objects.filter(level=level).order_by("key"))
    raw = _population(areas)
    known = np.isfinite(raw)
    protected = confidentiality.protect_counts(
        np.where(known, raw, 0), rules, np.full(len(areas), np.inf)
    )
    cells = {}
    for i, area in enumerate(areas):
        if not known[i]:
            cells[area.pk] = Cell(None, "–")
        elif protected.suppressed[i]:
            cells[area.pk] = Cell(None, rules.mark, True)
        else:
            value = float(protected.values[i])
            cells[area.pk] = Cell(value, confidentiality.format_published(value, rules, 0))
    return cells


def exclusion_text(reason: str, min_population: float) -> str:
    from gemeinsinn.analysis.index import exclusion_labels

    return exclusion_labels(min_population).get(reason or None, "")
