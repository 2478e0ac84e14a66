"""Small geometry helpers for the web side: label points, bounds, areas."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from gemeinsinn.geo.crs import ETRS89_LAEA, WGS84, CrsLike, transform_geometry


def label_point(geometry: BaseGeometry) -> tuple[float, float]:
    """A point for the area's label, always inside the area.

    Uses the largest part of a MultiPolygon; its centroid when that lies inside,
    otherwise the pole of inaccessibility (the inner point farthest from the edge,
    ``shapely.ops.polylabel``), which suits C- and U-shaped areas.
    """
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
    if not parts:
        raise ValueError("label_point needs a Polygon or MultiPolygon")
    largest = max(parts, key=lambda p: p.area)
    centroid = largest.centroid
    if largest.contains(centroid):
        return float(centroid.x), float(centroid.y)
    minx, miny, maxx, maxy = largest.bounds
    point = polylabel(largest, tolerance=max(maxx - minx, maxy - miny) / 200)
    if not largest.contains(point):  # never expected; stay safe for slivers
        point = largest.representative_point()
    return float(point.x), float(point.y)


def label_points(geometries: Sequence[BaseGeometry]) -> np.ndarray:
    """:func:`label_point` for each geometry, as an (n, 2) array of x, y."""
    return np.array([label_point(g) for g in geometries], dtype=float).reshape(-1, 2)


def bounds_of(geometries: Sequence[BaseGeometry]) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of all geometries together (WGS84: west, south, east,
    north, the order Leaflet's ``fitBounds`` needs swapped to [[s, w], [n, e]])."""
    if not len(geometries):
        raise ValueError("bounds of no geometries")
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    return tuple(float(v) for v in shapely.total_bounds(array))


def areas_m2(geometries: Sequence[BaseGeometry], crs: CrsLike = WGS84) -> np.ndarray:
    """Areas in m², measured in the equal-area EPSG:3035."""
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    return shapely.area(transform_geometry(array, crs, ETRS89_LAEA))
