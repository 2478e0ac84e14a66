"""German tables (CSV or spreadsheet) as polars frames of text: ``read_table``.

Cells are stripped; empty cells become null; rows without any filled cell are dropped (their
line numbers are simply skipped). Title lines above the header are skipped: the header is the
first of the first 30 rows with the most filled cells. Keys are never read as numbers.
"""

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from gemeinsinn.formats.csv_reader import read_csv_grid
from gemeinsinn.formats.excel_reader import is_spreadsheet, read_excel_grid
from gemeinsinn.formats.grid import Grid, empty_file
from gemeinsinn.formats.numbers import detect_decimal_mark
from gemeinsinn.formats.problems import InputError, Problem


@dataclass(frozen=True)
class TableInfo:
    filename: str
    file_format: str  # "csv" or "xlsx" (any spreadsheet)
    decimal_mark: str  # "," or "."
    header_line: int  # CSV: physical line; spreadsheet: sheet row
    encoding: str | None = None  # CSV: "utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"
    separator: str | None = None  # CSV: ";", ",", "\t" or "|"
    sheet: str | None = None  # spreadsheet: name of the data sheet


@dataclass(frozen=True)
class Table:
    """String columns named as in the header; ``lines[i]`` is the line of row i."""

    frame: pl.DataFrame
    lines: np.ndarray
    labels: dict[str, str]  # column → how messages name it: "S1" (CSV), "C (S1)" (sheet)
    info: TableInfo
    problems: list[Problem] = field(default_factory=list)

    def label(self, column: str) -> str:
        return self.labels.get(column, column)


def read_table(data: bytes, filename: str, *, sheet: str | int | None = None) -> Table:
    """Read a CSV or spreadsheet file; format, encoding, separator and decimal mark detected.

    Raises InputError (German problems) when the file holds no table at all: empty file,
    unreadable spreadsheet, no data sheet, no header. Problems inside a readable table
    (rows with a wrong number of fields, duplicate column names) come back in
    ``Table.problems``.
    """
    if not data.strip():
        raise InputError([empty_file(filename)])
    if is_spreadsheet(data, filename):
        grid = read_excel_grid(data, filename, sheet)
    else:
        grid = read_csv_grid(data, filename)
    return _table_from_grid(grid, filename)


def _table_from_grid(grid: Grid, filename: str) -> Table:
    header = [_stripped(cell) for cell in grid.cells.row(0)]
    if not any(any(char.isalpha() for char in name) for name in header):
        raise InputError([_no_header(filename, int(grid.lines[0]), header)])
    body = grid.cells[1:]
    lines = grid.lines[1:]
    body = body.with_columns(pl.all().str.strip_chars()).with_columns(
        pl.when(pl.all() != "").then(pl.all()).name.keep()
    )
    filled = body.select(pl.any_horizontal(pl.all().is_not_null())).to_series().to_numpy()
    if not filled.all():
        body, lines = body.filter(filled), lines[filled]

    problems = list(grid.problems)
    positions = [_position(grid, index) for index in range(len(header))]
    keep, names = [], []
    for index, name in enumerate(header):
        if not name:
            if body[:, index].null_count() < body.height:
                problems.append(_unnamed_column(filename, grid, positions[index]))
            continue
        keep.append(index)
        names.append(name)
    problems += _duplicate_names(filename, grid, [positions[i] for i in keep], names)
    unique = _unique_names(names)
    frame = body.select(body.columns[index] for index in keep).rename(
        dict(zip([body.columns[index] for index in keep], unique, strict=True))
    )
    labels = {
        name: (f"{positions[index]} ({name})" if grid.letters else name)
        for index, name in zip(keep, unique, strict=True)
    }
    info = TableInfo(
        filename=filename,
        file_format=grid.file_format,
        decimal_mark=detect_decimal_mark(frame, grid.separator),
        header_line=int(grid.lines[0]),
        encoding=grid.encoding,
        separator=grid.separator,
        sheet=grid.sheet,
    )
    return Table(frame=frame, lines=lines, labels=labels, info=info, problems=problems)


def _stripped(cell: str | None) -> str:
    return (cell or "").strip()


def _position(grid: Grid, index: int) -> str:
    """Spreadsheet letter, or the 1-based column number in a CSV file."""
    return grid.letters[index] if grid.letters else str(index + 1)


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def _duplicate_names(
    filename: str, grid: Grid, positions: list[str], names: list[str]
) -> list[Problem]:
    problems = []
    for name in dict.fromkeys(names):
        where = [
            position for position, other in zip(positions, names, strict=True) if other == name
        ]
        if len(where) > 1:
            problems.append(
                Problem(
                    f"Der Spaltenname „{name}“ kommt mehrfach vor (Spalten {', '.join(where)}).",
                    file=filename,
                    line=int(grid.lines[0]),
                    column=name,
                    hint="Jede Spalte braucht einen eigenen Namen: bitte umbenennen oder "
                    "doppelte Spalten löschen.",
                )
            )
    return problems


def _unnamed_column(filename: str, grid: Grid, position: str) -> Problem:
    return Problem(
        f"Die Spalte {position} enthält Werte, hat aber keinen Namen in der Kopfzeile.",
        file=filename,
        line=int(grid.lines[0]),
        column=position,
        hint="Bitte einen Spaltennamen eintragen oder die Spalte löschen.",
    )


def _no_header(filename: str, line: int, header: list[str]) -> Problem:
    shown = "; ".join(cell for cell in header if cell)
    return Problem(
        f"Keine Kopfzeile gefunden: die erste Zeile enthält nur Daten („{shown}“).",
        file=filename,
        line=line,
        hint="Bitte eine Kopfzeile mit Spaltennamen einfügen, z. B. „Gebiet;Jahr;Indikator;Wert“.",
    )
