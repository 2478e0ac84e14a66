"""Writing shapely geometries as GeoJSON (RFC 7946) dictionaries.

Coordinates are rounded (6 decimals of a degree ≈ 0.1 m, which keeps the output
small and reproducible) and every feature and collection carries a ``bbox``.
Shared vertices of neighbouring areas round to the same numbers, so rounding keeps
neighbours edge-matched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gemeinsinn.geo.crs import ETRS89_LAEA, WGS84, CrsLike, transform_geometry


def round_geometry(geometry: BaseGeometry, decimals: int = 6) -> BaseGeometry:
    """Round all coordinates to ``decimals`` places and drop repeated vertices."""
    rounded = shapely.transform(geometry, lambda coords: np.round(coords, decimals))
    return shapely.remove_repeated_points(rounded, tolerance=0.0)


def simplify_coverage(
    geometries: Iterable[BaseGeometry], tolerance_m: float, crs: CrsLike = WGS84
) -> list[BaseGeometry]:
    """Simplify neighbouring areas together so that shared edges stay shared.

    ``tolerance_m`` is in metres (roughly the square root of the area of the
    triangles removed, Visvalingam–Whyatt); the work is done in EPSG:3035. Edges
    that do not match exactly between neighbours (a not quite clean coverage) are
    simplified on both sides independently; any result that comes out invalid is
    repaired, keeping its polygonal parts.
    """
    items = list(geometries)
    if not items or tolerance_m <= 0:
        return items
    projected = transform_geometry(np.array(items, dtype=object), crs, ETRS89_LAEA)
    simplified = shapely.coverage_simplify(projected, tolerance_m)
    invalid = ~shapely.is_valid(simplified)
    if invalid.any():
        repaired = shapely.make_valid(simplified[invalid], method="structure", keep_collapsed=False)
        simplified[invalid] = repaired
    return list(transform_geometry(simplified, ETRS89_LAEA, crs))


def geometry_to_geojson(geometry: BaseGeometry, decimals: int = 6) -> dict[str, Any]:
    """A GeoJSON geometry dict with rounded coordinates (lists, not tuples)."""
    return _lists(shapely.geometry.mapping(round_geometry(geometry, decimals)))


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _lists(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_lists(v) for v in node]
    if isinstance(node, float | np.floating):
        return float(node)
    return node


def _bbox(geometry: BaseGeometry, decimals: int) -> list[float]:
    return [float(v) for v in np.round(shapely.bounds(geometry), decimals)]


def to_geojson_feature(
    geometry: BaseGeometry,
    properties: Mapping[str, Any] | None = None,
    *,
    feature_id: str | None = None,
    decimals: int = 6,
) -> dict[str, Any]:
    """One GeoJSON Feature with ``bbox``, rounded coordinates and the given properties.

    ``geometry`` must be in WGS84 (lon/lat) as RFC 7946 requires.
    """
    rounded = round_geometry(geometry, decimals)
    feature: dict[str, Any] = {"type": "Feature"}
    if feature_id is not None:
        feature["id"] = feature_id
    feature["bbox"] = _bbox(rounded, decimals)
    feature["properties"] = dict(properties or {})
    feature["geometry"] = _lists(shapely.geometry.mapping(rounded))
    return feature


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection with a ``bbox`` spanning all features' ``bbox`` members."""
    boxes = [f["bbox"] for f in features if f.get("bbox")]
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if boxes:
        arr = np.asarray(boxes, dtype=float)
        collection["bbox"] = [
            float(arr[:, 0].min()),
            float(arr[:, 1].min()),
            float(arr[:, 2].max()),
            float(arr[:, 3].max()),
        ]
    collection["features"] = features
    return collection
