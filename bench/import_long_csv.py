"""Benchmark: parse and validate a 1 000 000-row long-format statistics CSV (German format).

1 000 areas × 10 years × 100 indicators, semicolon-separated, decimal comma, with some
suppressed (".") and missing (empty) cells. The file is generated in a temporary directory;
each run happens in a fresh subprocess so that its peak memory (ru_maxrss) is its own.

    .venv/bin/python -m bench.import_long_csv [--runs 3]
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

AREAS, YEARS, INDICATORS = 1_000, 10, 100
FIRST_YEAR = 2015


def area_keys() -> list[str]:
    return [f"{number:08d}" for number in range(1_100_000, 1_100_000 + AREAS)]


def indicator_kinds() -> dict[str, str]:
    kinds = ("count", "share", "rate", "population")
    return {f"I{number:03d}": kinds[number % len(kinds)] for number in range(INDICATORS)}


def generate(path: Path) -> None:
    rng = np.random.default_rng(2024)
    count = AREAS * YEARS * INDICATORS
    values = pl.Series(np.round(rng.uniform(0, 100, count), 3)).cast(pl.String)
    values = values.str.replace(".", ",", literal=True)
    roll = rng.uniform(size=count)
    values = pl.select(
        pl.when(pl.lit(roll) < 0.01)
        .then(pl.lit("."))
        .when(pl.lit(roll) < 0.02)
        .then(pl.lit(""))
        .otherwise(pl.lit(values))
    ).to_series()
    frame = pl.DataFrame(
        {
            "Gebiet": np.repeat(area_keys(), YEARS * INDICATORS),
            "Jahr": np.tile(
                np.repeat(np.arange(FIRST_YEAR, FIRST_YEAR + YEARS), INDICATORS), AREAS
            ),
            "Indikator": np.tile(list(indicator_kinds()), AREAS * YEARS),
            "Wert": values,
        }
    )
    frame.write_csv(path, separator=";")


def run_once(path: Path) -> dict:
    """Parse + validate in this process; returns seconds and peak memory."""
    from gemeinsinn.formats.tables import parse_observations

    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    parsed = parse_observations(
        path.read_bytes(),
        path.name,
        known_area_keys=set(area_keys()),
        indicators=indicator_kinds(),
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": after.ru_maxrss / 1024,
        "rss_before_mb": before.ru_maxrss / 1024,
        "rows": parsed.frame.height,
        "problems": len(parsed.problems),
        "suppressed": parsed.summary.suppressed,
        "missing": parsed.summary.missing,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--run-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_file:
        print(json.dumps(run_once(args.run_file)))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.csv"
        generate(path)
        size_mb = path.stat().st_size / 1e6
        results = []
        for _ in range(args.runs):
            output = subprocess.run(
                [sys.executable, "-m", "bench.import_long_csv", "--run-file", str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results.append(json.loads(output))
    last = results[-1]
    print(
        f"{last['rows']:,} rows ({size_mb:.0f} MB), {last['problems']} problems, "
        f"{last['suppressed']:,} suppressed, {last['missing']:,} missing"
    )
    print("seconds per run:", ", ".join(f"{r['seconds']:.2f}" for r in results))
    print(f"median: {statistics.median(r['seconds'] for r in results):.2f} s")
    cpu = statistics.median(r["cpu_seconds"] for r in results)
    print(f"CPU time median (all threads): {cpu:.2f} s")
    print(
        f"peak RSS median: {statistics.median(r['peak_rss_mb'] for r in results):.0f} MB "
        f"(after imports: {statistics.median(r['rss_before_mb'] for r in results):.0f} MB)"
    )


if __name__ == "__main__":
    main()
