"""CRS names, transforms between WGS84 and the German projected systems, detection."""

import numpy as np
import pytest
from shapely.geometry import Polygon, box

from gemeinsinn.geo import crs


@pytest.mark.parametrize(
    ("name", "code"),
    [
        (4326, 4326),
        ("EPSG:4326", 4326),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", 4326),
        ("OGC:CRS84", 4326),
        ("EPSG:25833", 25833),
        ("urn:ogc:def:crs:EPSG::25832", 25832),
        ("urn:ogc:def:crs:EPSG:6.6:25832", 25832),
        ("http://www.opengis.net/def/crs/EPSG/0/3035", 3035),
        ("EPSG:31468", 31468),  # Gauß-Krüger zone 4: any code pyproj knows
    ],
)
def test_epsg_code_understands_common_names(name, code):
    assert crs.epsg_code(name) == code


@pytest.mark.parametrize("name", ["EPSG:999999", "nonsense", True])
def test_epsg_code_rejects_unknown_names(name):
    with pytest.raises(ValueError):
        crs.epsg_code(name)


def test_laea_projection_centre_maps_to_false_origin():
    # EPSG:3035 is centred on 52° N, 10° E with false easting/northing 4 321 000 / 3 210 000
    x, y = crs.transform_xy(10.0, 52.0, 4326, 3035)
    assert float(x) == pytest.approx(4_321_000.0, abs=1e-6)
    assert float(y) == pytest.approx(3_210_000.0, abs=1e-6)


def test_utm_central_meridians():
    # the central meridian of a UTM zone has easting 500 000 m
    x33, _ = crs.transform_xy(15.0, 52.0, 4326, 25833)
    x32, _ = crs.transform_xy(9.0, 52.0, 4326, "urn:ogc:def:crs:EPSG::25832")
    assert float(x33) == pytest.approx(500_000.0, abs=1e-6)
    assert float(x32) == pytest.approx(500_000.0, abs=1e-6)


def test_lon_lat_order_is_kept_for_epsg_4326():
    # EPSG:4326 officially has lat/lon order; we always use lon/lat (x/y)
    x, y = crs.transform_xy(13.4, 52.5, "EPSG:4326", 25833)
    assert 350_000 < float(x) < 450_000
    assert 5_750_000 < float(y) < 5_850_000


def test_round_trip_of_arrays():
    rng = np.random.default_rng(1)
    lon = rng.uniform(6, 15, 1000)
    lat = rng.uniform(47, 55, 1000)
    for code in (25832, 25833, 3035):
        x, y = crs.transform_xy(lon, lat, 4326, code)
        lon2, lat2 = crs.transform_xy(x, y, code, 4326)
        assert np.abs(lon2 - lon).max() < 1e-8  # about 1 mm
        assert np.abs(lat2 - lat).max() < 1e-8  # about 1 mm


def test_transformers_are_cached_across_spellings():
    assert crs.transformer(4326, 25833) is crs.transformer("OGC:CRS84", "EPSG:25833")


def test_transform_geometry_keeps_area_in_equal_area_system():
    # a 1 km × 1 km square in UTM 33 keeps its area in LAEA within 0.1 %
    square = box(390_000, 5_810_000, 391_000, 5_811_000)
    in_laea = crs.transform_geometry(square, 25833, 3035)
    assert in_laea.area == pytest.approx(1_000_000, rel=1e-3)
    assert crs.transform_geometry(square, 25833, 25833) is square


def test_transform_geometry_accepts_arrays_of_geometries():
    geoms = np.array([box(13, 52, 13.1, 52.1), Polygon([(13, 52), (14, 52), (14, 53)])])
    out = crs.transform_geometry(geoms, 4326, 3035)
    assert len(out) == 2
    assert out[0].bounds[0] > 4_000_000


def _collection(coords, member=None):
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [coords]},
            }
        ],
    }
    if member is not None:
        fc["crs"] = {"type": "name", "properties": {"name": member}}
    return fc


DEGREES = [[13.3, 52.4], [13.5, 52.4], [13.5, 52.6], [13.3, 52.4]]
UTM = [[390_000, 5_810_000], [391_000, 5_810_000], [391_000, 5_811_000], [390_000, 5_810_000]]
LAEA = [
    [4_550_000, 3_270_000],
    [4_551_000, 3_270_000],
    [4_551_000, 3_271_000],
    [4_550_000, 3_270_000],
]


@pytest.mark.parametrize(
    ("member", "code"),
    [
        ("urn:ogc:def:crs:OGC:1.3:CRS84", 4326),
        ("EPSG:25833", 25833),
        ("urn:ogc:def:crs:EPSG::25832", 25832),
    ],
)
def test_detect_crs_reads_the_crs_member(member, code):
    found = crs.detect_crs(_collection(UTM, member))
    assert (found.epsg, found.source) == (code, "crs-member")


def test_crs_member_beats_the_fallback():
    assert crs.detect_crs(_collection(UTM, "EPSG:25832"), fallback=25833).epsg == 25832


def test_detect_crs_from_coordinates():
    assert crs.detect_crs(_collection(DEGREES)) == crs.CrsDetection(4326, "coordinates", (4326,))
    assert crs.detect_crs(_collection(LAEA)).epsg == 3035


def test_utm_coordinates_are_ambiguous_unless_the_caller_says():
    found = crs.detect_crs(_collection(UTM))
    assert found.epsg is None
    assert found.candidates == (25832, 25833)
    assert "Zone 32" in found.message and "Zone 33" in found.message
    said = crs.detect_crs(_collection(UTM), fallback="EPSG:25833")
    assert (said.epsg, said.source) == (25833, "caller")


def test_unknown_crs_member_is_undecided_with_a_german_message():
    found = crs.detect_crs(_collection(UTM, "urn:ogc:def:crs:EPSG::99999999"))
    assert found.epsg is None
    assert "unbekannt" in found.message


def test_coordinates_that_fit_nothing():
    far = [[9e7, 9e7], [9e7 + 1, 9e7], [9e7, 9e7 + 1], [9e7, 9e7]]
    found = crs.detect_crs(_collection(far))
    assert found.epsg is None and "passen zu keinem" in found.message
    assert crs.detect_crs(_collection(far), fallback=3035).epsg == 3035
