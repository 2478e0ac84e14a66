"""Collect the problems of one table: row-level faults are listed up to a limit per kind,
with the same German wording wherever a table is checked."""

from collections.abc import Callable

import polars as pl

from gemeinsinn.formats.problems import MAX_LISTED, Problem, with_overflow
from gemeinsinn.formats.reader import Table, TableInfo

MISSING_KEY = "Der Gebietsschlüssel fehlt."
MISSING_KEY_HINT = "Bitte den Schlüssel eintragen oder die Zeile löschen."
DUPLICATE_HINT = "Bitte eine der beiden Zeilen löschen."


def not_a_number(text: str) -> str:
    return f"„{text}“ ist keine Zahl."


def duplicate(what: str, first_line: int) -> str:
    return f"Doppelter Eintrag: {what} steht schon in Zeile {first_line}."


def source(info: TableInfo) -> str:
    """How messages name the file: with the sheet for spreadsheets."""
    return f"{info.filename}, Blatt „{info.sheet}“" if info.sheet else info.filename


class TableReporter:
    """Problems of one table, in the order they were found."""

    def __init__(self, table: Table, limit: int = MAX_LISTED):
        self.table = table
        self.limit = limit
        self.file = source(table.info)
        self.problems: list[Problem] = list(table.problems)

    def add(self, message: str, hint: str, *, line=None, column="", severity="error") -> None:
        self.problems.append(Problem(message, self.file, line, column, hint, severity))

    def rows(
        self,
        failing: pl.DataFrame,
        message: str | Callable[[dict], str],
        hint: str,
        column: str | Callable[[dict], str],
    ) -> None:
        """One problem per failing row (a frame with a ``line`` column), sorted by line.

        ``message`` and ``column`` are texts, or functions of the row (a dict).
        """
        failing = failing.sort("line")
        listed = [
            Problem(_text(message, row), self.file, row["line"], _text(column, row), hint=hint)
            for row in failing.head(self.limit).iter_rows(named=True)
        ]
        self.problems += with_overflow(listed, failing.height, file=self.file, hint=hint)

    def duplicates(
        self, frame: pl.DataFrame, keys: list[str], describe: Callable[[dict], str], column: str
    ) -> None:
        """Rows repeating the ``keys`` of an earlier row (nulls never count); one per line."""
        complete = pl.all_horizontal(pl.col(keys).is_not_null())
        repeated = frame.filter(~pl.struct(keys).is_first_distinct() & complete)
        if repeated.height == 0:
            return
        first = frame.filter(complete).group_by(keys).agg(pl.col("line").min().alias("first"))
        failing = (
            repeated.join(first, on=keys, how="left")
            .group_by("line", "first")
            .agg(pl.col(keys).first())
        )
        self.rows(
            failing,
            lambda row: duplicate(describe(row), row["first"]),
            DUPLICATE_HINT,
            column,
        )


def _text(text: str | Callable[[dict], str], row: dict) -> str:
    return text if isinstance(text, str) else text(row)
