"""Which columns of a statistics table hold what: long or wide layout, from the header.

*Long*: one row per value — area key, year, indicator code, value (German or English
header names). *Wide*: one key column, an optional year column and one column per
indicator code. A table is long when it has both an indicator and a value column.
Header names are compared case-insensitively, with umlauts spelled out and without spaces,
underscores, hyphens and dots ("Gebiets-Schlüssel" = "gebietsschluessel").
"""

from collections.abc import Collection
from dataclasses import dataclass

LONG = "long"
WIDE = "wide"

AREA_NAMES = (
    "gebietsschluessel",
    "raumschluessel",
    "schluessel",
    "gebiet",
    "raum",
    "gebietsid",
    "raumid",
    "gebietsnummer",
    "areakey",
    "areaid",
    "area",
    "key",
    "id",
    "plrid",
    "ags",
    "ars",
)
YEAR_NAMES = ("jahr", "berichtsjahr", "year")
INDICATOR_NAMES = ("indikator", "merkmal", "kennzahl", "indicator", "code", "variable")
VALUE_NAMES = ("wert", "werte", "value")
NAME_NAMES = ("name", "bezeichnung", "gebietsname", "raumname", "plrname", "areaname")


@dataclass(frozen=True)
class Layout:
    kind: str  # LONG or WIDE
    area: str | None  # column names as in the header; None when not found
    year: str | None
    indicator: str | None = None  # long only
    value: str | None = None  # long only
    value_columns: tuple[str, ...] = ()  # wide: every column that should be an indicator
    extra: tuple[str, ...] = ()  # long: further columns, not read


def normalised(header: str) -> str:
    text = header.strip().casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    return "".join(char for char in text if char not in " _-.")


def detect_layout(
    columns: Collection[str], *, key_column: str | None = None, ignore: Collection[str] = ()
) -> Layout:
    """The layout of a table with these header names (in file order)."""
    columns = list(columns)
    area = _find(columns, AREA_NAMES) if key_column is None else _exact(columns, key_column)
    year = _find(columns, YEAR_NAMES)
    indicator = _find(columns, INDICATOR_NAMES)
    value = _find(columns, VALUE_NAMES)
    used = {area, year, *(c for c in columns if normalised(c) in NAME_NAMES or c in ignore)}
    if indicator and value:
        used |= {indicator, value}
        extra = tuple(c for c in columns if c not in used)
        return Layout(LONG, area, year, indicator, value, extra=extra)
    return Layout(WIDE, area, year, value_columns=tuple(c for c in columns if c not in used))


def _exact(columns: list[str], name: str) -> str | None:
    return name if name in columns else None


def _find(columns: list[str], aliases: tuple[str, ...]) -> str | None:
    """The column whose normalised name comes first in ``aliases``."""
    by_name = {}
    for column in columns:
        by_name.setdefault(normalised(column), column)
    return next((by_name[alias] for alias in aliases if alias in by_name), None)
