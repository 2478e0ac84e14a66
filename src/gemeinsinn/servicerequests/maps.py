"""A server-rendered SVG map of reports: the districts' outlines and one dot per report,
open reports filled, closed ones hollow. Works without JavaScript and without tiles; the
list beside it is the accessible equivalent, so the dots are not links."""

import math
from xml.sax.saxutils import escape

import shapely

from gemeinsinn.areas.models import Area
from gemeinsinn.monitoring.maps import geometries

WIDTH = 800
PADDING = 6


def _projector(bounds):
    min_lon, min_lat, max_lon, max_lat = bounds
    scale_x = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * scale_x, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    factor = (WIDTH - 2 * PADDING) / span_x
    height = span_y * factor + 2 * PADDING

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            PADDING + (lon - min_lon) * scale_x * factor,
            PADDING + (max_lat - lat) * factor,
        )

    return project, height


def _ring(coords, project) -> str:
    points = [project(x, y) for x, y in coords]
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z"


def _path(geometry, project) -> str:
    parts = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        if polygon.geom_type != "Polygon":
            continue
        parts.append(_ring(polygon.exterior.coords, project))
        parts.extend(_ring(ring.coords, project) for ring in polygon.interiors)
    return "".join(parts)


def report_map(
    areas: list[Area],
    points: list[tuple[float, float, bool]],
    *,
    label: str,
    highlight: int | None = None,
    radius: float = 4.0,
) -> str:
    """SVG of the areas' outlines and the points (lat, long, is_open); ``highlight``: the id
    of an area to fill. Empty string when no area has a boundary."""
    shapes = geometries(areas)
    if not shapes:
        return ""
    simplified = {
        pk: shapely.simplify(shape, 0.00005, preserve_topology=True) for pk, shape in shapes.items()
    }
    bounds = shapely.total_bounds(list(simplified.values()))
    project, height = _projector(bounds)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'class="report-map" role="img" aria-label="{escape(label, {chr(34): "&quot;"})}">'
    ]
    for area in areas:
        if area.pk not in simplified:
            continue
        fill = "#dbe7f5" if area.pk == highlight else "#f4f4f4"
        out.append(
            f'<path d="{_path(simplified[area.pk], project)}" fill="{fill}" stroke="#5a5a5a" '
            f'stroke-width="1"><title>{escape(area.name)}</title></path>'
        )
    for lat, lon, is_open in points:
        x, y = project(lon, lat)
        if is_open:
            style = 'fill="#b3261e" stroke="#ffffff" stroke-width="1"'
        else:
            style = 'fill="#ffffff" stroke="#1f6f3a" stroke-width="2"'
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" {style}/>')
    out.append("</svg>")
    return "".join(out)
