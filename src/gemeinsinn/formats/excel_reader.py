"""Spreadsheets (XLSX, XLSM, XLS, ODS) read with fastexcel, every cell as text.

The data sheet is the first sheet whose header row has at least two filled cells and at
least one row below it; sheets with notes only ("Erläuterungen") are skipped. Rows keep
their sheet row number and columns their letter, also when the table does not start in A1.
Numeric cells arrive as their shortest text ("4.5", whole numbers without ".0"); a key
stored as a number has lost its leading zeros — see ``observations`` for how that is handled.
"""

import fastexcel
import numpy as np

from gemeinsinn.formats.grid import (
    HEADER_SEARCH_ROWS,
    Grid,
    column_letter,
    filled_count,
    header_row_index,
)
from gemeinsinn.formats.problems import InputError, Problem

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def is_spreadsheet(data: bytes, filename: str) -> bool:
    return data.startswith((_ZIP_MAGIC, _OLE_MAGIC)) or filename.lower().endswith(
        SPREADSHEET_SUFFIXES
    )


def read_excel_grid(data: bytes, filename: str, sheet: str | int | None = None) -> Grid:
    """The cells of the data sheet from row 1 on; raises InputError without a table."""
    try:
        reader = fastexcel.read_excel(data)
    except Exception:  # fastexcel raises its own hierarchy for every unreadable file
        raise InputError([_unreadable(filename)]) from None
    names = reader.sheet_names
    if sheet is not None:
        if sheet not in names and not (isinstance(sheet, int) and 0 <= sheet < len(names)):
            raise InputError([_missing_sheet(filename, sheet, names)])
        candidates = [sheet]
    else:
        candidates = names
    for candidate in candidates:
        grid = _sheet_grid(reader, candidate)
        if grid is not None:
            return grid
    raise InputError([_no_data_sheet(filename, names)])


def _sheet_grid(reader, sheet: str | int) -> Grid | None:
    loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string")
    cells = loaded.to_polars()
    if cells.width == 0:
        return None
    header = header_row_index(cells.head(HEADER_SEARCH_ROWS).rows())
    if header is None or filled_count(cells.row(header)) < 2 or header + 1 >= cells.height:
        return None
    letters = tuple(column_letter(info.absolute_index) for info in loaded.available_columns())
    return Grid(
        cells=cells[header:],
        lines=np.arange(header + 1, cells.height + 1),
        file_format="xlsx",
        letters=letters,
        sheet=loaded.name,
    )


def _unreadable(filename: str) -> Problem:
    return Problem(
        "Die Datei ist keine lesbare Excel- oder OpenDocument-Tabelle.",
        file=filename,
        hint="Bitte die Datei in Excel oder LibreOffice öffnen und erneut als .xlsx oder "
        ".csv speichern.",
    )


def _missing_sheet(filename: str, sheet: str | int, names: list[str]) -> Problem:
    return Problem(
        f"Das Tabellenblatt „{sheet}“ gibt es nicht.",
        file=filename,
        hint=f"Vorhandene Tabellenblätter: {', '.join(names)}.",
    )


def _no_data_sheet(filename: str, names: list[str]) -> Problem:
    return Problem(
        "Die Arbeitsmappe enthält kein Tabellenblatt mit Daten "
        f"(geprüft: {', '.join(names) or 'keine Blätter'}).",
        file=filename,
        hint="Die Daten gehören in ein Tabellenblatt mit einer Kopfzeile (mindestens zwei "
        "Spaltennamen) und Datenzeilen darunter.",
    )
