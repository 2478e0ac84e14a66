"""Residents and social statistics of Musterstadt, per Sozialraum and year.

The model has three layers:

- a smooth *deprivation field* over the city: two strong Gaussian hot spots (the old
  quarters around the station inside the Fördergebiet, and the large housing estate
  "Heidesiedlung" at the north-western edge), a weaker one at the harbour, and two
  affluent slopes; every poverty, labour-market, family, migration and education
  probability is a function of it, so they correlate and cluster in space;
- a *character* per Stadtteil (centre, new development, village …) for age structure,
  density and mobility, and *trends* per Sozialraum (the new development and the
  harbour improve, the estate gets worse) so the index dynamics have all classes;
- *counts* drawn as expected value × a little multiplicative noise, then nested so
  every consistency rule holds by construction (sub-groups are drawn from their
  super-group, never the other way round).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gemeinsinn.monitoring.default_catalogue import COUNTS

from .geography import DISTRICTS, Unit
from .model import DemoStatistics

YEARS = (2021, 2022, 2023, 2024, 2025)
TARGET_POPULATION = 120_000  # residents in the latest year
# school statistics suppressed small counts at the source in the oldest year
SOURCE_SUPPRESSED = {2021: ("ohne_abschluss", "sprachfoerderbedarf")}

# character: (u15 shift, 65+ shift, young adults factor, density factor, mobility shift)
CHARACTERS = {
    "zentrum": (-0.025, -0.05, 1.7, 1.6, 0.035),
    "alt": (0.0, -0.01, 1.15, 1.25, 0.015),
    "neubau": (0.03, -0.08, 1.2, 1.1, 0.04),
    "hafen": (-0.015, -0.04, 1.35, 0.8, 0.03),
    "gemischt": (0.0, 0.0, 1.0, 1.0, 0.0),
    "familie": (0.025, -0.02, 0.9, 0.9, -0.005),
    "gehoben": (-0.005, 0.05, 0.85, 0.55, -0.015),
    "siedlung": (0.02, 0.0, 1.1, 1.0, 0.01),
    "dorf": (0.0, 0.04, 0.85, 0.45, -0.02),
}
SMALL_AREA_RESIDENTS = {"hafen": 140, "gewerbe": 230, "park": 45}


@dataclass(frozen=True)
class Hotspot:
    centre: tuple[float, float]
    sigma: float  # metres
    amplitude: float


def deprivation_field(units: list[Unit], foerder_centre: tuple[float, float]) -> list[Hotspot]:
    estate = next(u for u in units if u.role == "grosssiedlung").centroid
    by_name = {spec.name: spec for spec in DISTRICTS}
    return [
        Hotspot(foerder_centre, 1300.0, 0.58),
        Hotspot(estate, 1400.0, 0.66),
        Hotspot(by_name["Hafen"].centre, 900.0, 0.22),
        Hotspot(by_name["Am Hang"].centre, 1600.0, -0.12),
        Hotspot(by_name["Mühlenberg"].centre, 1600.0, -0.10),
    ]


def _field(hotspots: list[Hotspot], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    value = np.full_like(x, 0.15)
    for spot in hotspots:
        r2 = (x - spot.centre[0]) ** 2 + (y - spot.centre[1]) ** 2
        value += spot.amplitude * np.exp(-r2 / (2.0 * spot.sigma**2))
    return value


def _draw(rng: np.random.Generator, n: np.ndarray, p: np.ndarray, noise: float) -> np.ndarray:
    """A sub-count of n with expected share p: n·p times a little log-normal noise,
    rounded and kept within 0..n."""
    p = np.clip(p, 0.0, 1.0)
    expected = n * p * np.exp(rng.normal(0.0, noise, size=n.shape))
    return np.clip(np.rint(expected), 0, n).astype(np.int64)


def build(
    units: list[Unit],
    foerder_centre: tuple[float, float],
    rng: np.random.Generator,
    supply_rng: np.random.Generator,
) -> DemoStatistics:
    """The statistics; the supply of social services is drawn from its own generator so that
    adding it left every other demo number as it was."""
    n = len(units)
    xy = np.array([u.centroid for u in units])
    area_km2 = np.array([u.polygon.area / 1e6 for u in units])
    characters = [DISTRICTS[u.district].character for u in units]
    shift = np.array([CHARACTERS[c] for c in characters])
    s15_shift, s65_shift, young, density_factor, mobility_shift = shift.T
    roles = [u.role for u in units]
    small = np.array([role in SMALL_AREA_RESIDENTS for role in roles])

    # --- deprivation in the latest year, and its trend per year -----------------------
    hotspots = deprivation_field(units, foerder_centre)
    deprivation = _field(hotspots, xy[:, 0], xy[:, 1]) + rng.normal(0.0, 0.025, n)
    trend = rng.normal(0.0, 0.004, n)
    for i, unit in enumerate(units):
        name = DISTRICTS[unit.district].name
        if characters[i] == "neubau":
            trend[i] -= 0.035  # new housing, new residents: improving
        elif name == "Hafen" and not roles[i]:
            trend[i] -= 0.022  # harbour redevelopment
        elif name == "Heide":
            trend[i] += 0.03 if roles[i] == "grosssiedlung" else 0.018  # estate declining
        elif name == "Nordstadt":
            trend[i] += 0.008
    deprivation = np.clip(deprivation, 0.02, 0.95)

    # --- residents in the latest year -----------------------------------------------
    radius = np.hypot(xy[:, 0], xy[:, 1])
    density = (1500.0 + 4500.0 * np.exp(-(radius**2) / (2.0 * 2600.0**2))) * density_factor
    density *= np.array([2.6 if role == "grosssiedlung" else 1.0 for role in roles])
    density *= np.exp(rng.normal(0.0, 0.12, n))
    residents = density * area_km2
    fixed = np.array([SMALL_AREA_RESIDENTS.get(role, 0) for role in roles], dtype=float)
    residents[small] = fixed[small]
    residents[~small] *= (TARGET_POPULATION - fixed.sum()) / residents[~small].sum()
    residents[~small] = np.maximum(residents[~small], 600.0)  # only the special ones are tiny

    growth = 0.002 + rng.normal(0.0, 0.004, n)
    growth[np.array([c == "neubau" for c in characters])] += 0.045
    growth[np.array([c == "dorf" for c in characters])] -= 0.004

    values: dict[tuple[str, int, str], int | None] = {}
    previous_ew: np.ndarray | None = None
    for year in YEARS:
        back = YEARS[-1] - year
        ew = np.rint(residents / (1.0 + growth) ** back * np.exp(rng.normal(0, 0.004, n)))
        ew = np.maximum(ew, 1).astype(np.int64)
        d = np.clip(deprivation - trend * back, 0.02, 0.98)
        counts = _counts(rng, ew, d, s15_shift, s65_shift, young, mobility_shift, characters)
        _migration(rng, counts, ew, previous_ew, d, mobility_shift, characters, back)
        counts["kita_plaetze"] = _kita_places(supply_rng, counts["ew_u6"], d, characters)
        previous_ew = ew
        for variable, column in counts.items():
            for i, unit in enumerate(units):
                value: int | None = int(column[i])
                if variable in SOURCE_SUPPRESSED.get(year, ()) and value in (1, 2):
                    value = None
                values[(unit.key, year, variable)] = value

    variables = tuple(definition.code for definition in COUNTS)
    produced = {variable for (_, _, variable) in values}
    if produced != set(variables):
        missing = sorted(set(variables) - produced)
        extra = sorted(produced - set(variables))
        raise RuntimeError(f"count variables differ from the catalogue: {missing=} {extra=}")
    return DemoStatistics(
        years=YEARS,
        variables=variables,
        area_keys=tuple(sorted(u.key for u in units)),
        values=values,
    )


def _counts(rng, ew, d, s15_shift, s65_shift, young, mobility_shift, characters):
    """All counts except migration flows for one year, nested by construction."""
    c: dict[str, np.ndarray] = {"ew": ew}
    older = np.array([ch in ("gehoben", "dorf") for ch in characters], dtype=float)

    share_u15 = np.clip(0.118 + 0.06 * d + s15_shift, 0.05, 0.25)
    share_65 = np.clip(0.235 - 0.08 * d + s65_shift, 0.08, 0.40)
    c["ew_u15"] = _draw(rng, ew, share_u15, 0.03)
    c["ew_65plus"] = _draw(rng, ew - c["ew_u15"], share_65 / (1.0 - share_u15), 0.03)
    c["ew_15_65"] = ew - c["ew_u15"] - c["ew_65plus"]
    c["ew_u65"] = ew - c["ew_65plus"]
    c["ew_80plus"] = _draw(rng, c["ew_65plus"], 0.31 + 0.06 * older, 0.04)
    c["ew_u6"] = _draw(rng, c["ew_u15"], 0.41 + 0.03 * (1.0 - d), 0.03)
    under5 = _draw(rng, c["ew_u6"], 5.0 / 6.0, 0.01)
    c["ew_5plus"] = ew - under5

    working = c["ew_15_65"]
    safe = np.maximum(working, 1)
    age_15_18 = _draw(rng, working, 0.029 * ew * young**0.3 / safe, 0.04)
    age_18_20 = _draw(rng, working - age_15_18, 0.020 * ew * young**0.6 / safe, 0.05)
    age_20_25 = _draw(rng, working - age_15_18 - age_18_20, 0.052 * ew * young / safe, 0.05)
    c["ew_u18"] = c["ew_u15"] + age_15_18
    c["ew_u20"] = c["ew_u18"] + age_18_20
    c["ew_15_25"] = age_15_18 + age_18_20 + age_20_25
    c["ew_20_65"] = working - age_15_18 - age_18_20

    # labour market and transfers
    c["arbeitslose"] = _draw(rng, working, 0.02 + 0.13 * d, 0.05)
    c["arbeitslose_u25"] = _draw(rng, c["arbeitslose"], 0.085 + 0.04 * d, 0.08)
    c["arbeitslose_u25"] = np.minimum(c["arbeitslose_u25"], c["ew_15_25"])
    c["langzeitarbeitslose"] = _draw(rng, c["arbeitslose"], 0.30 + 0.25 * d, 0.05)

    child_poverty = 0.022 + 0.5 * d
    c["sgb2_u15"] = _draw(rng, c["ew_u15"], child_poverty, 0.04)
    c["sgb2_u18"] = c["sgb2_u15"] + _draw(rng, age_15_18, 0.9 * child_poverty, 0.06)
    adults_u65 = c["ew_u65"] - c["ew_u18"]
    c["sgb2"] = c["sgb2_u18"] + _draw(rng, adults_u65, 0.013 + 0.21 * d, 0.04)
    c["grusi_alter"] = _draw(rng, c["ew_65plus"], 0.009 + 0.10 * d, 0.06)
    sgb2_unemployed = np.minimum(np.rint(0.68 * c["arbeitslose"]), c["sgb2"] - c["sgb2_u18"])
    sgb12_kap3 = _draw(rng, ew, np.full(ew.shape, 0.003), 0.1)
    transfer = c["sgb2"] - sgb2_unemployed + c["grusi_alter"] + sgb12_kap3
    c["transfer_nicht_al"] = np.minimum(transfer, ew).astype(np.int64)

    # migration background and nationality
    centre = np.array([ch in ("zentrum", "hafen", "alt") for ch in characters], dtype=float)
    c["auslaender"] = _draw(rng, ew, 0.045 + 0.34 * d + 0.04 * centre, 0.05)
    c["migration"] = c["auslaender"] + _draw(rng, ew - c["auslaender"], 0.11 + 0.36 * d, 0.04)

    # families and education
    c["hh_kinder"] = _draw(rng, c["ew_u18"], 0.60 - 0.06 * d, 0.03)
    c["hh_alleinerziehend"] = _draw(rng, c["hh_kinder"], 0.11 + 0.34 * d, 0.05)
    c["schulabgaenger"] = _draw(rng, age_15_18 + age_18_20, 0.2, 0.08)
    c["ohne_abschluss"] = _draw(rng, c["schulabgaenger"], 0.018 + 0.14 * d, 0.1)
    c["einschulung"] = _draw(rng, c["ew_u6"], 0.167, 0.05)
    c["sprachfoerderbedarf"] = _draw(rng, c["einschulung"], 0.07 + 0.62 * d, 0.06)
    return c


def _kita_places(rng, under6, d, characters) -> np.ndarray:
    """Places in day care: well supplied in the new developments, short where need is high
    (the usual picture: the supply follows demand with years of delay)."""
    newbuild = np.array([ch == "neubau" for ch in characters], dtype=float)
    coverage = 0.98 - 0.45 * d + 0.12 * newbuild + rng.normal(0.0, 0.06, under6.shape)
    return np.rint(under6 * np.clip(coverage, 0.35, 1.4)).astype(np.int64)


def _migration(rng, counts, ew, previous_ew, d, mobility_shift, characters, back):
    """Moves in and out across the area boundary, 5–15 % of the residents each, with
    the balance following the change of residents."""
    newbuild = np.array([ch == "neubau" for ch in characters], dtype=float)
    share_in = 0.075 + 0.035 * d + mobility_shift + 0.02 * newbuild
    moves_in = np.rint(ew * share_in * np.exp(rng.normal(0.0, 0.05, ew.shape)))
    change = ew - previous_ew if previous_ew is not None else np.rint(ew * 0.002)
    natural = np.rint(-0.002 * ew)  # births minus deaths
    moves_out = moves_in - change + natural + np.rint(rng.normal(0.0, 0.004, ew.shape) * ew)
    low, high = np.ceil(0.05 * ew), np.floor(0.15 * ew)
    counts["zuzuege"] = np.clip(moves_in, low, high).astype(np.int64)
    counts["fortzuege"] = np.clip(moves_out, low, high).astype(np.int64)
    stayers = 0.64 - 0.2 * d - 0.7 * mobility_shift - 0.03 * newbuild * (4 - back)
    counts["wohndauer5"] = _draw(rng, counts["ew_5plus"], stayers, 0.03)


def foerder_centre_of(polygon) -> tuple[float, float]:
    centre = polygon.centroid
    return (float(centre.x), float(centre.y))


def summary(statistics: DemoStatistics, year: int) -> dict[str, float]:
    """City-wide shares in percent for a quick look (used by tests and the docs)."""

    def share(numerator: str, denominator: str) -> float:
        total = statistics.total(year, denominator)
        return 100.0 * statistics.total(year, numerator) / total if total else math.nan

    return {
        "ew": float(statistics.total(year, "ew")),
        "sgb2_quote": share("sgb2", "ew_u65"),
        "kinderarmut_u15": share("sgb2_u15", "ew_u15"),
        "arbeitslosenanteil": share("arbeitslose", "ew_15_65"),
        "altersarmut": share("grusi_alter", "ew_65plus"),
        "alleinerziehende": share("hh_alleinerziehend", "hh_kinder"),
        "migrationsanteil": share("migration", "ew"),
        "auslaenderanteil": share("auslaender", "ew"),
        "sprachfoerderquote": share("sprachfoerderbedarf", "einschulung"),
        "anteil_u18": share("ew_u18", "ew"),
        "anteil_65plus": share("ew_65plus", "ew"),
    }
