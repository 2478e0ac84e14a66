"""Benchmark: the full Sozialbericht as PDF for a generated city of 90 and of 500 Sozialräume.

Each city is a grid of square Sozialräume over Musterstadt's 13 × 10 km frame, grouped into
Musterstadt's 14 Stadtteile (rectangular blocks of the grid), with a Fördergebiet. Residents
and every count of the indicator catalogue for 2021–2025 come from the demo's population model
(demodata.population: a spatial deprivation field, district characters, trends), so every
topic has plausible, spatially clustered values. The files are written and imported through
the normal import path (monitoring.demo.import_city), then the social index is computed.

Measured: ``build_report(ReportRequest("sozialbericht", 2025, "sozialraum"), "pdf")``, wall and
CPU time, median of ``--runs`` (3 for 90 areas, 1 for 500 by default), and the time of each
step as the report's progress names them (of the last run).

Targets (issue 6): 90 areas < 20 s, 500 areas < 90 s.

    .venv/bin/python -m bench.report_speed [--areas 90 500] [--runs 3 1] [--profile] [--apart]

``--apart``: the PDF is set in a fresh process, as for builds started in the web interface.

Each city is built in a child process with its own fresh data directory (SQLite).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

TARGETS = {90: 20.0, 500: 90.0}
WIDTH_M, HEIGHT_M = 13_000.0, 10_000.0  # Musterstadt's frame, centred on the old town
BLOCK_COLUMNS, BLOCK_ROWS = 5, 3  # 15 blocks for 14 Stadtteile: the last two are one
FOERDER_BOX = (-400.0, 700.0, 2000.0, 2500.0)  # between Nordstadt and Bahnhofsviertel


def grid_shape(areas: int) -> tuple[int, int]:
    """Columns and rows of a grid of ``areas`` cells over the frame, cells as square as can be
    (at least 5 columns and 3 rows: one block of cells per Stadtteil)."""
    shapes = [(areas // rows, rows) for rows in range(3, areas // 5 + 1) if areas % rows == 0]
    if not shapes:
        raise ValueError(f"{areas} areas do not make a grid of at least 5 × 3")
    return min(shapes, key=lambda s: abs(math.log((WIDTH_M / s[0]) / (HEIGHT_M / s[1]))))


def grid_city(areas: int):
    """A DemoCity of ``areas`` square Sozialräume with the demo's population model."""
    import numpy as np
    import shapely
    from shapely.geometry import LineString, box

    from gemeinsinn.demodata import SEED, SOURCE, model, population
    from gemeinsinn.demodata.geography import DISTRICTS, STADT_KEY, Unit
    from gemeinsinn.demodata.geography import _ToWgs84 as ToWgs84

    columns, rows = grid_shape(areas)
    cell_w, cell_h = WIDTH_M / columns, HEIGHT_M / rows
    x0, y0 = -WIDTH_M / 2, -HEIGHT_M / 2
    column_band = [b for b, part in enumerate(np.array_split(range(columns), 5)) for _ in part]
    row_band = [b for b, part in enumerate(np.array_split(range(rows), 3)) for _ in part]
    # each block of the grid becomes the Stadtteil whose centre is nearest (greedy)
    blocks = {}
    free = list(range(len(DISTRICTS)))
    for block in range(BLOCK_COLUMNS * BLOCK_ROWS - 1):
        bx = x0 + (block % BLOCK_COLUMNS + 0.5) * WIDTH_M / BLOCK_COLUMNS
        by = y0 + HEIGHT_M - (block // BLOCK_COLUMNS + 0.5) * HEIGHT_M / BLOCK_ROWS
        nearest = min(free, key=lambda d: np.hypot(*np.subtract(DISTRICTS[d].centre, (bx, by))))
        blocks[block] = nearest
        free.remove(nearest)
    blocks[BLOCK_COLUMNS * BLOCK_ROWS - 1] = blocks[BLOCK_COLUMNS * BLOCK_ROWS - 2]

    cells: dict[int, list] = {d: [] for d in range(len(DISTRICTS))}
    for row in range(rows):  # north to south, west to east
        for column in range(columns):
            block = (row_band[row]) * BLOCK_COLUMNS + column_band[column]
            left, top = x0 + column * cell_w, y0 + HEIGHT_M - row * cell_h
            cells[blocks[block]].append(box(left, top - cell_h, left + cell_w, top))
    heide = next(i for i, spec in enumerate(DISTRICTS) if spec.name == "Heide")
    units = []
    for district, polygons in cells.items():
        estate = (
            min(range(len(polygons)), key=lambda i: polygons[i].centroid.distance(
                shapely.Point(DISTRICTS[heide].centre)))
            if district == heide else -1
        )  # fmt: skip
        for number, polygon in enumerate(polygons, start=1):
            units.append(
                Unit(
                    key=f"{district + 1:02d}{number:03d}",
                    name=f"{DISTRICTS[district].name} {number}",
                    district=district,
                    polygon=shapely.orient_polygons(polygon, exterior_cw=False),
                    role="grosssiedlung" if number - 1 == estate else "",
                )
            )
    foerder = box(*FOERDER_BOX)
    stats = population.build(
        units,
        population.foerder_centre_of(foerder),
        np.random.default_rng([SEED, 2]),
        np.random.default_rng([SEED, 3]),
    )
    to_wgs84 = ToWgs84()
    city_polygon = box(x0, y0, x0 + WIDTH_M, y0 + HEIGHT_M)
    demo_areas = [
        model.DemoArea(model.STADT, STADT_KEY, "Rasterstadt", None, to_wgs84(city_polygon))
    ]
    for district, polygons in cells.items():
        union = shapely.union_all(polygons, grid_size=1.0)
        demo_areas.append(
            model.DemoArea(
                model.STADTTEIL, f"{district + 1:02d}", DISTRICTS[district].name, STADT_KEY,
                to_wgs84(shapely.orient_polygons(union, exterior_cw=False)),
            )
        )  # fmt: skip
    for unit in units:
        demo_areas.append(
            model.DemoArea(
                model.SOZIALRAUM, unit.key, unit.name, unit.key[:2], to_wgs84(unit.polygon)
            )
        )
    demo_areas.append(
        model.DemoArea(
            model.FOERDERGEBIET, "FG01", "Fördergebiet Rasterstadt-Nord", STADT_KEY,
            to_wgs84(shapely.orient_polygons(foerder, exterior_cw=False)),
        )
    )  # fmt: skip
    order = {level.code: level.order for level in model.LEVELS}
    return model.DemoCity(
        name="Rasterstadt",
        levels=model.LEVELS,
        areas=tuple(sorted(demo_areas, key=lambda a: (order[a.level], a.key))),
        statistics=stats,
        river=to_wgs84(LineString([(x0, -300.0), (x0 + WIDTH_M, -300.0)])),
        boundaries_valid_from="2021-01-01",
        source=SOURCE.replace("Musterstadt", "Rasterstadt"),
    )


def load_city(areas: int, directory) -> float:
    """Migrate a fresh database and import the grid city; returns the seconds it took."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from gemeinsinn.core.models import CityProfile
    from gemeinsinn.demodata import write_files
    from gemeinsinn.monitoring.demo import import_city

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    CityProfile.objects.create(name="Rasterstadt", ags="05999000")
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    for line in import_city(write_files(grid_city(areas), directory), user):
        print(f"  {line}", file=sys.stderr, flush=True)
    return time.perf_counter() - start


def measure(runs: int, profile: bool, apart: bool) -> dict:
    from gemeinsinn.socialreport.services import ReportRequest, build_report

    request = ReportRequest("sozialbericht", 2025, level="sozialraum")
    walls, cpus = [], []
    size = 0
    for _run in range(runs):
        steps = StepTimer()
        progress = steps.progress
        wall, cpu = time.perf_counter(), time.process_time()
        if profile and _run == runs - 1:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            pdf = profiler.runcall(build_report, request, "pdf", progress)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        else:
            pdf = build_report(request, "pdf", progress, apart=apart)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        steps.finish()
        size = len(pdf)
        print(f"  run: {walls[-1]:.1f} s wall, {cpus[-1]:.1f} s CPU", file=sys.stderr, flush=True)

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "walls": walls,
        "size": size,
        "pages": pages,
        "steps": steps.grouped(),
    }


class StepTimer:
    """Seconds per step as the report's progress names them; steps that differ only in
    trailing numbers (e.g. the area profiles "Gebietsprofile 1–25", "… 26–50") count as one."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.since = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def progress(self, done: int, total: int, step: str) -> None:
        if step != self.current:
            self.finish()
            self.current, self.since = step, time.perf_counter()

    def finish(self) -> None:
        if self.current is not None:
            name = re.sub(r"[\s\d–/()-]+$", "", self.current) or self.current
            elapsed = time.perf_counter() - self.since
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed
            self.current = None

    def grouped(self) -> list[tuple[str, float]]:
        return sorted(self.seconds.items(), key=lambda item: -item[1])


def child(areas: int, runs: int, profile: bool, apart: bool) -> None:
    directory = os.environ["GEMEINSINN_DATA_DIR"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gemeinsinn.settings")
    import django

    django.setup()
    load_seconds = load_city(areas, os.path.join(directory, "files"))
    result = measure(runs, profile, apart)
    print(json.dumps({"areas": areas, "load": load_seconds, **result}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, nargs="+", default=[90, 500])
    parser.add_argument("--runs", type=int, nargs="+", default=[3, 1])
    parser.add_argument("--profile", action="store_true", help="cProfile of the last run")
    parser.add_argument("--apart", action="store_true", help="set the PDF in a fresh process")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    runs = dict(zip(args.areas, args.runs + [args.runs[-1]] * len(args.areas), strict=False))
    if args.child:
        child(args.areas[0], args.runs[0], args.profile, args.apart)
        return
    with open("/proc/loadavg") as file:
        print(f"load average at start: {file.read().split()[0]}")
    for areas in args.areas:
        with tempfile.TemporaryDirectory(prefix=f"gemeinsinn-bench-report-{areas}-") as data:
            command = [sys.executable, "-m", "bench.report_speed", "--child",
                       "--areas", str(areas), "--runs", str(runs[areas])]  # fmt: skip
            if args.profile:
                command.append("--profile")
            if args.apart:
                command.append("--apart")
            env = {**os.environ, "GEMEINSINN_DATA_DIR": data}
            env.pop("DATABASE_URL", None)
            output = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE)
            result = json.loads(output.stdout.decode().strip().splitlines()[-1])
        target = TARGETS.get(areas)
        verdict = ""
        if target is not None:
            met = "met" if result["wall"] < target else "NOT met"
            verdict = f" (target < {target:.0f} s: {met})"
        print(
            f"{areas} areas: Sozialbericht PDF median {result['wall']:.1f} s wall, "
            f"{result['cpu']:.1f} s CPU over {len(result['walls'])} run(s) "
            f"{[round(w, 1) for w in result['walls']]}{verdict}; {result['pages']} pages, "
            f"{result['size'] / 1e6:.1f} MB; city built and imported in {result['load']:.0f} s"
        )
        for step, seconds in result["steps"]:
            print(f"    {seconds:7.2f} s  {step}")
    with open("/proc/loadavg") as file:
        print(f"load average at end: {file.read().split()[0]}")


if __name__ == "__main__":
    main()
