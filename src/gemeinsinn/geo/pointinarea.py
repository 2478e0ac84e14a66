"""Assign many points (addresses, grid cell centroids, service locations) to areas.

:class:`AreaLocator` lays a regular grid over the areas once. Every grid cell is
classified by numpy rasterisation:

- cells that no area boundary touches lie entirely inside one area (or outside all):
  their points are answered by a single array lookup;
- "boundary cells" are crossed by the edges of a few areas: only the points in them
  are tested exactly, with ``shapely.intersects_xy`` against those few candidate areas
  (prepared geometries, vectorised over all point/candidate pairs).

Rule for points on a boundary: a point belongs to the area with the *lowest index*
among all areas that cover it (interior or boundary). A point on the edge shared by
areas 3 and 7 goes to area 3; a point inside exactly one area goes to that area,
which is the same answer as the ``within`` predicate gives. Overlapping areas are
allowed and follow the same rule.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# Default grid size: about this many cells per polygon vertex, within the bounds below.
_CELLS_PER_VERTEX = 2.0
_MIN_CELLS = 4_096
_MAX_CELLS = 8_000_000
_LIMIT_CELLS = 64_000_000  # refuse explicit cell sizes that would need gigabytes
# Safety margin (in cell widths) for marking cells touched by an edge: covers
# floating-point rounding when a point or an edge lies exactly on a grid line.
_DELTA = 1e-6


class AreaLocator:
    """Find the area each point lies in.

    ``geometries``: Polygons/MultiPolygons, all in one CRS (projected or geographic);
    the points passed to :meth:`locate` must be in the same CRS. ``keys``: one key per
    geometry, returned by :meth:`locate_one`. ``cell_size``: grid cell width in CRS
    units; by default chosen from the extent and the number of vertices.

    The locator works on its own prepared copies; the caller's geometries are left
    untouched.
    """

    def __init__(
        self,
        geometries: Sequence[BaseGeometry],
        keys: Sequence[Hashable],
        *,
        cell_size: float | None = None,
    ):
        geoms = np.empty(len(geometries), dtype=object)
        geoms[:] = list(geometries)
        geoms = shapely.from_wkb(shapely.to_wkb(geoms))  # private copies to prepare
        if len(keys) != len(geoms):
            raise ValueError(f"{len(keys)} keys for {len(geoms)} geometries")
        types = shapely.get_type_id(geoms)
        if len(geoms) and not np.isin(types, (3, 6)).all():
            raise ValueError("AreaLocator needs Polygon or MultiPolygon geometries")
        self.geometries = geoms
        self.keys = list(keys)
        shapely.prepare(geoms)
        self._build(cell_size)

    # ------------------------------------------------------------------ building

    def _build(self, cell_size: float | None) -> None:
        n = len(self.geometries)
        segments = _segments(self.geometries)
        if n == 0 or len(segments[0]) == 0:
            self._x0 = self._y0 = 0.0
            self._inv = 1.0
            self._nx = self._ny = 1
            self._owner = np.full(1, -1, dtype=np.int32)
            self._boundary = np.zeros(1, dtype=bool)
            self._cand_ptr = np.zeros(2, dtype=np.int64)
            self._cand_poly = np.empty(0, dtype=np.int32)
            return
        minx, miny, maxx, maxy = shapely.total_bounds(self.geometries)
        width, height = max(maxx - minx, 1e-12), max(maxy - miny, 1e-12)
        if cell_size is None:
            target = np.clip(_CELLS_PER_VERTEX * len(segments[0]), _MIN_CELLS, _MAX_CELLS)
            cell_size = float(np.sqrt(width * height / target))
        if not cell_size > 0:
            raise ValueError("cell_size must be positive")
        # one spare cell on every side keeps all edges well inside the grid
        self._x0 = minx - cell_size
        self._y0 = miny - cell_size
        self._inv = 1.0 / cell_size
        self._nx = int(width / cell_size) + 3
        self._ny = int(height / cell_size) + 3
        ncells = self._nx * self._ny
        if ncells > _LIMIT_CELLS:
            raise ValueError(
                f"cell_size {cell_size} gives {ncells} grid cells; choose a larger one"
            )

        owner_poly, x0, y0, x1, y1 = segments
        u0 = (x0 - self._x0) * self._inv
        v0 = (y0 - self._y0) * self._inv
        u1 = (x1 - self._x0) * self._inv
        v1 = (y1 - self._y0) * self._inv

        # (polygon, cell) pairs for every cell an edge of the polygon touches
        poly, cell = self._edge_cells(owner_poly, u0, v0, u1, v1)
        pair = np.unique(cell.astype(np.int64) * n + poly)
        pair_cell = pair // n
        pair_poly = (pair % n).astype(np.int32)
        boundary = np.zeros(ncells, dtype=bool)
        boundary[pair_cell] = True
        counts = np.bincount(pair_cell, minlength=ncells)
        cand_ptr = np.zeros(ncells + 1, dtype=np.int64)
        np.cumsum(counts, out=cand_ptr[1:])

        # cells whose centre lies inside a polygon (scanline, even-odd)
        fill_poly, fill_cell = self._filled_cells(owner_poly, u0, v0, u1, v1)
        # a boundary cell is owned only by a polygon that does not cross it
        on_boundary = boundary[fill_cell]
        if on_boundary.any():
            code = fill_cell[on_boundary].astype(np.int64) * n + fill_poly[on_boundary]
            pos = np.searchsorted(pair, code)
            crossed = pair[np.minimum(pos, len(pair) - 1)] == code
            keep = np.ones(len(fill_cell), dtype=bool)
            keep[np.flatnonzero(on_boundary)[crossed]] = False
            fill_poly, fill_cell = fill_poly[keep], fill_cell[keep]
        owner = np.full(ncells, n, dtype=np.int32)
        np.minimum.at(owner, fill_cell, fill_poly)
        owner[owner == n] = -1

        self._owner = owner
        self._boundary = boundary
        self._cand_ptr = cand_ptr
        self._cand_poly = pair_poly

    def _edge_cells(self, poly, u0, v0, u1, v1) -> tuple[np.ndarray, np.ndarray]:
        """Cells touched by each edge: the cells around its start vertex and on both
        sides of every grid line it crosses (all in grid units)."""
        d = _DELTA
        polys, cols, rows = [], [], []

        # start vertices (the end vertex is the start of the next edge of the ring)
        for du in (-d, d):
            for dv in (-d, d):
                polys.append(poly)
                cols.append(np.floor(u0 + du))
                rows.append(np.floor(v0 + dv))

        # crossings of vertical grid lines u = k
        k_first = np.ceil(np.minimum(u0, u1))
        count = np.floor(np.maximum(u0, u1)) - k_first + 1
        count[u0 == u1] = 0  # an edge along a line is covered by the crossings below
        seg, k = _expand(k_first, count)
        v = v0[seg] + (k - u0[seg]) * ((v1[seg] - v0[seg]) / (u1[seg] - u0[seg]))
        for dcol in (-1.0, 0.0):
            for dv in (-d, d):
                polys.append(poly[seg])
                cols.append(k + dcol)
                rows.append(np.floor(v + dv))

        # crossings of horizontal grid lines v = l
        l_first = np.ceil(np.minimum(v0, v1))
        count = np.floor(np.maximum(v0, v1)) - l_first + 1
        count[v0 == v1] = 0
        seg, ll = _expand(l_first, count)
        u = u0[seg] + (ll - v0[seg]) * ((u1[seg] - u0[seg]) / (v1[seg] - v0[seg]))
        for drow in (-1.0, 0.0):
            for du in (-d, d):
                polys.append(poly[seg])
                cols.append(np.floor(u + du))
                rows.append(ll + drow)

        poly_all = np.concatenate(polys)
        col = np.concatenate(cols)
        row = np.concatenate(rows)
        inside = (col >= 0) & (col < self._nx) & (row >= 0) & (row < self._ny)
        cell = row[inside].astype(np.int64) * self._nx + col[inside].astype(np.int64)
        return poly_all[inside], cell

    def _filled_cells(self, poly, u0, v0, u1, v1) -> tuple[np.ndarray, np.ndarray]:
        """(polygon, cell) for every cell whose centre lies inside the polygon,
        by even-odd scanlines through the cell centres (rows v = j + 0.5)."""
        # rows whose centre line the edge crosses, half-open [min, max) so a vertex
        # on a centre line counts once
        j_first = np.ceil(np.minimum(v0, v1) - 0.5)
        count = np.ceil(np.maximum(v0, v1) - 0.5) - j_first
        count[v0 == v1] = 0
        seg, j = _expand(j_first, count)
        yc = j + 0.5
        u = u0[seg] + (yc - v0[seg]) * ((u1[seg] - u0[seg]) / (v1[seg] - v0[seg]))
        p = poly[seg]
        order = np.lexsort((u, j, p))
        p, j, u = p[order], j[order], u[order]
        # within each (polygon, row) the crossings pair up: enter, leave, enter, …
        enter, leave = slice(0, None, 2), slice(1, None, 2)
        if len(p) % 2 or not (
            np.array_equal(p[enter], p[leave]) and np.array_equal(j[enter], j[leave])
        ):
            raise ValueError("AreaLocator needs closed rings; repair the geometries first")
        first = np.ceil(u[enter] - 0.5)  # first cell whose centre i + 0.5 >= u
        last = np.ceil(u[leave] - 0.5)  # first cell at or after the leaving crossing
        first = np.clip(first, 0, self._nx)
        last = np.clip(last, 0, self._nx)
        span = np.maximum(last - first, 0)
        span_id, col = _expand(first, span)
        row = j[enter][span_id]
        cell = row.astype(np.int64) * self._nx + col.astype(np.int64)
        return p[enter][span_id], cell

    # ------------------------------------------------------------------ querying

    def locate(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the area containing each point (x[i], y[i]); −1 outside all areas.

        Points on a boundary go to the lowest-index area that covers them.
        """
        x = np.asarray(x, dtype=float).ravel()
        y = np.asarray(y, dtype=float).ravel()
        if x.shape != y.shape:
            raise ValueError("x and y must have the same length")
        result = np.full(len(x), -1, dtype=np.int64)
        u = (x - self._x0) * self._inv
        v = (y - self._y0) * self._inv
        valid = (u >= 0) & (u < self._nx) & (v >= 0) & (v < self._ny)
        idx = np.flatnonzero(valid)
        cell = v[idx].astype(np.int64) * self._nx + u[idx].astype(np.int64)
        result[idx] = self._owner[cell]

        on_boundary = self._boundary[cell]
        points = idx[on_boundary]
        bcell = cell[on_boundary]
        start = self._cand_ptr[bcell]
        count = self._cand_ptr[bcell + 1] - start
        pair_point, position = _expand(start, count)
        cand = self._cand_poly[position]
        pt = points[pair_point]
        hit = shapely.intersects_xy(self.geometries[cand], x[pt], y[pt])
        n = len(self.geometries)
        best = np.where(result[points] >= 0, result[points], n)
        # map each hit back to its position among the boundary points
        np.minimum.at(best, pair_point[hit], cand[hit])
        best[best == n] = -1
        result[points] = best
        return result

    def locate_one(self, x: float, y: float) -> Hashable | None:
        """The key of the area containing (x, y), or ``None`` outside all areas."""
        index = int(self.locate(np.array([x]), np.array([y]))[0])
        return None if index < 0 else self.keys[index]

    @property
    def grid_shape(self) -> tuple[int, int]:
        """(rows, columns) of the classification grid."""
        return self._ny, self._nx

    @property
    def boundary_cell_share(self) -> float:
        """Share of grid cells that need exact tests (for tuning and benchmarks)."""
        return float(self._boundary.mean())


def _segments(geoms: np.ndarray) -> tuple[np.ndarray, ...]:
    """All ring edges: (polygon index, x0, y0, x1, y1)."""
    if len(geoms) == 0:
        empty = np.empty(0)
        return np.empty(0, dtype=np.int32), empty, empty, empty, empty
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring_index[:-1] == ring_index[1:]
    owner = part_owner[ring_part[ring_index[:-1][same_ring]]].astype(np.int32)
    start, end = coords[:-1][same_ring], coords[1:][same_ring]
    return owner, start[:, 0], start[:, 1], end[:, 0], end[:, 1]


def _expand(first: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs i with ``count[i]`` members starting at ``first[i]``: (run index,
    value) of every member, i.e. ``first[i] + 0 … first[i] + count[i] - 1``."""
    count = np.maximum(count, 0).astype(np.int64)
    run = np.repeat(np.arange(len(count)), count)
    starts = np.cumsum(count) - count
    offset = np.arange(len(run), dtype=np.int64) - starts[run]
    return run, first[run] + offset
