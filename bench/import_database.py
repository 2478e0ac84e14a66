"""Benchmark: import a 1 000 000-row long-format CSV (German format) into the database
through the same service the staff area uses (parse, validate, write, derive shares,
aggregate to the parent level), on SQLite in a fresh data directory.

Target (issue 2): under 10 s and under 2 GB of memory. The CPU time is printed beside the
wall time: on a shared machine it shows the work the import itself does.

    .venv/bin/python -m bench.import_database [--rows-areas 1000 --years 10 --indicators 100]
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_csv(path: Path, areas: int, years: int, indicators: int) -> int:
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Gebiet;Jahr;Merkmal;Wert\n")
        for a in range(areas):
            key = f"{a:05d}"
            for y in range(2015, 2015 + years):
                lines = [
                    f"{key};{y};m{i:03d};{(a * 7 + y * 13 + i * 31) % 5000 + 0.5:.1f}".replace(
                        ".", ","
                    )
                    for i in range(indicators)
                ]
                out.write("\n".join(lines) + "\n")
                rows += indicators
    return rows


def child(csv_path: str, areas: int, indicators: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gemeinsinn.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gemeinsinn.areas.models import Area, SpatialLevel
    from gemeinsinn.monitoring import services
    from gemeinsinn.monitoring.models import Indicator, Value

    city = SpatialLevel.objects.create(code="stadt", name="Stadt", order=0)
    level = SpatialLevel.objects.create(code="raum", name="Raum", order=1, parent=city)
    whole = Area.objects.create(level=city, key="1", name="Stadt")
    Area.objects.bulk_create(
        Area(level=level, key=f"{a:05d}", name=f"Raum {a}", parent=whole) for a in range(areas)
    )
    Indicator.objects.bulk_create(
        Indicator(code=f"m{i:03d}", name=f"Merkmal {i}", topic="demographie", kind="count")
        for i in range(indicators)
    )
    data = Path(csv_path).read_bytes()
    cpu_start = time.process_time()
    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            services.import_statistics(data, "bench.csv", level)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    else:
        services.import_statistics(data, "bench.csv", level)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    stored = Value.objects.count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import: {seconds:.2f} s wall, {cpu:.2f} s CPU, peak RSS {peak_mb:.0f} MB, "
        f"values stored {stored}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--areas", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.areas, args.indicators)
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "long.csv"
        rows = write_csv(csv_path, args.areas, args.years, args.indicators)
        print(f"{rows} rows, {csv_path.stat().st_size / 1e6:.0f} MB CSV")
        env = {**os.environ, "GEMEINSINN_DATA_DIR": str(Path(tmp) / "data")}
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "bench.import_database", "--child", str(csv_path),
             "--areas", str(args.areas), "--indicators", str(args.indicators)],
            env=env,
            check=True,
        )  # fmt: skip


if __name__ == "__main__":
    main()
