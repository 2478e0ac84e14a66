"""Musterstadt's areas: three nested levels that tile each other, one target area."""

import re

import pytest
import shapely

from gemeinsinn.demodata import FOERDERGEBIET, LEVELS, SOZIALRAUM, STADT, STADTTEIL

from .helpers import adjacency, to_laea

TOLERANCE_M2 = 1.0


@pytest.fixture(scope="module")
def metric(city):
    """Key -> polygon in EPSG:3035 (metres), per level."""
    return {
        level.code: {area.key: to_laea(area.geometry) for area in city.areas_of(level.code)}
        for level in LEVELS
    }


def test_levels_are_defined_top_down(city):
    assert [(level.code, level.order) for level in city.levels] == [
        (STADT, 0),
        (STADTTEIL, 1),
        (SOZIALRAUM, 2),
        (FOERDERGEBIET, 3),
    ]
    assert [level.name for level in city.levels] == [
        "Stadt",
        "Stadtteil",
        "Sozialraum",
        "Fördergebiet",
    ]
    assert city.level(SOZIALRAUM).parent == STADTTEIL
    assert city.level(FOERDERGEBIET).is_target_area
    assert not any(level.is_target_area for level in city.levels[:3])


def test_number_of_areas_per_level(city):
    assert len(city.areas_of(STADT)) == 1
    assert 12 <= len(city.areas_of(STADTTEIL)) <= 15
    assert 60 <= len(city.areas_of(SOZIALRAUM)) <= 90
    assert len(city.areas_of(FOERDERGEBIET)) == 1


def test_keys_are_strings_with_leading_zeros_and_parents(city):
    (stadt,) = city.areas_of(STADT)
    assert re.fullmatch(r"05\d{6}", stadt.key) and stadt.parent_key is None
    district_keys = [area.key for area in city.areas_of(STADTTEIL)]
    assert district_keys == [f"{n:02d}" for n in range(1, len(district_keys) + 1)]
    assert all(area.parent_key == stadt.key for area in city.areas_of(STADTTEIL))
    for area in city.areas_of(SOZIALRAUM):
        assert re.fullmatch(r"\d{4}", area.key), area.key
        assert area.parent_key == area.key[:2]
        assert area.parent_key in district_keys
    children = {key: 0 for key in district_keys}
    for area in city.areas_of(SOZIALRAUM):
        children[area.parent_key] += 1
    assert min(children.values()) >= 2, children
    all_keys = [area.key for area in city.areas]
    assert len(all_keys) == len(set(all_keys))


def test_german_names(city):
    districts = {area.name for area in city.areas_of(STADTTEIL)}
    assert {"Altstadt", "Nordstadt", "Bahnhofsviertel", "Heide", "Hafen"} <= districts
    for level in (STADTTEIL, SOZIALRAUM):
        names = [area.name for area in city.areas_of(level)]
        assert all(names) and len(names) == len(set(names))
    sozialraum_names = {area.name for area in city.areas_of(SOZIALRAUM)}
    assert {"Stadtpark", "Hafen Kaianlagen", "Gewerbegebiet Ostfeld"} <= sozialraum_names
    assert any("ü" in name or "ö" in name for name in sozialraum_names)
    assert city.area(city.stadt_key).name == "Musterstadt"


def test_all_geometries_are_valid_counter_clockwise_polygons(city):
    for area in city.areas:
        geometry = area.geometry
        assert geometry.geom_type == "Polygon", area.key
        assert geometry.is_valid and not geometry.is_empty, area.key
        assert geometry.exterior.is_ccw, area.key  # RFC 7946 right-hand rule
        assert all(not ring.is_ccw for ring in geometry.interiors), area.key


@pytest.mark.parametrize(
    ("child_level", "parent_level"), [(SOZIALRAUM, STADTTEIL), (STADTTEIL, STADT)]
)
def test_children_tile_their_parent(city, metric, child_level, parent_level):
    parents = metric[parent_level]
    for parent_key, parent in parents.items():
        children = [
            metric[child_level][area.key]
            for area in city.areas_of(child_level)
            if area.parent_key == parent_key
        ]
        union = shapely.union_all(children)
        assert parent.symmetric_difference(union).area < TOLERANCE_M2, parent_key
        assert abs(sum(child.area for child in children) - parent.area) < TOLERANCE_M2


@pytest.mark.parametrize("level", [STADTTEIL, SOZIALRAUM])
def test_no_overlaps_within_a_level(metric, level):
    keys = sorted(metric[level])
    polygons = [metric[level][key] for key in keys]
    tree = shapely.STRtree(polygons)
    pairs = 0
    for i, polygon in enumerate(polygons):
        for j in tree.query(polygon):
            if j > i:
                pairs += 1
                overlap = polygon.intersection(polygons[j]).area
                assert overlap < TOLERANCE_M2, (keys[i], keys[j], overlap)
    assert pairs > len(keys)  # the check did compare neighbours


def test_every_sozialraum_has_neighbours_and_each_district_is_one_piece(city, metric):
    neighbours = adjacency(metric[SOZIALRAUM])
    assert all(neighbours[key] for key in neighbours)
    for district in city.areas_of(STADTTEIL):
        assert district.geometry.geom_type == "Polygon"


def test_plausible_size_shape_and_location(city, metric):
    outline = metric[STADT][city.stadt_key]
    min_x, min_y, max_x, max_y = outline.bounds
    assert 10_500 < max_x - min_x < 13_500  # about 12 km east-west
    assert 7_500 < max_y - min_y < 10_500  # about 9 km north-south
    assert 60e6 < outline.area < 100e6
    # not a rectangle: an irregular outline with many vertices, clearly below its box
    assert outline.area / ((max_x - min_x) * (max_y - min_y)) < 0.85
    assert len(outline.exterior.coords) > 60
    centre = city.area(city.stadt_key).geometry.centroid
    assert 7.5 < centre.x < 8.3 and 51.0 < centre.y < 51.4  # in Germany (NRW)


def test_coordinates_have_at_most_seven_decimals(city):
    for area in city.areas:
        for x, y in area.geometry.exterior.coords:
            assert float(f"{x:.7f}") == x and float(f"{y:.7f}") == y


def test_foerdergebiet_cuts_across_four_to_six_sozialraeume(city, metric):
    (target,) = city.areas_of(FOERDERGEBIET)
    assert target.name == "Fördergebiet Sozialer Zusammenhalt Nordstadt/Bahnhofsviertel"
    polygon = metric[FOERDERGEBIET][target.key]
    outline = metric[STADT][city.stadt_key]
    assert polygon.difference(outline).area < TOLERANCE_M2
    covered = {
        key: polygon.intersection(sozialraum).area / sozialraum.area
        for key, sozialraum in metric[SOZIALRAUM].items()
    }
    touched = {key for key, part in covered.items() if part > 0.02}
    assert 4 <= len(touched) <= 6, covered
    assert sum(1 for key in touched if covered[key] < 0.9) >= 2  # boundaries are cut
    names = {city.area(key[:2]).name for key in touched}
    assert {"Nordstadt", "Bahnhofsviertel"} <= names
    assert 0.5e6 < polygon.area < 5e6


def test_river_crosses_the_city(city):
    outline = city.area(city.stadt_key).geometry
    assert city.river.geom_type == "LineString"
    assert city.river.length > 0.1  # degrees: more than about 8 km
    assert outline.buffer(1e-6).contains(city.river)
