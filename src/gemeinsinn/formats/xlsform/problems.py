"""Problems of an XLSForm: a ``Problem`` that also names the sheet, and a code per kind of
problem so that callers and tests can tell them apart without reading the German text."""

from __future__ import annotations

from dataclasses import dataclass

from gemeinsinn.formats.problems import Problem

SURVEY = "survey"
CHOICES = "choices"
SETTINGS = "settings"
SHEET_ORDER = {SURVEY: 0, CHOICES: 1, SETTINGS: 2}


@dataclass(frozen=True)
class FormProblem(Problem):
    """A problem in an XLSForm; ``line`` is the row of the sheet (the header is row 1)."""

    sheet: str = ""  # sheet name as written in the workbook
    code: str = ""  # kind of problem, e.g. "unsupported_type" (see the reader)
    from_pyxform: bool = False  # the message translates one of pyxform's

    def location(self) -> str:
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"Blatt {self.sheet}")
        if self.line is not None:
            parts.append(f"Zeile {self.line}")
        if self.column:
            parts.append(f"Spalte {self.column}")
        return ", ".join(parts)


def sort_key(problem: Problem) -> tuple:
    sheet = getattr(problem, "sheet", "")
    return (
        problem.severity != "error",
        SHEET_ORDER.get(sheet.lower(), 3) if sheet else -1,
        problem.line if problem.line is not None else 0,
    )
