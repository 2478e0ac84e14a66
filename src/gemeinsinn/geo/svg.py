"""Accessible SVG choropleth maps, rendered on the server: the same map in the web page
and in the PDF, no tiles, no JavaScript.

- Projection: local equirectangular (x = longitude · cos(mean latitude)), which keeps
  shapes true at city scale; fitted to a viewBox ``width`` units wide.
- Coordinates are simplified together (shared edges stay shared, see
  ``shapely.coverage_simplify``) and rounded to integers, written as relative path
  commands: 500 city districts take well under 300 kB.
- Every area is one ``<path>`` with a ``<title>`` "Name: value", wrapped in
  ``<a href>`` when a URL template is given so keyboard users can tab through areas.
- Areas without a class (no data, suppressed) are hatched, never coloured like a value.
- The legend is returned as data (:func:`legend_entries`) for accessible HTML, or as
  a small SVG (:func:`render_legend_svg`) for print.

Output is deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gemeinsinn.geo.palette import Palette

PADDING = 4  # viewBox units around the map


@dataclass(frozen=True)
class MapArea:
    """One area on the map. ``geometry`` in WGS84 (lon/lat); ``map_class`` a class of the
    palette or ``None`` for no data / suppressed; ``value_text`` completes the title
    "Name: value_text" (default: the class label)."""

    key: str
    name: str
    geometry: BaseGeometry
    map_class: int | None
    value_text: str = ""
    parent_key: str | None = None


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: ``color`` is ``None`` for the hatched no-data entry."""

    map_class: int | None
    color: str | None
    label: str
    count: int


def legend_entries(
    areas: Sequence[MapArea], palette: Palette, *, include_empty_classes: bool = True
) -> list[LegendEntry]:
    """Legend rows in class order, then the no-data row if any area has no class."""
    counts = Counter(area.map_class for area in areas)
    entries = [
        LegendEntry(c, palette.color(c), palette.label(c), counts.get(c, 0))
        for c in palette.classes
        if include_empty_classes or counts.get(c, 0)
    ]
    if counts.get(None):
        entries.append(LegendEntry(None, None, palette.no_data_label, counts[None]))
    return entries


def _text(value: str) -> str:
    return escape(value)


def _attr(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def _number(value: int, decimals: int) -> str:
    if decimals == 0:
        return str(value)
    text = f"{value / 10**decimals:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _numbers(values: Sequence[int], decimals: int) -> str:
    """Numbers separated by spaces, except before a minus sign (SVG path syntax)."""
    out: list[str] = []
    for value in values:
        text = _number(int(value), decimals)
        if out and not text.startswith("-"):
            out.append(" ")
        out.append(text)
    return "".join(out)


def _ring_path(coords: np.ndarray, decimals: int, close: bool = True) -> str:
    """``M x y l dx dy … z`` for one ring (or line), or "" when it collapses."""
    scaled = np.round(coords * 10**decimals).astype(np.int64)
    if len(scaled) > 1:
        moved = np.any(scaled[1:] != scaled[:-1], axis=1)
        scaled = np.concatenate([scaled[:1], scaled[1:][moved]])
    if close and len(scaled) > 1 and np.array_equal(scaled[0], scaled[-1]):
        scaled = scaled[:-1]
    if len(scaled) < (3 if close else 2):
        return ""
    steps = np.diff(scaled, axis=0).ravel()
    path = f"M{_numbers(scaled[0], decimals)}l{_numbers(steps, decimals)}"
    return path + "z" if close else path


def polygon_path(geometry: BaseGeometry, decimals: int = 0) -> str:
    """SVG path data of the polygons of ``geometry`` (already projected), rounded to
    ``decimals``; "" when nothing is left."""
    parts = []
    for polygon in shapely.get_parts(geometry):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            parts.append(_ring_path(np.asarray(ring.coords), decimals))
    return "".join(parts)


def _line_path(geometry: BaseGeometry) -> str:
    parts = []
    for line in shapely.get_parts(shapely.line_merge(geometry)):
        coords = np.asarray(line.coords)
        closed = len(coords) > 3 and np.array_equal(coords[0], coords[-1])
        parts.append(_ring_path(coords, 0, close=closed))
    return "".join(parts)


class _Projection:
    """Local equirectangular projection of lon/lat onto a viewBox ``width`` wide."""

    def __init__(self, bounds: tuple[float, float, float, float], width: int):
        minx, miny, maxx, maxy = bounds
        self.minx, self.maxy = minx, maxy
        self.kx = math.cos(math.radians((miny + maxy) / 2))
        self.scale = (width - 2 * PADDING) / max((maxx - minx) * self.kx, 1e-12)
        self.width = width
        self.height = int(math.ceil((maxy - miny) * self.scale)) + 2 * PADDING

    def __call__(self, coords: np.ndarray) -> np.ndarray:
        x = PADDING + (coords[:, 0] - self.minx) * self.kx * self.scale
        y = PADDING + (self.maxy - coords[:, 1]) * self.scale
        return np.column_stack([x, y])


@dataclass(frozen=True)
class Layout:
    """Areas projected onto a viewBox and written as path data: computed once with
    :func:`project_areas`, shared by several maps of the same areas."""

    width: int
    height: int
    projected: np.ndarray  # the projected (and simplified) geometries
    paths: tuple[str, ...]


def project_areas(
    geometries: Sequence[BaseGeometry], width: int = 800, simplify: float = 0.5
) -> Layout:
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    projection = _Projection(tuple(shapely.total_bounds(array)), width)
    projected = shapely.transform(array, projection)
    if simplify > 0:
        projected = shapely.coverage_simplify(projected, simplify)
    paths = tuple(polygon_path(shape) or polygon_path(shape, decimals=1) for shape in projected)
    return Layout(projection.width, projection.height, projected, paths)


def render_choropleth(
    areas: Sequence[MapArea],
    palette: Palette,
    *,
    title: str,
    description: str = "",
    url_template: str | None = None,
    width: int = 800,
    outline_parents: bool = False,
    simplify: float = 0.5,
    id_prefix: str = "karte",
    for_print: bool = False,
    layout: Layout | None = None,
) -> str:
    """A standalone SVG document (string) of the areas coloured by class.

    - ``title`` / ``description``: accessible name and description (``aria-labelledby``);
      without a description one is generated from the classes.
    - ``url_template``: e.g. ``"/gebiete/{key}/"``; each area becomes a link (the SVG
      then has ``role="group"``, otherwise ``role="img"``).
    - ``outline_parents``: draw the outlines of the parent areas (``MapArea.parent_key``)
      with a thicker line, merged from the areas themselves so the lines fit exactly.
    - ``simplify``: tolerance in viewBox units (≈ pixels at the nominal width).
    - ``id_prefix``: prefix of the element ids, unique per page when several maps show.
    - ``for_print``: for a PDF, where nothing hovers: no title per area, and the areas
      without a class drawn as one hatched path (a PDF renderer fills a pattern once per use,
      so a map with many hatched areas prints much faster).
    - ``layout``: the areas' paths from :func:`project_areas` (same areas, same order);
      ``width`` and ``simplify`` are then those of the layout.
    """
    if not areas:
        raise ValueError("a map needs at least one area")
    if layout is None:
        layout = project_areas([area.geometry for area in areas], width, simplify)
    projected = layout.projected

    linked = url_template is not None
    title_id, desc_id, pattern_id = f"{id_prefix}-title", f"{id_prefix}-desc", f"{id_prefix}-nd"
    if not description:
        description = _default_description(areas, palette)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} '
        f'{layout.height}" width="{layout.width}" height="{layout.height}" '
        f'role="{"group" if linked else "img"}" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{_text(title)}</title>',
        f'<desc id="{desc_id}">{_text(description)}</desc>',
        "<defs>",
        f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{palette.no_data_background}"/>'
        f'<path d="M1.5 0v6" stroke="{palette.no_data_hatch}" stroke-width="2"/></pattern>',
        "</defs>",
    ]
    if linked:
        out.append(
            "<style>a:focus path,a:hover path{stroke:#000;stroke-width:3}"
            "a:focus{outline:none}</style>"
        )
    out.append(
        f'<g stroke="{palette.outline}" stroke-width="0.6" stroke-linejoin="round" '
        'fill-rule="evenodd">'
    )
    hatched = []
    for area, d in zip(areas, layout.paths, strict=True):
        color = palette.color(area.map_class)
        if for_print:
            if color is None:
                hatched.append(d)
            else:
                out.append(f'<path d="{d}" fill="{color}" data-key={_attr(area.key)}/>')
            continue
        fill = color if color is not None else f"url(#{pattern_id})"
        label = f"{area.name}: {area.value_text or palette.label(area.map_class)}"
        cls = "" if area.map_class is None else str(area.map_class)
        path = f'<path d="{d}" fill="{fill}" data-key={_attr(area.key)} data-class="{cls}"'
        if linked:
            href = url_template.replace("{key}", quote(area.key, safe=""))
            out.append(
                f"<a href={_attr(href)} aria-label={_attr(label)}>"
                f"<title>{_text(label)}</title>{path}/></a>"
            )
        else:
            out.append(f"{path}><title>{_text(label)}</title></path>")
    if hatched:
        out.append(f'<path d="{"".join(hatched)}" fill="url(#{pattern_id})" data-class=""/>')
    out.append("</g>")
    if outline_parents:
        out.extend(_parent_outlines(areas, projected, palette))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _parent_outlines(
    areas: Sequence[MapArea], projected: np.ndarray, palette: Palette
) -> list[str]:
    groups: dict[str, list[int]] = {}
    for index, area in enumerate(areas):
        if area.parent_key is not None:
            groups.setdefault(area.parent_key, []).append(index)
    if not groups:
        return []
    rounded = shapely.transform(projected, np.round)
    rounded = shapely.make_valid(rounded, method="structure", keep_collapsed=False)
    out = [
        f'<g fill="none" stroke="{palette.outline}" stroke-width="2" '
        'stroke-linejoin="round" pointer-events="none" aria-hidden="true">'
    ]
    for parent in sorted(groups):
        merged = shapely.union_all(rounded[groups[parent]])
        d = _line_path(shapely.boundary(merged))
        if d:
            out.append(f'<path d="{d}" data-parent={_attr(parent)}/>')
    out.append("</g>")
    return out


def _default_description(areas: Sequence[MapArea], palette: Palette) -> str:
    counts = Counter(area.map_class for area in areas)
    parts = [f"{palette.label(c)}: {counts.get(c, 0)}" for c in palette.classes]
    text = f"Karte mit {len(areas)} Gebieten, eingefärbt nach Klassen von hell nach dunkel ("
    text += "; ".join(parts) + ")"
    if counts.get(None):
        text += f". Schraffiert: {palette.no_data_label} ({counts[None]})"
    return text + "."


def render_legend_svg(
    entries: Sequence[LegendEntry],
    palette: Palette,
    *,
    title: str,
    id_prefix: str = "legende",
    width: int = 300,
    show_counts: bool = True,
) -> str:
    """A small standalone SVG legend (for PDF); in HTML prefer a list built from
    :func:`legend_entries`."""
    row, swatch = 22, 16
    height = 24 + row * len(entries)
    title_id, pattern_id = f"{id_prefix}-title", f"{id_prefix}-nd"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{_text(title)}</title>',
        "<defs>",
        f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{palette.no_data_background}"/>'
        f'<path d="M1.5 0v6" stroke="{palette.no_data_hatch}" stroke-width="2"/></pattern>',
        "</defs>",
        f'<g font-family="sans-serif" font-size="13" fill="#1f1f1f">'
        f'<text x="0" y="14" font-weight="bold">{_text(title)}</text>',
    ]
    for i, entry in enumerate(entries):
        y = 24 + i * row
        fill = entry.color if entry.color is not None else f"url(#{pattern_id})"
        label = entry.label + (f" ({entry.count})" if show_counts else "")
        out.append(
            f'<rect x="0.5" y="{y + 0.5}" width="{swatch}" height="{swatch}" fill="{fill}" '
            f'stroke="{palette.outline}"/>'
            f'<text x="{swatch + 8}" y="{y + 13}">{_text(label)}</text>'
        )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
