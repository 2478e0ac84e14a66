"""Numbers as German statistics tables write them, read with vectorised polars expressions.

One decimal mark per file: "," (German, "1.234,5" or "1 234,5") or "." ("1,234.5").
The mark is detected from the distinct cell texts that can only be read one way ("4,25",
"1.234,5", "0.5"); texts such as "1.234" are ambiguous and do not count. Without any evidence a
semicolon- or tab-separated file is taken as German (decimal comma), everything else as
decimal point.

Cells that carry no number are classified: suppressed at the source (".", "*"), missing
(empty, "-") or a sentinel value such as -9999 (also missing).
"""

from dataclasses import dataclass

import polars as pl

DECIMAL_COMMA = ","
DECIMAL_POINT = "."

QUICK_DECISION_ROWS = 10_000

SUPPRESSED = "suppressed"
MISSING = "missing"

# Cells that can only be a number with this decimal mark.
_COMMA_ONLY = (
    r"^[+-]?(?:\d{1,3}(?:\.\d{3})+,\d*|\d{1,3}(?:\.\d{3}){2,}|\d*,(?:\d{1,2}|\d{4,})"
    r"|\d{4,},\d+|0,\d+)$"
)
_POINT_ONLY = (
    r"^[+-]?(?:\d{1,3}(?:,\d{3})+\.\d*|\d{1,3}(?:,\d{3}){2,}|\d*\.(?:\d{1,2}|\d{4,})"
    r"|\d{4,}\.\d+|0\.\d+)$"
)
# Valid numbers: digits, optionally grouped by thousands, optionally with a fraction.
_COMMA_NUMBER = r"^[+-]?(?:(?:\d+|\d{1,3}(?:[.\s]\d{3})+)(?:,\d*)?|,\d+)$"
_POINT_NUMBER = r"^[+-]?(?:(?:\d+|\d{1,3}(?:[,\s]\d{3})+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_COMMA_GROUPING = r"[.\s]"
_POINT_GROUPING = r"[,\s]"


@dataclass(frozen=True)
class CellMarkers:
    """Cell texts that stand for "no number", and how they are flagged."""

    suppressed: tuple[str, ...] = (".", "*")
    missing: tuple[str, ...] = ("", "-")
    sentinels: tuple[str, ...] = ("-9999",)

    def sentinel_values(self) -> list[float]:
        values = []
        for text in self.sentinels:
            try:
                values.append(float(text.replace(",", ".")))
            except ValueError:
                continue  # a textual sentinel such as "k. A." is matched as text only
        return values


def detect_decimal_mark(frame: pl.DataFrame, separator: str | None) -> str:
    """The decimal mark of a table of string columns (see module docstring).

    Evidence is counted over distinct cell texts containing a mark. The first rows decide
    when they hold evidence for one mark only; otherwise the whole table is counted.
    """
    comma, point = _evidence(frame.head(QUICK_DECISION_ROWS))
    undecided = min(comma, point) > 0 or max(comma, point) == 0
    if undecided and frame.height > QUICK_DECISION_ROWS:
        comma, point = _evidence(frame)
    if comma > point:
        return DECIMAL_COMMA
    if point > comma:
        return DECIMAL_POINT
    return _default_mark(separator)


def _evidence(frame: pl.DataFrame) -> tuple[int, int]:
    """(texts only readable with a decimal comma, texts only readable with a point)."""
    comma = point = 0
    for column in frame.get_columns():
        marked = column.filter(column.str.contains(r"[.,]")).unique()
        comma += marked.str.contains(_COMMA_ONLY).sum()
        point += marked.str.contains(_POINT_ONLY).sum()
    return comma, point


def _default_mark(separator: str | None) -> str:
    return DECIMAL_COMMA if separator in (";", "\t") else DECIMAL_POINT


def number(text: pl.Expr, decimal_mark: str) -> pl.Expr:
    """Float64 value of a (stripped) cell text; null when the text is not a valid number."""
    if decimal_mark == DECIMAL_COMMA:
        pattern, grouping = _COMMA_NUMBER, _COMMA_GROUPING
        plain = text.str.replace_all(grouping, "").str.replace(",", ".", literal=True)
    else:
        pattern, grouping = _POINT_NUMBER, _POINT_GROUPING
        plain = text.str.replace_all(grouping, "")
    return pl.when(text.str.contains(pattern)).then(plain.cast(pl.Float64, strict=False))


def cell_flag(text: pl.Expr, value: pl.Expr, markers: CellMarkers) -> pl.Expr:
    """ "suppressed", "missing" or "" for a cell text and its parsed value."""
    missing_texts = [m for m in (*markers.missing, *markers.sentinels) if m != ""]
    is_missing = text.is_null() | text.is_in(missing_texts)
    sentinels = markers.sentinel_values()
    if sentinels:
        is_missing = is_missing | value.is_in(sentinels).fill_null(False)
    return (
        pl.when(text.is_in(list(markers.suppressed)))
        .then(pl.lit(SUPPRESSED))
        .when(is_missing)
        .then(pl.lit(MISSING))
        .otherwise(pl.lit(""))
    )


def number_hint(decimal_mark: str, markers: CellMarkers) -> str:
    """German hint how to write a number in a file with this decimal mark."""
    example = "12,5" if decimal_mark == DECIMAL_COMMA else "12.5"
    mark = "Dezimalkomma" if decimal_mark == DECIMAL_COMMA else "Dezimalpunkt"
    suppressed = " oder ".join(f"„{m}“" for m in markers.suppressed)
    missing = " oder ".join("ein leeres Feld" if m == "" else f"„{m}“" for m in markers.missing)
    return (
        f"Die Datei verwendet das {mark}: bitte eine Zahl wie {example} eintragen, "
        f"für geheim gehaltene Werte {suppressed}, für fehlende Werte {missing}."
    )
