"""Problems found in user input: every check reports all of them at once, in German,
with where (file, line, column) and how to fix it."""

from dataclasses import dataclass

MAX_LISTED = 200  # problems of one kind listed per file; the rest are summed up in one line


@dataclass(frozen=True)
class Problem:
    message: str  # German: what is wrong
    file: str = ""
    line: int | None = None  # 1-based line in the file (the header is line 1)
    column: str = ""  # column name as written in the file, or a spreadsheet letter
    hint: str = ""  # German: how to fix it
    severity: str = "error"  # "error" stops an import, "warning" does not

    def location(self) -> str:
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(f"Zeile {self.line}")
        if self.column:
            parts.append(f"Spalte {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}" if self.location() else self.message
        return f"{text} {self.hint}".strip() if self.hint else text


class InputError(Exception):
    """Raised with every problem of an input at once; nothing has been stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"] or list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def german_count(number: int) -> str:
    """A whole number with a space between thousands, as in "9 800"."""
    return f"{number:,}".replace(",", " ")


def with_overflow(
    listed: list[Problem],
    total: int,
    *,
    file: str,
    hint: str = "",
    severity: str = "error",
    unit: tuple[str, str] = ("weitere Zeile", "weitere Zeilen"),
) -> list[Problem]:
    """The listed problems plus one summary line when more rows share the same fault.

    ``unit``: singular and plural of what was left out.
    """
    remaining = total - len(listed)
    if remaining <= 0:
        return listed
    summary = Problem(
        f"… und {german_count(remaining)} {unit[remaining != 1]} mit demselben Fehler.",
        file=file,
        hint=hint,
        severity=severity,
    )
    return [*listed, summary]
