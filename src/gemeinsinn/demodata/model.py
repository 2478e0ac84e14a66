"""Plain data of the demo city: levels, areas with their geometry, statistics."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import LineString, Polygon

STADT = "stadt"
STADTTEIL = "stadtteil"
SOZIALRAUM = "sozialraum"
FOERDERGEBIET = "foerdergebiet"


@dataclass(frozen=True)
class Level:
    """A spatial level as the areas app defines it (SpatialLevel)."""

    code: str
    name: str  # German, singular
    name_plural: str  # German
    order: int  # 0 = top level
    parent: str | None  # code of the parent level
    is_target_area: bool = False  # cuts across the hierarchy (Fördergebiet)


LEVELS: tuple[Level, ...] = (
    Level(STADT, "Stadt", "Städte", 0, None),
    Level(STADTTEIL, "Stadtteil", "Stadtteile", 1, STADT),
    Level(SOZIALRAUM, "Sozialraum", "Sozialräume", 2, STADTTEIL),
    Level(FOERDERGEBIET, "Fördergebiet", "Fördergebiete", 3, STADT, is_target_area=True),
)


@dataclass(frozen=True)
class DemoArea:
    """One area of one level. The geometry is in WGS84 (lon/lat) with exactly the
    coordinates written to the GeoJSON file (7 decimals)."""

    level: str
    key: str
    name: str
    parent_key: str | None
    geometry: Polygon


@dataclass(frozen=True)
class DemoStatistics:
    """Counts per Sozialraum, year and variable. None marks a cell suppressed at the
    source (written as "." in the CSV file)."""

    years: tuple[int, ...]
    variables: tuple[str, ...]  # count codes, in catalogue order
    area_keys: tuple[str, ...]  # Sozialraum keys, sorted
    values: dict[tuple[str, int, str], int | None] = field(repr=False)

    def value(self, key: str, year: int, variable: str) -> int | None:
        return self.values[(key, year, variable)]

    def row(self, key: str, year: int) -> dict[str, int | None]:
        return {variable: self.values[(key, year, variable)] for variable in self.variables}

    def total(self, year: int, variable: str) -> int:
        """Sum over all Sozialräume; suppressed cells count as 0."""
        return sum(self.values[(key, year, variable)] or 0 for key in self.area_keys)

    def suppressed(self) -> list[tuple[str, int, str]]:
        return sorted(cell for cell, value in self.values.items() if value is None)


@dataclass(frozen=True)
class DemoCity:
    """The whole fictional city "Musterstadt": every level's areas and the statistics."""

    name: str
    levels: tuple[Level, ...]
    areas: tuple[DemoArea, ...]  # ordered by level order, then key
    statistics: DemoStatistics
    river: LineString  # WGS84, decorative only (not written to a file)
    boundaries_valid_from: str  # ISO date of the boundary version
    source: str  # German: where the data come from

    @property
    def latest_year(self) -> int:
        return self.statistics.years[-1]

    @property
    def stadt_key(self) -> str:
        return self.areas_of(STADT)[0].key

    def level(self, code: str) -> Level:
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(code)

    def areas_of(self, level: str) -> list[DemoArea]:
        return [area for area in self.areas if area.level == level]

    def area(self, key: str) -> DemoArea:
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def names(self) -> dict[str, str]:
        """Area key -> German name, for every level."""
        return {area.key: area.name for area in self.areas}
