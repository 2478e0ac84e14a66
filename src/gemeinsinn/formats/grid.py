"""The raw cell grid a reader hands on: every row as text, with its line in the file."""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from gemeinsinn.formats.problems import Problem

HEADER_SEARCH_ROWS = 30


@dataclass
class Grid:
    """Header row first, then the data rows; string columns in file order.

    ``lines`` holds the line of each row (CSV: physical line; spreadsheet: sheet row);
    ``letters`` the spreadsheet column letters (None for CSV).
    """

    cells: pl.DataFrame
    lines: np.ndarray
    file_format: str
    letters: tuple[str, ...] | None = None
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    problems: list[Problem] = field(default_factory=list)


def header_row_index(rows: Sequence[Sequence[str | None]]) -> int | None:
    """Index of the header among the first rows, None when they are all empty.

    The header is the first row that fills at least half as many cells as the fullest of
    the first rows (and at least two): title lines above a table ("Tabelle 3: Arbeitslose
    2021") are skipped, while a data row with one value too many does not steal the role.
    """
    counts = [filled_count(row) for row in rows[:HEADER_SEARCH_ROWS]]
    if not counts or max(counts) == 0:
        return None
    needed = 1 if max(counts) == 1 else max(2, -(-max(counts) // 2))
    return next(index for index, count in enumerate(counts) if count >= needed)


def filled_count(row: Sequence[str | None]) -> int:
    return sum(1 for cell in row if cell is not None and cell.strip())


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def empty_file(filename: str) -> Problem:
    return Problem(
        "Die Datei ist leer.",
        file=filename,
        hint="Bitte eine Datei mit Kopfzeile und Datenzeilen hochladen.",
    )
