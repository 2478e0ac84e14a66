"""Boundary import: real Berlin files parse cleanly; every kind of bad file is reported
in German with its location; the GeoJSON writer round-trips."""

import json
import subprocess
import sys

import numpy as np
import pytest
import shapely
from shapely.geometry import box, shape

from gemeinsinn.geo.boundaries import (
    BoundaryFeature,
    boundaries_to_geojson,
    check_hierarchy,
    check_overlaps_and_gaps,
    derive_parent_keys,
    parse_boundaries,
)
from gemeinsinn.geo.crs import transform_geometry

GEOMETRY = "berlin-mss/geometry"


# ------------------------------------------------------------------ synthetic files


def square(x0, y0, size=0.01):
    return shapely.geometry.mapping(box(x0, y0, x0 + size, y0 + size))


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def collection(features, crs=None):
    fc = {"type": "FeatureCollection", "features": features}
    if crs:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(fc).encode()


def good_features(n=3):
    return [
        feature({"id": f"0101110{i}", "name": f"Gebiet {i}"}, square(13.3 + 0.01 * i, 52.5))
        for i in range(1, n + 1)
    ]


def only(problems, text):
    found = [p for p in problems if text in p.message]
    assert found, f"no problem containing {text!r} in {[p.message for p in problems]}"
    return found


def test_a_clean_file_parses_with_areas_and_bboxes():
    result = parse_boundaries(collection(good_features()), "gebiete.geojson")
    assert result.ok and result.problems == []
    assert (result.key_property, result.name_property, result.crs) == ("id", "name", 4326)
    assert [f.key for f in result.features] == ["01011101", "01011102", "01011103"]
    first = result.features[0]
    assert first.name == "Gebiet 1" and first.number == 1
    # 0.01° × 0.01° at 52.5° N: 1113.2 m × 678.4 m (approximately)
    assert first.area_m2 == pytest.approx(1113.2 * 678.4, rel=5e-3)
    assert first.bbox == pytest.approx((13.31, 52.5, 13.32, 52.51))


def test_not_json_reports_line_and_column():
    data = b'{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",, }\n ]}'
    result = parse_boundaries(data, "kaputt.geojson")
    (problem,) = result.problems
    assert problem.severity == "error"
    assert (problem.file, problem.line, problem.column) == ("kaputt.geojson", 3, "22")
    assert "kein gültiges JSON" in problem.message
    assert "Eigenschaftsname" in problem.message  # the JSON error, in German
    assert "kaputt.geojson, Zeile 3, Spalte 22" in str(problem)


def test_not_utf8():
    data = collection(good_features()).replace(b"Gebiet 1", "Gebiet ä".encode("latin-1"))
    (problem,) = parse_boundaries(data, "x.geojson").problems
    assert "UTF-8" in problem.message and problem.line == 1
    assert "UTF-8" in problem.hint


def test_a_utf8_byte_order_mark_is_fine():
    assert parse_boundaries(b"\xef\xbb\xbf" + collection(good_features()), "x").ok


@pytest.mark.parametrize(
    ("document", "text"),
    [
        (feature({"id": "1"}, square(13, 52)), "nur ein einzelnes Objekt"),
        (square(13, 52), "Typ „Polygon“"),
        ([1, 2], "kein GeoJSON-Objekt"),
        ({"type": "FeatureCollection"}, "keine Liste „features“"),
        ({"type": "FeatureCollection", "features": []}, "keine Gebiete"),
    ],
)
def test_not_a_feature_collection(document, text):
    result = parse_boundaries(json.dumps(document), "x.geojson")
    assert not result.ok and result.features == []
    only(result.problems, text)
    assert "FeatureCollection" in result.problems[0].hint


def test_missing_key_property_lists_the_available_ones():
    features = [feature({"Bez": "A", "flaeche": 3}, square(13.3, 52.5))]
    result = parse_boundaries(collection(features), "x.geojson")
    (problem,) = only(result.problems, "Keine Eigenschaft mit dem Schlüssel")
    assert "„Bez“, „flaeche“" in problem.hint
    assert not result.ok


def test_explicit_property_names_are_used_and_checked():
    features = [feature({"PLR": "0101", "Titel": "Mitte"}, square(13.3, 52.5))]
    result = parse_boundaries(
        collection(features), "x.geojson", key_property="PLR", name_property="Titel"
    )
    assert result.ok and result.features[0].key == "0101"
    assert result.features[0].name == "Mitte"
    wrong = parse_boundaries(collection(features), "x.geojson", key_property="plr_id")
    (problem,) = only(wrong.problems, "„plr_id“")
    assert problem.column == "plr_id" and "„PLR“" in problem.hint


def test_auto_detects_common_property_names_ignoring_case():
    features = [feature({"PLR_ID": "01011101", "PLR_NAME": "Stülerstraße"}, square(13.3, 52.5))]
    result = parse_boundaries(collection(features), "x.geojson")
    assert (result.key_property, result.name_property) == ("PLR_ID", "PLR_NAME")
    assert result.features[0].name == "Stülerstraße"


def test_missing_name_falls_back_to_key_with_a_warning():
    features = [feature({"id": "01", "name": None}, square(13.3, 52.5))]
    result = parse_boundaries(collection(features), "x.geojson")
    assert result.ok
    assert result.features[0].name == "01"
    assert only(result.warnings, "Der Name fehlt")


def test_missing_and_empty_keys_on_features():
    features = good_features(3)
    features[0]["properties"]["id"] = None
    features[2]["properties"]["id"] = "  "
    result = parse_boundaries(collection(features), "x.geojson")
    messages = [p.message for p in result.errors]
    assert "Objekt Nr. 1: Der Schlüssel fehlt." in messages
    assert "Objekt Nr. 3: Der Schlüssel ist leer." in messages
    assert all(p.column == "id" for p in result.errors)


def test_duplicate_keys_name_both_features():
    features = good_features(3)
    features[2]["properties"]["id"] = "01011101"
    result = parse_boundaries(collection(features), "x.geojson")
    (problem,) = result.errors
    assert problem.message == (
        "Der Schlüssel „01011101“ kommt 2-mal vor: "
        "Objekte Nr. 1 („Gebiet 1“) und Nr. 3 („Gebiet 3“)."
    )


def test_numeric_key_shorter_than_text_keys_is_reported_not_guessed():
    features = good_features(3)
    features[1]["properties"]["id"] = 1011102  # lost its leading zero
    features[2]["properties"]["id"] = 11011103  # a number, but of full length: fine
    result = parse_boundaries(collection(features), "x.geojson")
    (problem,) = result.errors
    assert "Objekt Nr. 2 (Schlüssel „1011102“)" in problem.message
    assert "7 Stellen, die übrigen haben 8" in problem.message
    assert "führende Null" in problem.message
    assert "als Text" in problem.hint
    assert [f.key for f in result.features] == ["01011101", "1011102", "11011103"]


def test_all_numeric_keys_of_varying_length_give_a_warning():
    features = [
        feature({"id": i, "name": f"B{i}"}, square(13 + 0.01 * i, 52.5)) for i in (1, 2, 12)
    ]
    result = parse_boundaries(collection(features), "x.geojson")
    assert result.ok
    assert [f.key for f in result.features] == ["1", "2", "12"]
    (warning,) = result.warnings
    assert "1 bis 2 Stellen" in warning.message


def test_non_integer_and_odd_keys():
    features = good_features(3)
    features[0]["properties"]["id"] = 12.5
    features[1]["properties"]["id"] = True
    features[2]["properties"]["id"] = ["a"]
    messages = " ".join(p.message for p in parse_boundaries(collection(features), "x").errors)
    assert "keine ganze Zahl (12.5)" in messages
    assert "Wahrheitswert" in messages
    assert "weder Text noch Zahl" in messages


@pytest.mark.parametrize(
    ("geometry", "text"),
    [
        (None, "Die Geometrie fehlt"),
        ({"type": "Point", "coordinates": [13.4, 52.5]}, "keine Fläche (Typ „Point“)"),
        ({"type": "Polygon", "coordinates": [[[13.4, 52.5], [13.5, 52.5]]]}, "fehlerhaft"),
        ({"type": "Polygon", "coordinates": []}, "leer"),
    ],
)
def test_bad_geometries(geometry, text):
    features = good_features(2)
    features[1]["geometry"] = geometry
    result = parse_boundaries(collection(features), "x.geojson")
    (problem,) = result.errors
    assert problem.message.startswith("Objekt Nr. 2 (Schlüssel „01011102“): ")
    assert text in problem.message
    assert [f.key for f in result.features] == ["01011101"]


def test_self_intersection_is_repaired_with_a_warning_naming_reason_and_area_change():
    features = good_features(2)
    # a bow tie: two triangles of 0.005 × 0.01 / 2 each; signed area 0 before repair
    features[1]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[13.3, 52.5], [13.31, 52.51], [13.31, 52.5], [13.3, 52.51], [13.3, 52.5]]],
    }
    result = parse_boundaries(collection(features), "x.geojson")
    assert result.ok
    (warning,) = result.warnings
    assert "Objekt Nr. 2 (Schlüssel „01011102“)" in warning.message
    assert "Selbstüberschneidung bei 13.305, 52.505" in warning.message
    assert "automatisch repariert" in warning.message
    repaired = result.features[1]
    assert repaired.geometry.is_valid and repaired.geometry.geom_type == "MultiPolygon"
    # area went from 0 to half the square: the change is stated in m²
    assert repaired.area_m2 == pytest.approx(1113.2 * 678.4 / 2, rel=5e-3)
    assert f"{repaired.area_m2:,.0f} m²".replace(",", ".") in warning.message


def test_repair_reports_the_percentage_when_area_was_not_zero():
    features = good_features(1)
    # square with a hole that pokes out of the shell
    features[0]["geometry"] = {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
            [[2, 2], [12, 2], [12, 4], [2, 4], [2, 2]],
        ],
    }
    result = parse_boundaries(collection(features), "x.geojson", crs=4326)
    (warning,) = result.warnings
    assert "%" in warning.message
    assert result.features[0].geometry.area == pytest.approx(100 - 16)


def test_unrepairable_geometry_is_an_error():
    features = good_features(2)
    features[0]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[13.3, 52.5], [13.31, 52.5], [13.32, 52.5], [13.3, 52.5]]],
    }
    result = parse_boundaries(collection(features), "x.geojson")
    (problem,) = result.errors
    assert "lässt sich nicht zu einer Fläche reparieren" in problem.message
    assert [f.key for f in result.features] == ["01011102"]


def test_degrees_declared_as_utm_are_out_of_range():
    result = parse_boundaries(collection(good_features(2), crs="EPSG:25833"), "x.geojson")
    assert len(result.errors) == 2
    problem = result.errors[0]
    assert "außerhalb des Bereichs von EPSG:25833" in problem.message
    assert "Objekt Nr. 1" in problem.message
    assert "EPSG:4326" in problem.hint  # says what the numbers look like


def test_metres_declared_as_wgs84_point_to_utm():
    utm = shapely.geometry.mapping(box(390_000, 5_810_000, 391_000, 5_811_000))
    features = [feature({"id": "1", "name": "a"}, utm)]
    data = collection(features, crs="urn:ogc:def:crs:OGC:1.3:CRS84")
    (problem,) = parse_boundaries(data, "x.geojson").errors
    assert "außerhalb des Bereichs von EPSG:4326" in problem.message
    assert "EPSG:25832 oder EPSG:25833" in problem.hint


def test_many_out_of_range_features_are_reported_together():
    result = parse_boundaries(collection(good_features(9), crs="EPSG:25832"), "x.geojson")
    (problem,) = result.errors
    assert problem.message.startswith("9 von 9 Gebieten haben Koordinaten außerhalb")
    assert "und 4 weitere" in problem.message


def test_latitude_out_of_range_in_wgs84():
    features = good_features(2)
    features[1]["geometry"] = square(13.3, 95.0)
    result = parse_boundaries(collection(features), "x.geojson", crs=4326)
    (problem,) = result.errors
    assert "Objekt Nr. 2" in problem.message and "EPSG:4326" in problem.message


def test_swapped_lon_lat_is_flagged():
    features = [feature({"id": "1", "name": "a"}, square(52.5, 13.3))]
    result = parse_boundaries(collection(features), "x.geojson")
    assert only(result.warnings, "vertauscht")


def test_undecidable_crs_asks_the_caller():
    utm = shapely.geometry.mapping(box(390_000, 5_810_000, 391_000, 5_811_000))
    features = [feature({"id": "1", "name": "a"}, utm)]
    result = parse_boundaries(collection(features), "x.geojson")
    (problem,) = result.errors
    assert "Koordinatensystem der Datei ist unklar" in problem.message
    assert "EPSG:25832 oder EPSG:25833" in problem.hint
    told = parse_boundaries(collection(features), "x.geojson", crs=25833)
    assert told.ok and told.crs == 25833
    assert told.features[0].area_m2 == pytest.approx(1_000_000, rel=1e-3)


def test_all_problems_are_reported_at_once():
    features = good_features(6)
    features[0]["properties"]["id"] = None
    features[1]["geometry"] = None
    features[2]["properties"]["id"] = "01011104"  # duplicate of feature 4
    features[4]["geometry"] = {"type": "LineString", "coordinates": [[13, 52], [14, 53]]}
    features[5] = "kein Objekt"
    result = parse_boundaries(collection(features), "x.geojson")
    messages = [p.message for p in result.errors]
    assert len(messages) == 5, messages
    assert any("Objekt Nr. 1: Der Schlüssel fehlt" in m for m in messages)
    assert any("Objekt Nr. 2 (Schlüssel „01011102“): Die Geometrie fehlt" in m for m in messages)
    assert any("„01011104“ kommt 2-mal vor" in m for m in messages)
    assert any("Objekt Nr. 5 (Schlüssel „01011105“)" in m for m in messages)
    assert any("Objekt Nr. 6 ist kein GeoJSON-Feature" in m for m in messages)
    assert all(p.file == "x.geojson" and p.hint for p in result.errors)


# ---------------------------------------------------------------------- hierarchy


def test_parent_key_from_a_property():
    features = good_features(2)
    for f in features:
        f["properties"]["parent_key"] = "01"
    result = parse_boundaries(collection(features), "x.geojson", parent_keys={"01", "02"})
    assert result.parent_property == "parent_key"
    assert [f.parent_key for f in result.features] == ["01", "01"]
    assert result.ok


def test_check_hierarchy_reports_unknown_and_missing_parents():
    geom = box(13.3, 52.5, 13.31, 52.51)
    features = [
        BoundaryFeature("0101", "A", "01", geom, number=1),
        BoundaryFeature("0201", "B", "02", geom, number=2),
        BoundaryFeature("0301", "C", None, geom, number=3),
    ]
    problems = check_hierarchy(features, {"01", "03"}, file="plr.geojson")
    assert [p.message for p in problems] == [
        "Objekt Nr. 2 (Schlüssel „0201“): Der übergeordnete Schlüssel „02“ gibt es auf der "
        "übergeordneten Ebene nicht.",
        "Objekt Nr. 3 (Schlüssel „0301“): Der übergeordnete Schlüssel fehlt.",
    ]
    assert "Bekannt sind 2 Schlüssel, z. B. „01“, „03“." in problems[0].hint
    assert check_hierarchy(features, None) == []


def test_parent_keys_from_key_prefix_and_hierarchy_errors_at_import():
    features = good_features(2)
    result = parse_boundaries(
        collection(features), "x.geojson", parent_key_length=2, parent_keys={"02"}
    )
    assert [f.parent_key for f in result.features] == ["01", "01"]
    assert len(result.errors) == 2 and "„01“ gibt es" in result.errors[0].message


# -------------------------------------------------------------- overlaps and gaps


def test_overlaps_and_gaps_are_warnings_with_areas():
    # in EPSG:3035 metres: a 3×1 km strip of three squares; the third overlaps the
    # second by 100 m × 1 km, and a 200 × 200 m hole sits between the first two
    laea = [
        box(4_550_000, 3_270_000, 4_551_000, 3_271_000).difference(
            box(4_550_900, 3_270_400, 4_551_000, 3_270_600)
        ),
        box(4_551_000, 3_270_000, 4_552_000, 3_271_000).difference(
            box(4_551_000, 3_270_400, 4_551_100, 3_270_600)
        ),
        box(4_551_900, 3_270_000, 4_553_000, 3_271_000),
    ]
    features = [
        BoundaryFeature(str(i), f"G{i}", None, transform_geometry(g, 3035, 4326), number=i)
        for i, g in enumerate(laea, start=1)
    ]
    problems = check_overlaps_and_gaps(features, file="x.geojson")
    assert all(p.severity == "warning" for p in problems)
    (overlap,) = only(problems, "überlappen")
    assert "Objekt Nr. 2 (Schlüssel „2“) und Objekt Nr. 3 (Schlüssel „3“)" in overlap.message
    assert "auf 100.000 m² (10,20 % der kleineren Fläche)" in overlap.message
    (gap,) = only(problems, "Lücke")
    assert "Lücke von 40.000 m² zwischen den Gebieten „1“, „2“" in gap.message


# -------------------------------------------------------------------------- writer


def test_writer_rounds_adds_bbox_and_merges_properties():
    result = parse_boundaries(collection(good_features(2)), "x.geojson")
    fc = boundaries_to_geojson(result.features, {"01011102": {"status": 3}})
    assert fc["type"] == "FeatureCollection"
    assert fc["bbox"] == [13.31, 52.5, 13.33, 52.51]
    first, second = fc["features"]
    assert first["id"] == "01011101"
    area = round(result.features[0].area_m2)
    assert first["properties"] == {"key": "01011101", "name": "Gebiet 1", "area_m2": area}
    assert second["properties"]["status"] == 3
    assert first["bbox"] == [13.31, 52.5, 13.32, 52.51]
    coords = np.array(first["geometry"]["coordinates"][0])
    assert np.array_equal(coords, np.round(coords, 6))
    json.dumps(fc)  # serialisable: lists and plain floats only


@pytest.mark.shared_data
def test_writer_simplifies_and_keeps_shared_edges(shared_data):
    path = shared_data / GEOMETRY / "lor_planungsraeume_pre2021.geojson"
    features = parse_boundaries(path.read_bytes(), path.name).features
    full = boundaries_to_geojson(features)
    slim = boundaries_to_geojson(features, simplify_m=10)
    count = lambda fc: sum(  # noqa: E731
        len(shapely.get_coordinates(shape(f["geometry"]))) for f in fc["features"]
    )
    assert count(slim) < 0.6 * count(full)
    geoms = np.array([shape(f["geometry"]) for f in slim["features"]])
    assert shapely.is_valid(geoms).all()
    # neighbours still share their edges: no overlaps beyond rounding noise
    union_area = transform_geometry(shapely.union_all(geoms), 4326, 3035).area
    total = sum(transform_geometry(g, 4326, 3035).area for g in geoms)
    assert abs(total - union_area) < 50  # m² over 891 km²
    assert union_area / 1e6 == pytest.approx(891.1, abs=0.5)


# ---------------------------------------------------------------- real Berlin data


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("file_name", "count", "key_length"),
    [
        ("lor_planungsraeume_pre2021.geojson", 448, 8),
        ("lor_bezirksregionen_pre2021.geojson", 138, 6),
        ("berlin_bezirke.geojson", 12, 2),
    ],
)
def test_berlin_files_parse(shared_data, file_name, count, key_length):
    path = shared_data / GEOMETRY / file_name
    result = parse_boundaries(path.read_bytes(), file_name)
    assert result.ok, [str(p) for p in result.problems]
    assert result.crs == 4326
    assert len(result.features) == count
    assert {len(f.key) for f in result.features} == {key_length}
    assert len({f.key for f in result.features}) == count
    assert all(f.geometry.is_valid for f in result.features)
    # Berlin covers 891.1 km²
    assert sum(f.area_m2 for f in result.features) / 1e6 == pytest.approx(891.1, abs=0.5)


@pytest.mark.shared_data
def test_berlin_planungsraum_areas_match_the_published_ones(shared_data):
    path = shared_data / GEOMETRY / "lor_planungsraeume_pre2021.geojson"
    features = parse_boundaries(path.read_bytes(), path.name).features
    ratios = np.array([f.area_m2 / f.properties["area"] for f in features])
    assert np.abs(ratios - 1).max() < 2e-3
    stueler = next(f for f in features if f.key == "01011101")
    assert stueler.name == "Stülerstraße"
    assert stueler.bbox == pytest.approx(tuple(stueler.properties["bounding_box"]))


@pytest.mark.shared_data
def test_berlin_hierarchy_by_key_prefix(shared_data):
    folder = shared_data / GEOMETRY
    bezirke = parse_boundaries((folder / "berlin_bezirke.geojson").read_bytes(), "bezirke")
    regionen = parse_boundaries(
        (folder / "lor_bezirksregionen_pre2021.geojson").read_bytes(), "bzr"
    )
    bezirk_keys = {f.key for f in bezirke.features}
    assert bezirk_keys == {f"{i:02d}" for i in range(1, 13)}
    plr = parse_boundaries(
        (folder / "lor_planungsraeume_pre2021.geojson").read_bytes(),
        "plr",
        parent_key_length=2,
        parent_keys=bezirk_keys,
    )
    assert plr.ok and plr.problems == []
    # and Planungsraum → Bezirksregion by the first six digits
    by_region = derive_parent_keys(plr.features, 6)
    assert check_hierarchy(by_region, {f.key for f in regionen.features}) == []
    # without Mitte every one of its Planungsräume is reported
    in_mitte = sum(f.key.startswith("01") for f in plr.features)
    assert in_mitte > 0
    assert len(check_hierarchy(plr.features, bezirk_keys - {"01"})) == in_mitte


@pytest.mark.shared_data
def test_berlin_planungsraeume_have_no_overlaps_or_gaps(shared_data):
    path = shared_data / GEOMETRY / "lor_planungsraeume_pre2021.geojson"
    result = parse_boundaries(path.read_bytes(), path.name, check_topology=True)
    assert result.problems == []


@pytest.mark.shared_data
def test_round_trip_through_utm33(shared_data):
    path = shared_data / GEOMETRY / "lor_planungsraeume_pre2021.geojson"
    original = parse_boundaries(path.read_bytes(), path.name).features
    utm_features = [
        feature(
            {"PLR_ID": f.key, "PLR_NAME": f.name},
            shapely.geometry.mapping(transform_geometry(f.geometry, 4326, 25833)),
        )
        for f in original
    ]
    data = collection(utm_features, crs="urn:ogc:def:crs:EPSG::25833")
    back = parse_boundaries(data, "utm.geojson")
    assert back.ok and back.crs == 25833
    assert [f.key for f in back.features] == [f.key for f in original]
    for a, b in zip(original, back.features, strict=True):
        ca, cb = shapely.get_coordinates(a.geometry), shapely.get_coordinates(b.geometry)
        assert ca.shape == cb.shape
        assert np.abs(ca - cb).max() < 1e-6
        assert b.area_m2 == pytest.approx(a.area_m2, rel=1e-6)


def test_geo_core_does_not_import_django():
    modules = ["boundaries", "crs", "geojson", "palette", "pointinarea", "shapes", "svg"]
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}: importlib.import_module('gemeinsinn.geo.' + name)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
