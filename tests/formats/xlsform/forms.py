"""Small XLSForms written with openpyxl for tests."""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl

SURVEY_HEADER = ("type", "name", "label")
CHOICES_HEADER = ("list_name", "name", "label")

YES_NO = (("ja_nein", "ja", "Ja"), ("ja_nein", "nein", "Nein"))


def xlsform_bytes(
    survey: Sequence[Sequence[object]] | None,
    *,
    survey_header: Sequence[str] = SURVEY_HEADER,
    choices: Sequence[Sequence[object]] | None = None,
    choices_header: Sequence[str] = CHOICES_HEADER,
    settings: dict[str, object] | None = None,
    survey_sheet: str = "survey",
    extra_sheets: Sequence[str] = (),
) -> bytes:
    """A workbook: the survey sheet (header in row 1, each given row below it, ``None`` rows
    left empty), optionally choices and settings sheets."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    if survey is not None:
        _sheet(workbook, survey_sheet, survey_header, survey)
    if choices is not None:
        _sheet(workbook, "choices", choices_header, choices)
    if settings is not None:
        _sheet(workbook, "settings", list(settings), [list(settings.values())])
    for name in extra_sheets:
        workbook.create_sheet(name)["A1"] = "Notizen"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook, name: str, header: Sequence[str], rows) -> None:
    sheet = workbook.create_sheet(name)
    sheet.append(list(header))
    for number, row in enumerate(rows, start=2):
        if row is None:
            continue
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
