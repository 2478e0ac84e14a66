"""The district profile pages of the Sozialbericht: one compact page per area with its key
indicators against the city, its index classes and a small locator map. Built from the
chapters' already fetched rows: no query per area."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.monitoring import publication
from gemeinsinn.monitoring.maps import index_title
from gemeinsinn.socialreport.services.sozialbericht_index import IndexChapter
from gemeinsinn.socialreport.services.sozialbericht_maps import PrintMaps
from gemeinsinn.socialreport.services.sozialbericht_topics import (
    CATALOGUE_ORDER,
    IndicatorSection,
)

KEY_ROWS = 12  # at most this many indicators on a profile page: each table cell costs print time


@dataclass
class ProfileRow:
    name: str
    value: str
    city: str
    rank: str
    suppressed: bool


@dataclass
class Profile:
    area: Area
    anchor: str
    population: publication.Cell
    index: str
    locator: str
    rows: list[ProfileRow]


def key_sections(sections: list[IndicatorSection]) -> list[IndicatorSection]:
    """The profile's key figures: indicators with a direction (high is worse or better), those
    of the standard catalogue first, at most KEY_ROWS."""
    directed = [
        s for s in sections if s.indicator.kind != "count" and s.indicator.direction != "neutral"
    ]
    directed.sort(key=lambda s: s.indicator.code not in CATALOGUE_ORDER)
    return directed[:KEY_ROWS]


class ProfileBuilder:
    """Builds the profile of any area of the level from the chapters' rows."""

    def __init__(
        self,
        level: SpatialLevel,
        sections: list[IndicatorSection],
        index: IndexChapter,
        print_maps: PrintMaps,
    ):
        self.population = publication.population_cells(level)
        self.chosen = key_sections(sections)
        self.ranked = [sum(1 for r in s.rows if r.rank is not None) for s in self.chosen]
        self.rows = [{r.area.pk: r for r in s.rows} for s in self.chosen]
        self.index, self.print_maps = index, print_maps

    def __call__(self, area: Area) -> Profile:
        rows = []
        for section, ranked, by_area in zip(self.chosen, self.ranked, self.rows, strict=True):
            row = by_area.get(area.pk)
            if row is None:
                continue
            rank = (
                _("%(rank)s von %(total)s") % {"rank": row.rank, "total": ranked}
                if row.rank is not None
                else "–"
            )
            rows.append(
                ProfileRow(
                    section.indicator.name,
                    row.cell.text,
                    section.city.text,
                    rank,
                    row.cell.suppressed,
                )
            )
        indexed = self.index.by_area.get(area.pk)
        return Profile(
            area=area,
            anchor=f"profil-{area.key}",
            population=self.population.get(area.pk, publication.Cell(None, "–")),
            index=index_title(indexed) if indexed else "",
            locator=mark_safe(self.print_maps.locator(area)),  # noqa: S308 - escaped SVG
            rows=rows,
        )
