"""The topic chapters of the Sozialbericht (Demographie … Senioren): for every indicator of
the chapter's topics that has data, the published values per area (confidentiality applied
by monitoring/publication.py), the city's value over the years, findings, a map and charts,
and one table per chapter."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from gemeinsinn.analysis import findings as facts
from gemeinsinn.areas.models import SpatialLevel
from gemeinsinn.monitoring import maps, publication
from gemeinsinn.monitoring.default_catalogue import DEFAULT_CATALOGUE, POPULATION
from gemeinsinn.monitoring.models import Indicator, Value
from gemeinsinn.socialreport.services import sozialbericht_charts as charts
from gemeinsinn.socialreport.services.sozialbericht_maps import PrintMaps
from gemeinsinn.socialreport.services.sozialbericht_text import Writer, dative_plural, value_text

CATALOGUE_ORDER = {d.code: i for i, d in enumerate(DEFAULT_CATALOGUE)}
SUMMARY_KEYS = ("far_above", "far_above_of_published", "change_previous")
TABLE_COLUMNS = 6


@dataclass
class IndicatorSection:
    indicator: Indicator
    anchor: str
    rows: list[publication.Row]
    city: publication.Cell
    series: list[tuple[int, float | None]]  # the city's value over the years
    series_texts: list[tuple[int, str]]
    findings: list[facts.Finding]
    sentences: list[str]
    withheld: int
    map: maps.MapData | None = None
    bars: str = ""
    line: str = ""

    @property
    def summary(self) -> list[str]:
        return [
            sentence
            for finding, sentence in zip(self.findings, self.sentences, strict=True)
            if finding.key.startswith(SUMMARY_KEYS)
        ]


@dataclass
class TopicChapter:
    slug: str
    title: str
    topics: tuple[str, ...]
    sections: list[IndicatorSection] = field(default_factory=list)
    planner: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"kapitel-{self.slug}"

    @property
    def lead(self) -> IndicatorSection | None:
        """The section the summary quotes: the first indicator where high means worse."""
        for section in self.sections:
            if section.indicator.direction == "worse":
                return section
        return self.sections[0] if self.sections else None

    @property
    def tables(self) -> list[ChapterTable]:
        """The chapter's values as tables of a row per area, the city's row last, and at most
        TABLE_COLUMNS indicators each (so that a table fits the width of a page)."""
        tables = []
        for start in range(0, len(self.sections), TABLE_COLUMNS):
            part = self.sections[start : start + TABLE_COLUMNS]
            rows = [
                (row.area, [s.rows[i].cell for s in part]) for i, row in enumerate(part[0].rows)
            ]
            tables.append(ChapterTable([s.indicator for s in part], rows, [s.city for s in part]))
        return tables


@dataclass
class ChapterTable:
    columns: list[Indicator]
    rows: list[tuple]  # (area, cells)
    city: list[publication.Cell]


def indicators_with_data(level: SpatialLevel, year: int) -> list[Indicator]:
    """The catalogue's indicators with a value (or a source-side suppression) for the level's
    areas in the year, in catalogue order."""
    ids = set(
        Value.objects.filter(area__level=level, year=year)
        .filter(Q(value__isnull=False) | Q(flag="suppressed"))
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    found = [i for i in Indicator.objects.filter(pk__in=ids)]
    return sorted(found, key=lambda i: (CATALOGUE_ORDER.get(i.code, len(CATALOGUE_ORDER)), i.name))


def chapter_indicators(indicators: list[Indicator], topics: tuple[str, ...]) -> list[Indicator]:
    """The shares and rates of the topics (and the residents in Demographie); a topic with
    counts only shows its counts."""
    mine = [i for i in indicators if i.topic in topics]
    chosen = [i for i in mine if i.kind != "count" or i.code == POPULATION]
    return chosen or mine


class SectionBuilder:
    """Builds indicator sections for one level and year, sharing the print maps."""

    def __init__(self, level: SpatialLevel, year: int, years: list[int], print_maps: PrintMaps):
        self.level, self.year = level, year
        self.years = [y for y in years if y <= year]
        self.print_maps = print_maps
        self.writer = Writer(level)

    def section(self, indicator: Indicator) -> IndicatorSection:
        rows = publication.indicator_rows(indicator, self.year, self.level)
        city = publication.city_value(indicator, self.year, self.level)
        series = [
            (
                y,
                city.value
                if y == self.year
                else publication.city_value(indicator, y, self.level).value,
            )
            for y in self.years
        ]
        withheld = sum(1 for r in rows if r.cell.suppressed)
        numbers = facts.IndicatorNumbers(
            names=[r.area.name for r in rows],
            values=[r.cell.value for r in rows],
            withheld=withheld,
            city=city.value,
            city_series=series,
            year=self.year,
            decimals=publication.decimals(indicator),
            is_count=indicator.kind == "count",
        )
        found = facts.indicator_findings(numbers)
        section = IndicatorSection(
            indicator=indicator,
            anchor=f"indikator-{indicator.code}",
            rows=rows,
            city=city,
            series=series,
            series_texts=[(y, "–" if v is None else value_text(indicator, v)) for y, v in series],
            findings=found,
            sentences=self.writer.indicator(indicator, found),
            withheld=withheld,
        )
        self._figures(section)
        return section

    def _figures(self, section: IndicatorSection) -> None:
        indicator, rows = section.indicator, section.rows
        name, level = indicator.name, self.level.plural

        def fmt(value: float) -> str:
            return value_text(indicator, value)

        values = [r.cell.value for r in rows]
        classes, labels = maps.quantile_classes(values)
        secret = _("geheim gehalten")
        section.map = self.print_maps.choropleth(
            {r.area.pk: c for r, c in zip(rows, classes, strict=True)},
            labels,
            {r.area.pk: (secret if r.cell.suppressed else r.cell.text) for r in rows},
            palette="sequential_good" if indicator.direction == "better" else "sequential",
            caption=_("Karte: %(name)s %(year)s nach %(level)s")
            % {"name": name, "year": self.year, "level": dative_plural(level)},
            id_prefix=f"karte-{indicator.code}",
        )
        if indicator.kind != "count" or len(rows) > 1:
            # a count's city value is the sum of the areas: no line to compare them with
            count = indicator.kind == "count"
            section.bars = charts.bar_chart(
                [(r.area.name, r.cell.value) for r in rows if r.cell.value is not None],
                None if count else section.city.value,
                (
                    _("Balkendiagramm: %(name)s %(year)s je Gebiet")
                    if count
                    else _("Balkendiagramm: %(name)s %(year)s je Gebiet, mit dem städtischen Wert")
                )
                % {"name": name, "year": self.year},
                fmt,
                _("Stadt"),
            )
        section.line = charts.line_chart(
            section.series,
            _("Liniendiagramm: %(name)s in der Stadt %(first)s bis %(last)s")
            % {"name": name, "first": self.years[0], "last": self.years[-1]},
            fmt,
        )
