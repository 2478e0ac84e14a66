"""A table with one row per area: an id column and number columns, all named exactly.

Used by stateless tools such as ``gemeinsinn index compute``. Never raises on bad content:
every problem comes back at once, in German, with file, line and column.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from gemeinsinn.formats.numbers import (
    CellMarkers,
    cell_flag,
    detect_decimal_mark,
    number,
    number_hint,
)
from gemeinsinn.formats.problems import MAX_LISTED, InputError, Problem, errors
from gemeinsinn.formats.reader import read_table
from gemeinsinn.formats.reporting import (
    MISSING_KEY,
    MISSING_KEY_HINT,
    TableReporter,
    not_a_number,
    source,
)
from gemeinsinn.formats.suggestions import Suggester

DEFAULT_MARKERS = CellMarkers()


@dataclass(frozen=True)
class AreaTable:
    """Rows in file order. ``numbers[column]`` is NaN where a cell holds no number
    (suppressed, missing, sentinel or not a number — the latter also is a problem)."""

    ids: tuple[str | None, ...]
    lines: np.ndarray
    numbers: dict[str, np.ndarray]
    labels: dict[str, str]  # column → how messages name it
    source: str  # file (and sheet) as messages name it
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def read_area_table(
    data: bytes,
    filename: str,
    *,
    id_column: str,
    number_columns: Sequence[str],
    markers: CellMarkers = DEFAULT_MARKERS,
    max_listed: int = MAX_LISTED,
) -> AreaTable:
    """Read ids and numbers; the decimal mark is detected from the number columns."""
    try:
        table = read_table(data, filename)
    except InputError as error:
        return _without_rows(filename, error.problems)
    report = TableReporter(table, max_listed)
    wanted = list(dict.fromkeys([id_column, *number_columns]))
    missing = [column for column in wanted if column not in table.frame.columns]
    for column in missing:
        report.add(*_missing_column(column, table.frame.columns), line=table.info.header_line)
    if table.frame.height == 0:
        report.add(
            "Die Datei enthält keine Datenzeilen.",
            "Bitte unter der Kopfzeile eine Zeile je Gebiet eintragen.",
        )
    if missing or table.frame.height == 0:
        return _without_rows(report.file, report.problems)

    columns = list(dict.fromkeys(number_columns))
    mark = detect_decimal_mark(table.frame.select(columns), table.info.separator)
    frame = table.frame.with_columns(pl.Series("line", table.lines, dtype=pl.Int64))
    id_label = table.label(id_column)
    report.rows(
        frame.filter(pl.col(id_column).is_null()),
        MISSING_KEY,
        MISSING_KEY_HINT,
        id_label,
    )
    report.duplicates(
        frame.select(pl.col(id_column).alias("id"), "line"),
        ["id"],
        lambda row: f"Gebiet „{row['id']}“",
        id_label,
    )
    numbers = {}
    for column in columns:
        text = pl.col(column)
        parsed = frame.select(
            text.alias("text"),
            "line",
            number(text, mark).alias("value"),
        ).with_columns(cell_flag(pl.col("text"), pl.col("value"), markers).alias("flag"))
        report.rows(
            parsed.filter((pl.col("flag") == "") & pl.col("value").is_null()),
            lambda row: not_a_number(row["text"]),
            number_hint(mark, markers),
            table.label(column),
        )
        usable = parsed.select(pl.when(pl.col("flag") == "").then(pl.col("value")))
        numbers[column] = usable.to_series().fill_null(np.nan).to_numpy()
    return AreaTable(
        ids=tuple(frame[id_column].to_list()),
        lines=table.lines,
        numbers=numbers,
        labels=table.labels,
        source=source(table.info),
        problems=report.problems,
    )


def _without_rows(source: str, problems: list[Problem]) -> AreaTable:
    return AreaTable((), np.array([], dtype=np.int64), {}, {}, source, problems)


def _missing_column(column: str, available: list[str]) -> tuple[str, str]:
    close = Suggester(available).closest(column)
    suggestion = f"Meinten Sie „{close}“? " if close else ""
    return (
        f"Die Spalte „{column}“ fehlt.",
        f"{suggestion}Vorhandene Spalten: {', '.join(available)}. Spaltennamen müssen genau "
        "übereinstimmen, auch in Groß- und Kleinschreibung.",
    )
