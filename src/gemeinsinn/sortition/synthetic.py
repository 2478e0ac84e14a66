"""Generated German-style volunteer pools for tests and benchmarks.

Population shares roughly like a German city; volunteers are self-selected (older, more
formally educated, less often with migration background), so quotas derived from the
population force unequal selection probabilities — the situation the fair algorithms
are made for. Some volunteers live together (same address): the household rule applies.
Deterministic for a given seed (numpy PCG64).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gemeinsinn.sortition.model import Pool, Quota

# feature: (values, population shares, volunteer bias factors)
FEATURES: dict[str, tuple[list[str], list[float], list[float]]] = {
    "Geschlecht": (["weiblich", "männlich", "divers"], [0.505, 0.49, 0.005], [1.0, 1.0, 1.0]),
    "Altersgruppe": (
        ["16–24", "25–34", "35–49", "50–64", "65 und älter"],
        [0.11, 0.16, 0.24, 0.25, 0.24],
        [0.6, 0.8, 1.0, 1.4, 1.3],
    ),
    "Bezirk": (
        ["Mitte", "Nord", "Süd", "Ost", "West", "Altstadt"],
        [0.2, 0.18, 0.17, 0.16, 0.16, 0.13],
        [1.2, 0.8, 1.0, 0.9, 1.1, 1.3],
    ),
    "Bildung": (["niedrig", "mittel", "hoch"], [0.3, 0.45, 0.25], [0.5, 0.9, 1.9]),
    "Migrationshintergrund": (["ja", "nein"], [0.28, 0.72], [0.55, 1.0]),
    "Erwerbsstatus": (
        ["erwerbstätig", "arbeitslos", "in Ausbildung", "im Ruhestand"],
        [0.52, 0.05, 0.1, 0.33],
        [1.0, 0.7, 0.7, 1.2],
    ),
    "Wohnform": (["Miete", "Eigentum"], [0.58, 0.42], [0.85, 1.3]),
}


@dataclass
class GeneratedPool:
    pool: Pool
    people: list[dict[str, str]]  # feature columns plus address columns
    quotas: list[Quota]
    household_columns: tuple[str, ...] = ("Straße", "Hausnummer", "PLZ")

    def write(self, directory: Path) -> tuple[Path, Path]:
        """PEOPLE.csv (with id and address columns) and QUOTAS.csv."""
        directory.mkdir(parents=True, exist_ok=True)
        people_path = directory / "people.csv"
        quotas_path = directory / "quotas.csv"
        with open(people_path, "w", encoding="utf-8", newline="") as handle:
            fields = ["id", *self.pool.features, *self.household_columns]
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            for person_id, row in zip(self.pool.ids, self.people, strict=True):
                writer.writerow({"id": person_id, **row})
        with open(quotas_path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["feature", "value", "min", "max"])
            for q in self.quotas:
                writer.writerow([q.feature, q.value, q.min, q.max])
        return people_path, quotas_path


def german_pool(
    n: int,
    k: int,
    features: int = 5,
    seed: int = 0,
    household_share: float = 0.12,
    slack: float = 0.12,
) -> GeneratedPool:
    """`n` volunteers, panel size `k`, the first `features` (≤ 7) features of FEATURES.

    About `household_share` of the volunteers live with another volunteer. Quotas are
    population share · k, widened by `slack` (relative, at least ±1)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    names = list(FEATURES)[:features]
    # a latent "engagement" variable correlates education, age and migration background
    latent = rng.normal(size=n)
    columns: dict[str, np.ndarray] = {}
    for name in names:
        values, shares, bias = FEATURES[name]
        base = np.log(np.asarray(shares) * np.asarray(bias))
        tilt = np.linspace(-0.4, 0.4, len(values)) if name in ("Bildung", "Altersgruppe") else 0
        logits = base[None, :] + np.outer(latent, tilt if np.ndim(tilt) else np.zeros(len(values)))
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        u = rng.random(n)[:, None]
        columns[name] = (u > np.cumsum(probs, axis=1)).sum(axis=1).clip(0, len(values) - 1)
    # households: pairs of volunteers at one address, mostly in the same district
    household = np.arange(n)
    pairs = int(n * household_share / 2)
    order = rng.permutation(n)
    for j in range(pairs):
        a, b = order[2 * j], order[2 * j + 1]
        household[b] = household[a]
        if "Bezirk" in columns:
            columns["Bezirk"][b] = columns["Bezirk"][a]
    streets = ["Hauptstraße", "Schulstraße", "Gartenweg", "Bahnhofstraße", "Lindenallee"]
    people = []
    for i in range(n):
        h = int(household[i])
        row = {name: FEATURES[name][0][int(columns[name][i])] for name in names}
        row["Straße"] = streets[h % len(streets)]
        row["Hausnummer"] = str(h // len(streets) + 1)
        row["PLZ"] = str(10000 + (h % 97))
        people.append(row)
    quotas = []
    for name in names:
        values, shares, _ = FEATURES[name]
        for v, share in zip(values, shares, strict=True):
            target = share * k
            width = max(1.0, slack * target)
            lo = max(0, int(np.floor(target - width)))
            hi = int(np.ceil(target + width))
            quotas.append(Quota(name, v, lo, hi))
    pool = Pool.from_records(
        [{name: row[name] for name in names} for row in people],
        quotas,
        k,
        ids=[f"P{i + 1:05d}" for i in range(n)],
        households=[int(h) for h in household],
    )
    return GeneratedPool(pool, people, quotas)
