"""Label points, bounds, areas and single GeoJSON features."""

import json

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, box

from gemeinsinn.geo.geojson import feature_collection, to_geojson_feature
from gemeinsinn.geo.shapes import areas_m2, bounds_of, label_point, label_points

U_SHAPE = Polygon([(0, 0), (10, 0), (10, 10), (8, 10), (8, 2), (2, 2), (2, 10), (0, 10)])


def test_label_point_is_the_centroid_of_a_convex_area():
    assert label_point(box(0, 0, 4, 2)) == (2.0, 1.0)


def test_label_point_stays_inside_a_u_shape():
    assert not U_SHAPE.contains(U_SHAPE.centroid)
    x, y = label_point(U_SHAPE)
    assert U_SHAPE.contains(Point(x, y))


def test_label_point_uses_the_largest_part():
    parts = MultiPolygon([box(0, 0, 1, 1), box(10, 10, 14, 14)])
    assert label_point(parts) == (12.0, 12.0)


def test_label_points_and_bounds():
    points = label_points([box(0, 0, 2, 2), U_SHAPE])
    assert points.shape == (2, 2) and tuple(points[0]) == (1.0, 1.0)
    assert bounds_of([box(0, 0, 2, 2), box(5, -1, 6, 1)]) == (0.0, -1.0, 6.0, 2.0)
    with pytest.raises(ValueError):
        bounds_of([])
    with pytest.raises(ValueError):
        label_point(Point(0, 0))


def test_areas_in_square_metres():
    # 1 km × 1 km in UTM 33 and the same square in degrees
    square = box(390_000, 5_810_000, 391_000, 5_811_000)
    assert areas_m2([square], 25833)[0] == pytest.approx(1e6, rel=1e-3)
    assert np.all(areas_m2([box(13, 52, 13.01, 52.01)]) > 7e5)


def test_to_geojson_feature_rounds_and_adds_bbox():
    geometry = box(13.1234567891, 52.1, 13.2, 52.2000004)
    feature = to_geojson_feature(geometry, {"name": "Mitte"}, feature_id="01")
    assert feature["type"] == "Feature" and feature["id"] == "01"
    assert feature["bbox"] == [13.123457, 52.1, 13.2, 52.2]
    assert feature["properties"] == {"name": "Mitte"}
    assert feature["geometry"]["type"] == "Polygon"
    assert [13.123457, 52.1] in feature["geometry"]["coordinates"][0]
    text = json.dumps(feature_collection([feature]))
    assert '"bbox": [13.123457, 52.1, 13.2, 52.2]' in text
