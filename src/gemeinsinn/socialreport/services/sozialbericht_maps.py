"""Maps for the printed report: the level's outlines are read and simplified once (tolerance
relative to the map's size), then every choropleth and every small locator map of the
profile pages reuses them. No links: the PDF has no interactive parts."""

from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np
import shapely
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area
from gemeinsinn.geo import svg
from gemeinsinn.monitoring import maps

PRINT_WIDTH = 520  # viewBox units of a chapter map (≈ the text width in points)
LOCATOR_WIDTH = 180
TOLERANCE = 1.5  # simplification in viewBox units of a chapter map (≈ 0.4 mm in print)
QUOTE = {'"': "&quot;"}


class PrintMaps:
    def __init__(self, areas: list[Area]):
        shapes = maps.geometries(areas)
        self.areas = [a for a in areas if a.pk in shapes]
        self.geometry = {}
        self.outline_path = ""
        if not self.areas:
            return
        raw = np.empty(len(self.areas), dtype=object)
        raw[:] = [shapes[a.pk] for a in self.areas]
        minx, miny, maxx, maxy = shapely.total_bounds(raw)
        kx = np.cos(np.radians((miny + maxy) / 2))
        degrees_per_unit = max((maxx - minx) * kx, maxy - miny) / PRINT_WIDTH
        simplified = shapely.coverage_simplify(raw, TOLERANCE * degrees_per_unit)
        self.geometry = {a.pk: g for a, g in zip(self.areas, simplified, strict=True)}
        # projected and written as paths once for all chapter maps
        self.layout = svg.project_areas(simplified, PRINT_WIDTH, simplify=0)
        self._locator = _Locator(self.areas, simplified)

    def choropleth(
        self,
        classes: dict[int, int | None],
        labels: dict[int, str],
        value_texts: dict[int, str],
        *,
        palette: str,
        caption: str,
        id_prefix: str,
    ) -> maps.MapData | None:
        if not self.areas or not labels:
            return None
        map_areas = [
            svg.MapArea(
                key=a.key,
                name=a.name,
                geometry=self.geometry[a.pk],
                map_class=classes.get(a.pk),
                value_text=value_texts.get(a.pk, ""),
                parent_key=None,
            )
            for a in self.areas
        ]
        colours = maps.palette_for(palette, labels)  # the web pages' palettes
        rendered = svg.render_choropleth(
            map_areas,
            colours,
            title=caption,
            id_prefix=id_prefix,
            for_print=True,
            layout=self.layout,
        )
        return maps.MapData(rendered, svg.legend_entries(map_areas, colours))

    def locator(self, area: Area) -> str:
        """A small map of the city's outline with the area filled."""
        if area.pk not in self.geometry:
            return ""
        return self._locator.render(area)


class _Locator:
    """Projected paths computed once: the city's outline and each area's shape."""

    def __init__(self, areas: list[Area], geometries: np.ndarray):
        minx, miny, maxx, maxy = shapely.total_bounds(geometries)
        kx = np.cos(np.radians((miny + maxy) / 2))
        pad = 3
        scale = (LOCATOR_WIDTH - 2 * pad) / max((maxx - minx) * kx, 1e-12)
        self.height = int(np.ceil((maxy - miny) * scale)) + 2 * pad

        def project(coords: np.ndarray) -> np.ndarray:
            return np.column_stack(
                [pad + (coords[:, 0] - minx) * kx * scale, pad + (maxy - coords[:, 1]) * scale]
            )

        projected = shapely.transform(geometries, project)
        city = shapely.union_all(shapely.make_valid(projected))
        self.outline = svg.polygon_path(city.simplify(1.0), decimals=0)
        self.paths = {
            a.pk: svg.polygon_path(shape.simplify(0.4), decimals=1)
            for a, shape in zip(areas, projected, strict=True)
        }
        # a dot marks areas too small to see at this size
        points = shapely.point_on_surface(shapely.make_valid(projected))
        self.points = {
            a.pk: (round(p.x, 1), round(p.y, 1)) for a, p in zip(areas, points, strict=True)
        }

    def render(self, area: Area) -> str:
        label = escape(_("Lage von %(name)s in der Stadt") % {"name": area.name}, QUOTE)
        x, y = self.points[area.pk]
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="locator" viewBox="0 0 '
            f'{LOCATOR_WIDTH} {self.height}" width="{LOCATOR_WIDTH}" height="{self.height}" '
            f'role="img" aria-label="{label}"><title>{label}</title>'
            f'<path d="{self.outline}" fill="#e4e4e4" stroke="#4a4a4a" stroke-width="1"/>'
            f'<path d="{self.paths[area.pk]}" fill="#0b3d91" stroke="#0b3d91" '
            f'stroke-width="0.8"/><circle cx="{x}" cy="{y}" r="3" fill="#0b3d91" '
            'stroke="#ffffff" stroke-width="1"/></svg>'
        )
