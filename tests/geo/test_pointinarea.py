"""AreaLocator: exact answers (same as shapely), the documented rule for points on
boundaries, holes, overlaps, geographic coordinates and degenerate input."""

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPoint, MultiPolygon, Polygon, box

from gemeinsinn.geo.boundaries import parse_boundaries
from gemeinsinn.geo.pointinarea import AreaLocator


def reference(geometries, x, y):
    """Brute force: the lowest index among the geometries covering each point."""
    result = np.full(len(x), -1)
    for index, geometry in enumerate(geometries):
        hit = shapely.intersects_xy(geometry, x, y) & (result == -1)
        result[hit] = index
    return result


def voronoi_tiling(count, seed, size=1_000.0, jitter=True):
    rng = np.random.default_rng(seed)
    frame = box(0, 0, size, size)
    seeds = MultiPoint(rng.uniform(0, size, (count, 2)))
    cells = shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame)), frame
    )
    if jitter:
        cells = shapely.segmentize(cells, size / 40)
        cells = shapely.transform(
            cells,
            lambda c: np.round(
                c
                + 0.02
                * size
                * np.sin(c[:, ::-1] / (0.05 * size))
                * np.minimum(1, np.minimum(c, size - c).min(axis=1, keepdims=True) / (0.05 * size)),
                6,
            ),
        )
    assert shapely.is_valid(cells).all()
    return list(cells)


SQUARES = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)]


def test_points_inside_squares_and_outside():
    locator = AreaLocator(SQUARES, ["a", "b", "c", "d"])
    x = np.array([0.5, 1.5, 0.5, 1.5, -0.5, 2.5, 1.0, np.nan])
    y = np.array([0.5, 0.5, 1.5, 1.5, 0.5, 2.5, 3.0, 0.5])
    assert locator.locate(x, y).tolist() == [0, 1, 2, 3, -1, -1, -1, -1]
    assert locator.locate_one(1.9, 1.9) == "d"
    assert locator.locate_one(5.0, 5.0) is None


def test_points_on_shared_boundaries_go_to_the_lowest_index():
    x = np.array([1.0, 1.0, 0.5, 1.5, 1.0, 0.0, 2.0])
    y = np.array([0.5, 1.5, 1.0, 1.0, 1.0, 0.0, 2.0])
    locator = AreaLocator(SQUARES, "abcd")
    # a|b edge, c|d edge, a/c edge, b/d edge, the corner of all four, outer corners
    assert locator.locate(x, y).tolist() == [0, 2, 0, 1, 0, 0, 3]
    reverse = AreaLocator(SQUARES[::-1], "dcba")
    assert [reverse.keys[i] for i in reverse.locate(x, y)] == list("bdcddad")


def test_hole_with_an_enclave_and_multipolygons():
    ring = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(3, 3), (7, 3), (7, 7), (3, 7)]])
    enclave = box(3, 3, 7, 7)
    islands = MultiPolygon([box(20, 0, 22, 2), box(30, 0, 32, 2)])
    locator = AreaLocator([ring, enclave, islands], ["ring", "enclave", "islands"])
    assert locator.locate_one(1, 1) == "ring"
    assert locator.locate_one(5, 5) == "enclave"
    assert locator.locate_one(3, 5) == "ring"  # on the hole's edge: lower index
    assert locator.locate_one(21, 1) == "islands"
    assert locator.locate_one(31, 1) == "islands"
    assert locator.locate_one(25, 1) is None


def test_overlapping_areas_follow_the_same_rule():
    locator = AreaLocator([box(0, 0, 2, 2), box(1, 1, 3, 3)], ["first", "second"])
    assert locator.locate_one(1.5, 1.5) == "first"
    assert locator.locate_one(2.5, 2.5) == "second"
    flipped = AreaLocator([box(1, 1, 3, 3), box(0, 0, 2, 2)], ["second", "first"])
    assert flipped.locate_one(1.5, 1.5) == "second"


@pytest.mark.parametrize("cell_size", [0.25, 0.5, 1.0, 2.0, 7.0])
def test_edges_and_points_exactly_on_grid_lines(cell_size):
    # squares whose edges coincide with the grid lines; points on every line and vertex
    squares = [box(i, j, i + 2, j + 2) for i in range(0, 8, 2) for j in range(0, 8, 2)]
    locator = AreaLocator(squares, range(len(squares)), cell_size=cell_size)
    grid = np.arange(-1, 9.01, 0.25)
    x, y = (a.ravel() for a in np.meshgrid(grid, grid))
    assert np.array_equal(locator.locate(x, y), reference(squares, x, y))


@settings(max_examples=25, deadline=None)
@given(
    count=st.integers(2, 60),
    seed=st.integers(0, 10_000),
    cell_factor=st.sampled_from([None, 0.003, 0.02, 0.1, 0.6]),
)
def test_matches_shapely_on_random_tilings(count, seed, cell_factor):
    cells = voronoi_tiling(count, seed)
    cell_size = None if cell_factor is None else 1_000 * cell_factor
    locator = AreaLocator(cells, range(count), cell_size=cell_size)
    rng = np.random.default_rng(seed)
    # random points, all vertices (on boundaries) and points just beside them
    vertices = shapely.get_coordinates(np.array(cells))
    points = np.concatenate(
        [
            rng.uniform(-50, 1_050, (2_000, 2)),
            vertices,
            vertices + rng.normal(0, 1e-7, vertices.shape),
        ]
    )
    x, y = points[:, 0], points[:, 1]
    assert np.array_equal(locator.locate(x, y), reference(cells, x, y))


def test_interior_points_match_the_within_baseline():
    cells = voronoi_tiling(200, 3)
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 1_000, (2, 50_000))
    tree = shapely.STRtree(cells)
    point_index, cell_index = tree.query(shapely.points(x, y), predicate="within")
    expected = np.full(len(x), -1)
    expected[point_index] = cell_index
    assert np.array_equal(AreaLocator(cells, range(200)).locate(x, y), expected)


def test_the_callers_geometries_are_not_touched():
    cells = voronoi_tiling(10, 1)
    AreaLocator(cells, range(10))
    assert not shapely.is_prepared(np.array(cells)).any()


def test_bad_input():
    with pytest.raises(ValueError):
        AreaLocator([box(0, 0, 1, 1)], ["a", "b"])
    with pytest.raises(ValueError):
        AreaLocator([shapely.Point(0, 0)], ["a"])
    with pytest.raises(ValueError):
        AreaLocator(SQUARES, "abcd").locate(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError):
        AreaLocator(SQUARES, "abcd", cell_size=1e-4)  # 400 million cells


def test_no_areas_means_nowhere():
    locator = AreaLocator([], [])
    assert locator.locate(np.array([0.0, 1.0]), np.array([0.0, 1.0])).tolist() == [-1, -1]
    assert locator.locate_one(0, 0) is None


@pytest.mark.shared_data
def test_berlin_planungsraeume_in_degrees(shared_data):
    path = shared_data / "berlin-mss/geometry/lor_planungsraeume_pre2021.geojson"
    features = parse_boundaries(path.read_bytes(), path.name).features
    geometries = [f.geometry for f in features]
    locator = AreaLocator(geometries, [f.key for f in features])
    rng = np.random.default_rng(5)
    x = rng.uniform(13.05, 13.80, 100_000)
    y = rng.uniform(52.32, 52.70, 100_000)
    found = locator.locate(x, y)
    assert np.array_equal(found, reference(geometries, x, y))
    # Berlin is about 891 of the ~2 300 km² of this box
    assert 0.35 < (found >= 0).mean() < 0.45
    # the Fernsehturm stands in Mitte, the Rotes Rathaus too
    assert locator.locate_one(13.40940, 52.52082).startswith("01")
    assert locator.locate_one(13.40860, 52.51843).startswith("01")
    assert locator.locate_one(13.0, 52.0) is None
