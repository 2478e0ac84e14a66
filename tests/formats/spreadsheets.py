"""Build small spreadsheets in memory for tests."""

import io

import openpyxl


def xlsx_bytes(sheets: dict[str, dict[str, object]]) -> bytes:
    """Workbook with one sheet per entry; each sheet given as {"B3": value, ...}."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, cells in sheets.items():
        sheet = workbook.create_sheet(name)
        for address, value in cells.items():
            sheet[address] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_at(first_cell: str, rows: list[list[object]]) -> dict[str, object]:
    """Cells for ``rows`` placed with their top-left corner at ``first_cell`` ("B3")."""
    column = ord(first_cell[0]) - ord("A")
    row = int(first_cell[1:])
    return {
        f"{chr(ord('A') + column + c)}{row + r}": value
        for r, values in enumerate(rows)
        for c, value in enumerate(values)
        if value is not None
    }
