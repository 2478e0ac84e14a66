"""Small helpers for the demo data tests: metric geometry, shares, Moran's I."""

import numpy as np
import shapely
from pyproj import Transformer

_TO_LAEA = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)


def to_laea(geometry):
    """WGS84 lon/lat -> ETRS89-LAEA (EPSG:3035), metres, equal-area."""

    def convert(coordinates: np.ndarray) -> np.ndarray:
        x, y = _TO_LAEA.transform(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, convert)


def share(statistics, key: str, year: int, numerator: str, denominator: str) -> float | None:
    top = statistics.value(key, year, numerator)
    bottom = statistics.value(key, year, denominator)
    if top is None or not bottom:
        return None
    return 100.0 * top / bottom


def adjacency(polygons: dict[str, object]) -> dict[str, set[str]]:
    """Key -> keys of the polygons that share a boundary line (not just a point)."""
    keys = sorted(polygons)
    geometries = [polygons[key] for key in keys]
    tree = shapely.STRtree(geometries)
    result: dict[str, set[str]] = {key: set() for key in keys}
    for i, geometry in enumerate(geometries):
        for j in tree.query(geometry):
            if j == i:
                continue
            if geometry.boundary.intersection(geometries[j].boundary).length > 0:
                result[keys[i]].add(keys[j])
    return result


def morans_i(values: dict[str, float], neighbours: dict[str, set[str]]) -> float:
    """Moran's I with binary contiguity weights over the keys present in values."""
    keys = sorted(values)
    x = np.array([values[key] for key in keys])
    z = x - x.mean()
    index = {key: i for i, key in enumerate(keys)}
    cross, weights = 0.0, 0
    for key in keys:
        for other in neighbours[key]:
            if other in index:
                cross += z[index[key]] * z[index[other]]
                weights += 1
    return len(keys) / weights * cross / float(z @ z)


def zscores(values: np.ndarray) -> np.ndarray:
    """Standardise with the population standard deviation (divide by n), as the MSS."""
    return (values - values.mean()) / values.std()
