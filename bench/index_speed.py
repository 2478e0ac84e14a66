"""Benchmark: the composite index for 100 000 areas × 20 indicators × 10 years.

Each year has 10 status and 10 dynamics indicators (equal weights, MSS thresholds); 1 % of
the areas lack a value and 2 % have fewer than 300 residents, so the exclusion and warning
paths run too. The data are generated before timing. Target: under 2 s for all 10 years on
one core. Run from the project root: ``python -m bench.index_speed``.
"""

import statistics
import time

import numpy as np

from gemeinsinn.analysis.index import IndexSettings, IndicatorWeight, compute_index

AREAS = 100_000
STATUS_INDICATORS = 10
DYNAMICS_INDICATORS = 10
YEARS = 10
REPEATS = 3
TARGET_SECONDS = 2.0


def make_year(rng: np.random.Generator, ids: list[str]):
    population = rng.integers(0, 20_000, size=AREAS).astype(float)
    population[rng.random(AREAS) < 0.02] = 150.0
    codes = [f"S{i}" for i in range(STATUS_INDICATORS)]
    codes += [f"D{i}" for i in range(DYNAMICS_INDICATORS)]
    values = {code: rng.gamma(2.0, 5.0, size=AREAS) for code in codes}
    values[codes[0]][rng.random(AREAS) < 0.01] = np.nan
    return ids, population, values


def main() -> None:
    rng = np.random.default_rng(2024)
    ids = [f"{i:08d}" for i in range(AREAS)]
    years = [make_year(rng, ids) for _ in range(YEARS)]
    settings = IndexSettings(
        status=tuple(IndicatorWeight(f"S{i}") for i in range(STATUS_INDICATORS)),
        dynamics=tuple(IndicatorWeight(f"D{i}") for i in range(DYNAMICS_INDICATORS)),
    )
    totals = []
    for _ in range(REPEATS):
        results = None  # free the previous run's results (about 0.3 GB) before timing
        start = time.perf_counter()
        results = [compute_index(*year, settings) for year in years]
        totals.append(time.perf_counter() - start)
    median = statistics.median(totals)
    included = int(results[-1].included.sum())
    print(
        f"index_speed: {AREAS} areas x {STATUS_INDICATORS}+{DYNAMICS_INDICATORS} indicators"
        f" x {YEARS} years"
    )
    print(f"  included areas (last year): {included}, warnings: {len(results[-1].warnings)}")
    print(f"  runs: {', '.join(f'{t:.3f} s' for t in totals)}")
    print(f"  median total: {median:.3f} s ({median / YEARS * 1000:.0f} ms per year)")
    print(f"  target < {TARGET_SECONDS:.1f} s: {'met' if median < TARGET_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
