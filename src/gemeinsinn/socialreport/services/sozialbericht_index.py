"""The social index chapter of the Sozialbericht: the latest index run of the year and level —
maps of the status and dynamics classes, the distribution of the classes, the areas with a
very low status, and how the index is computed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gemeinsinn.analysis import findings as facts
from gemeinsinn.areas.models import SpatialLevel
from gemeinsinn.monitoring import maps
from gemeinsinn.monitoring.models import IndexResult, IndexRun, Indicator
from gemeinsinn.socialreport.services.sozialbericht_maps import PrintMaps
from gemeinsinn.socialreport.services.sozialbericht_text import Writer, number

VERY_LOW = 4


@dataclass
class IndexChapter:
    run: IndexRun | None
    results: list[IndexResult] = field(default_factory=list)
    status_map: maps.MapData | None = None
    dynamics_map: maps.MapData | None = None
    distribution: list[dict] = field(default_factory=list)  # one row per status class
    dynamics_columns: list[str] = field(default_factory=list)
    very_low: list[tuple[str, str]] = field(default_factory=list)  # (name, status index)
    excluded: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    indicators: list[tuple[str, str, str]] = field(default_factory=list)  # name, weight, sense
    elsewhere: list[str] = field(default_factory=list)  # where an index exists instead
    by_area: dict[int, IndexResult] = field(default_factory=dict)


def latest_index_run(level: SpatialLevel, year: int) -> IndexRun | None:
    return (
        IndexRun.objects.filter(definition__level=level, definition__is_published=True, year=year)
        .select_related("definition", "definition__level")
        .order_by("-created_at")
        .first()
    )


def index_chapter(level: SpatialLevel, year: int, print_maps: PrintMaps) -> IndexChapter:
    run = latest_index_run(level, year)
    if run is None:
        others = IndexRun.objects.filter(definition__is_published=True).select_related(
            "definition__level"
        )
        elsewhere = sorted(
            {f"{r.definition.name}: {r.definition.level.plural} {r.year}" for r in others}
        )
        return IndexChapter(None, elsewhere=elsewhere)
    results = list(IndexResult.objects.filter(run=run).select_related("area").order_by("area__key"))
    chapter = IndexChapter(run, results, by_area={r.area_id: r for r in results})
    included = [r for r in results if r.included]
    texts = {r.area_id: maps.index_title(r) for r in results}
    chapter.status_map = print_maps.choropleth(
        {r.area_id: r.status_class for r in included},
        maps.STATUS_LABELS,
        texts,
        palette="status",
        caption=_("Karte: Sozialer Status %(level)s %(year)s")
        % {"level": level.plural, "year": year},
        id_prefix="karte-status",
    )
    if any(r.dynamics_class for r in included):
        chapter.dynamics_map = print_maps.choropleth(
            {r.area_id: r.dynamics_class for r in included},
            maps.DYNAMICS_LABELS,
            texts,
            palette="dynamics",
            caption=_("Karte: Dynamik %(level)s %(year)s") % {"level": level.plural, "year": year},
            id_prefix="karte-dynamik",
        )
    _distribution(chapter, included)
    chapter.very_low = [
        (r.area.name, number(r.status_index, 2))
        for r in sorted(included, key=lambda r: (-r.status_index, r.area.key))
        if r.status_class == VERY_LOW
    ]
    chapter.excluded = [r.area.name for r in results if not r.included]
    found = facts.class_findings(
        {r.area.name: r.status_class for r in included}, class_order=[VERY_LOW, VERY_LOW - 1]
    )
    chapter.sentences = Writer(level).index(year, found)
    _method(chapter)
    return chapter


def _distribution(chapter: IndexChapter, included: list[IndexResult]) -> None:
    with_dynamics = any(r.dynamics_class for r in included)
    columns = sorted(maps.DYNAMICS_LABELS) if with_dynamics else []
    chapter.dynamics_columns = [str(maps.DYNAMICS_LABELS[c]) for c in columns]
    for status in sorted(maps.STATUS_LABELS):
        mine = [r for r in included if r.status_class == status]
        chapter.distribution.append(
            {
                "label": str(maps.STATUS_LABELS[status]),
                "cells": [sum(1 for r in mine if r.dynamics_class == c) for c in columns],
                "total": len(mine),
            }
        )
    chapter.distribution.append(
        {
            "label": _("zusammen"),
            "cells": [sum(1 for r in included if r.dynamics_class == c) for c in columns],
            "total": len(included),
        }
    )


def _method(chapter: IndexChapter) -> None:
    definition = chapter.run.definition
    names = dict(Indicator.objects.values_list("code", "name"))
    for entry in definition.status_indicators:
        sense = _("hoher Wert: mehr Benachteiligung")
        if entry.get("higher_is_worse") is False:
            sense = _("hoher Wert: weniger Benachteiligung")
        code = entry["code"]
        chapter.indicators.append(
            (names.get(code, code), number(float(entry.get("weight", 1.0)), 1), sense)
        )
    chapter.method.append(
        _(
            "Für jedes Gebiet mit mindestens %(min)s Einwohnenden werden die Statusindikatoren "
            "standardisiert (z-Werte: Abstand zum Mittelwert der Gebiete in Standardabweichungen), "
            "gewichtet addiert und erneut standardisiert. Das Ergebnis ist der Statusindex; "
            "hohe Werte bedeuten mehr soziale Benachteiligung."
        )
        % {"min": number(definition.min_population, 0)}
    )
    if definition.class_scheme == "mss":
        chapter.method.append(
            _(
                "Statusklassen: unter −1 „hoch“, −1 bis +1 „mittel“, über +1 bis +1,5 "
                "„niedrig“, über +1,5 „sehr niedrig“."
            )
        )
    else:
        chapter.method.append(
            _("Die Statusklassen sind %(k)s Quantilsklassen des Statusindex.")
            % {"k": definition.quantile_classes}
        )
    if definition.dynamics_mode != "none":
        chapter.method.append(
            _(
                "Die Dynamik misst die Veränderung über %(span)s Jahre (%(mode)s) und wird in "
                "„positiv“, „stabil“ und „negativ“ eingeteilt."
            )
            % {"span": definition.dynamics_span, "mode": definition.get_dynamics_mode_display()}
        )
    if definition.excluded_key_set():
        chapter.method.append(
            _("Als Ausreißer ausgeschlossen: %(keys)s.")
            % {"keys": ", ".join(sorted(definition.excluded_key_set()))}
        )
