"""Choropleth maps for pages: the server-rendered SVG and its legend, from areas and
classes. Used by the overview, indicator and profile pages (and later the report)."""

import json
from dataclasses import dataclass

import numpy as np
import shapely
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gemeinsinn.analysis.confidentiality import ConfidentialityRules, format_published
from gemeinsinn.areas.models import Area, Boundary
from gemeinsinn.geo import palette as palettes
from gemeinsinn.geo.svg import LegendEntry, MapArea, legend_entries, render_choropleth

STATUS_LABELS = {
    1: gettext_lazy("hoch"),
    2: gettext_lazy("mittel"),
    3: gettext_lazy("niedrig"),
    4: gettext_lazy("sehr niedrig"),
}
DYNAMICS_LABELS = {
    1: gettext_lazy("positiv"),
    2: gettext_lazy("stabil"),
    3: gettext_lazy("negativ"),
}


def index_title(result) -> str:
    """An IndexResult in words: "Status mittel, Dynamik stabil" or "nicht im Index"."""
    if not result.included:
        return _("nicht im Index")
    text = _("Status %(label)s") % {"label": STATUS_LABELS[result.status_class]}
    if result.dynamics_class:
        text += ", " + _("Dynamik %(label)s") % {"label": DYNAMICS_LABELS[result.dynamics_class]}
    return text


@dataclass
class MapData:
    svg: str
    legend: list[LegendEntry]


def geometries(areas: list[Area]) -> dict[int, object]:
    boundaries = Boundary.objects.filter(area__in=areas, valid_to__isnull=True).only(
        "area_id", "geojson"
    )
    return {b.area_id: shapely.geometry.shape(json.loads(b.geojson)) for b in boundaries}


def palette_for(kind: str, labels: dict[int, str]) -> palettes.Palette:
    """The colours of a map's classes (``kind``: "status", "dynamics", "highlight" or an
    indicator's quantiles) with the legend text of each class number; the printed reports
    use the same."""
    texts = tuple(str(labels[number]) for number in sorted(labels))
    if kind == "status":
        palette = palettes.sequential_palette(len(texts), texts)
    elif kind == "dynamics":
        palette = palettes.diverging_palette(len(texts), texts)
    elif kind == "highlight":  # class 1: the area itself, class 2: its neighbours
        palette = palettes.Palette(("#0b3d91", "#e4e4e4"), texts)
    else:  # quantile classes of an indicator; blue where high is good, purple otherwise
        palette = palettes.sequential_palette(
            len(texts), texts, hue="blue" if kind == "sequential_good" else "purple"
        )
    return palettes.Palette(
        palette.colors, palette.labels, palette.first_class, no_data_label=_("keine Angabe")
    )


def class_map(
    areas: list[Area],
    classes: dict[int, int | None],
    labels: dict[int, str],
    value_texts: dict[int, str],
    *,
    palette: str,
    caption: str,
    id_prefix: str = "karte",
) -> MapData | None:
    """An accessible SVG map of areas coloured by class; each area links to its profile."""
    shapes = geometries(areas)
    drawn = [a for a in areas if a.pk in shapes]
    if not drawn or not labels:
        return None
    level_code = drawn[0].level.code
    map_areas = [
        MapArea(
            key=a.key,
            name=a.name,
            geometry=shapes[a.pk],
            map_class=classes.get(a.pk),
            value_text=value_texts.get(a.pk, ""),
            parent_key=a.parent.key if a.parent_id else None,
        )
        for a in drawn
    ]
    colours = palette_for(palette, labels)
    url = reverse("areas:profile", args=[level_code, "KEY"]).replace("KEY", "{key}")
    rendered = render_choropleth(
        map_areas,
        colours,
        title=caption,
        url_template=url,
        outline_parents=any(m.parent_key for m in map_areas),
        id_prefix=id_prefix,
    )
    return MapData(rendered, legend_entries(map_areas, colours))


def quantile_classes(values: list[float | None], k: int = 5) -> tuple[list, dict[int, str]]:
    """Classes 1..k by quantiles of the published values, with their German range labels."""
    present = np.array([v for v in values if v is not None], dtype=float)
    if present.size < 2:
        return [None] * len(values), {}
    edges = np.unique(np.quantile(present, np.linspace(0, 1, k + 1)))
    if edges.size < 3:
        edges = np.array([present.min(), np.median(present), present.max() + 1e-9])
    classes = [
        None
        if v is None
        else int(min(max(np.searchsorted(edges, v, side="right"), 1), edges.size - 1))
        for v in values
    ]
    decimals = 0 if np.all(present == np.round(present)) else 1
    rules = ConfidentialityRules()
    labels = {
        i: f"{format_published(edges[i - 1], rules, decimals)} – "
        f"{format_published(edges[i], rules, decimals)}"
        for i in range(1, edges.size)
    }
    return classes, labels
