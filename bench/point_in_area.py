"""Benchmark: 3 000 000 Zensus-like 100 m grid centroids (EPSG:3035) assigned to
1 000 polygons, AreaLocator against the straightforward shapely STRtree query.

The polygons are a Voronoi tiling of 1 000 random seeds clipped to a 60 × 60 km
square, with edges densified to ~70 m and bent by a smooth displacement field, so
they have roughly 50–200 vertices and irregular boundaries while still tiling the
square exactly. Two point sets, generated before timing:

- ``zensus``: 2 000 × 1 500 cell centroids x = 4 000 050 + 100·i, y = 3 000 050 + 100·j
  (a 200 × 150 km window of the national grid around the city, as one would feed in);
- ``dense``: 3 000 000 points on a 34.6 m grid inside the 60 × 60 km square only (every
  point needs an answer; the hardest case for the grid method).

Both methods run in the same process on the same input (build included), REPEATS
times each; medians are reported and the assignments are asserted to be identical.
Target: AreaLocator under 5 s and at least 3× faster than the baseline.
Run from the project root: ``python -m bench.point_in_area``.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import shapely
from shapely.geometry import MultiPoint, box

from gemeinsinn.geo.pointinarea import AreaLocator

POLYGONS = 1_000
REGION = (4_070_000.0, 3_045_000.0, 4_130_000.0, 3_105_000.0)  # 60 × 60 km in EPSG:3035
REPEATS = 3
TARGET_SECONDS = 5.0
TARGET_SPEEDUP = 3.0


def make_tiling(count: int = POLYGONS, region=REGION, seed: int = 7) -> np.ndarray:
    """An irregular tiling of ``region`` by ``count`` polygons (EPSG:3035 metres)."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = region
    seeds = np.column_stack([rng.uniform(minx, maxx, count), rng.uniform(miny, maxy, count)])
    frame = box(*region)
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    cells = shapely.segmentize(cells, 70.0)
    phases = rng.uniform(0, 2 * np.pi, 4)

    def bend(coords: np.ndarray) -> np.ndarray:
        x, y = coords[:, 0], coords[:, 1]
        # fade the displacement out towards the frame so the square stays a square
        edge = np.minimum.reduce([x - minx, maxx - x, y - miny, maxy - y])
        fade = np.clip(edge / 1_000.0, 0.0, 1.0)
        dx = 60 * np.sin(y / 1_300 + phases[0]) + 20 * np.sin(y / 310 + phases[1])
        dy = 60 * np.sin(x / 1_100 + phases[2]) + 20 * np.sin(x / 270 + phases[3])
        bent = np.column_stack([x + fade * dx, y + fade * dy])
        return np.round(bent, 3)  # millimetres: shared vertices stay identical

    cells = shapely.transform(cells, bend)
    return cells


def zensus_points() -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(2_000, dtype=float)
    j = np.arange(1_500, dtype=float)
    x, y = np.meshgrid(4_000_050.0 + 100.0 * i, 3_000_050.0 + 100.0 * j)
    return x.ravel(), y.ravel()


def dense_points(region=REGION) -> tuple[np.ndarray, np.ndarray]:
    side = 1_732  # 1 732² = 2 999 824 points
    minx, miny, maxx, maxy = region
    step = (maxx - minx) / side
    coords = minx + step * (np.arange(side) + 0.5)
    x, y = np.meshgrid(coords, miny + (coords - minx))
    return x.ravel(), y.ravel()


def baseline(polygons: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """shapely.STRtree(polygons).query(points, predicate="within"), lowest index wins."""
    points = shapely.points(x, y)
    point_index, polygon_index = shapely.STRtree(polygons).query(points, predicate="within")
    result = np.full(len(x), len(polygons), dtype=np.int64)
    np.minimum.at(result, point_index, polygon_index)
    result[result == len(polygons)] = -1
    return result


def with_locator(polygons: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return AreaLocator(polygons, range(len(polygons))).locate(x, y)


def timed(function, *args) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def run(name: str, polygons: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    base_times, ours_times, build_times = [], [], []
    for _ in range(REPEATS):
        fresh = shapely.from_wkb(shapely.to_wkb(polygons))  # no state shared between runs
        seconds, expected = timed(baseline, fresh, x, y)
        base_times.append(seconds)
        fresh = shapely.from_wkb(shapely.to_wkb(polygons))
        seconds, got = timed(with_locator, fresh, x, y)
        ours_times.append(seconds)
        build_times.append(timed(AreaLocator, fresh, range(len(fresh)))[0])
        assert np.array_equal(got, expected), f"{name}: assignments differ"
        del expected, got
    locator = AreaLocator(polygons, range(len(polygons)))
    inside = float((locator.locate(x, y) >= 0).mean())
    base, ours = statistics.median(base_times), statistics.median(ours_times)
    print(
        f"{name:7s} {len(x):,} points ({inside:.0%} inside), {len(polygons)} polygons: "
        f"STRtree within {base:.2f} s, AreaLocator {ours:.2f} s "
        f"(build {statistics.median(build_times):.2f} s, grid {locator.grid_shape}, "
        f"{locator.boundary_cell_share:.1%} boundary cells), speed-up {base / ours:.1f}×; "
        f"runs STRtree {[round(t, 2) for t in base_times]}, "
        f"AreaLocator {[round(t, 2) for t in ours_times]}"
    )
    return ours, base / ours


def main() -> None:
    polygons = make_tiling()
    vertices = shapely.get_num_coordinates(polygons)
    assert len(polygons) == POLYGONS
    assert bool(shapely.is_valid(polygons).all())
    assert abs(shapely.area(polygons).sum() - 3.6e9) < 1.0, "the polygons must tile the region"
    print(
        f"tiling: {len(polygons)} polygons, vertices per polygon median "
        f"{int(np.median(vertices))} (10–90 %: {int(np.percentile(vertices, 10))}–"
        f"{int(np.percentile(vertices, 90))}), coverage valid: "
        f"{bool(shapely.coverage_is_valid(polygons))}"
    )
    failed = False
    for name, (x, y) in (("zensus", zensus_points()), ("dense", dense_points())):
        seconds, speedup = run(name, polygons, x, y)
        if seconds >= TARGET_SECONDS or speedup < TARGET_SPEEDUP:
            print(f"  {name}: target missed (< {TARGET_SECONDS} s and ≥ {TARGET_SPEEDUP}×)")
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
