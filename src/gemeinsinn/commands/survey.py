"""`gemeinsinn survey check`: check an XLSForm survey definition, without database or Django.

    gemeinsinn survey check FORM.xlsx

Prints a short summary (title, languages, number of questions by type) and exits 0, or
prints every problem in German with sheet, row and column and exits 2. Warnings (what
gemeinsinn will ignore) go to stderr and do not change the exit status.

pyxform is imported only when the command runs, so that building the parser for any other
``gemeinsinn`` command stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gemeinsinn.formats.problems import Problem
    from gemeinsinn.formats.xlsform import SurveyDefinition

BAD_INPUT = 2


def register(subparsers) -> None:
    survey = subparsers.add_parser(
        "survey",
        help="Fragebögen (XLSForm) prüfen (ohne Datenbank)",
        description="Fragebögen im XLSForm-Format prüfen.",
    )
    commands = survey.add_subparsers(dest="survey_command", metavar="BEFEHL")
    check = commands.add_parser(
        "check",
        add_help=False,
        help="ein XLSForm prüfen und zusammenfassen",
        description=(
            "Prüft einen Fragebogen im XLSForm-Format (.xlsx oder .xls) nach der "
            "XLSForm-Spezifikation (mit pyxform) und darauf, ob gemeinsinn ihn zeigen und "
            "auswerten kann. Gibt Titel, Sprachen und die Zahl der Fragen je Typ aus."
        ),
        epilog=(
            "Fehler werden alle auf einmal gemeldet, mit Tabellenblatt, Zeile und Spalte; dann "
            "ist der Rückgabewert 2. Warnungen (was gemeinsinn übergeht) stehen auf der "
            "Fehlerausgabe und ändern den Rückgabewert nicht."
        ),
    )
    check.add_argument_group("Eingabe").add_argument(
        "form", metavar="FRAGEBOGEN", type=Path, help="XLSForm-Datei (.xlsx oder .xls)"
    )
    check.add_argument_group("Hilfe").add_argument(
        "-h", "--help", action="help", help="diese Hilfe zeigen und beenden"
    )
    check.set_defaults(handler=run_check)
    survey.set_defaults(handler=lambda args: _usage(survey))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return BAD_INPUT


def run_check(args) -> int:
    from gemeinsinn.formats.problems import Problem
    from gemeinsinn.formats.xlsform import check_xlsform

    path: Path = args.form
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = Problem(
            f"Die Datei kann nicht gelesen werden ({error.strerror or error}).",
            str(path),
            hint="Bitte Pfad und Zugriffsrechte prüfen.",
        )
        _print_problems([problem])
        return BAD_INPUT
    result = check_xlsform(data, path.name)
    _print_problems(result.errors)
    _print_problems(result.warnings)
    if not result.ok or result.survey is None:
        count = len(result.errors)
        print(
            f"{path.name}: {count} Fehler – der Fragebogen kann so nicht verwendet werden.",
            file=sys.stderr,
        )
        return BAD_INPUT
    sys.stdout.write(summary(result.survey))
    sys.stdout.flush()
    return 0


def summary(survey: SurveyDefinition) -> str:
    """A few lines about a checked form: title, languages, questions by type."""
    from gemeinsinn.formats.xlsform.model import NO_LANGUAGE

    def language_name(language: str) -> str:
        return "ohne Sprachangabe" if language == NO_LANGUAGE else language

    languages = ", ".join(language_name(language) for language in survey.languages) or "–"
    questions = survey.questions()
    likert = sum(1 for question in questions if question.is_likert)
    counts = []
    for kind, count in survey.counts_by_type().items():
        text = f"{kind} {count}"
        if kind == "select_one" and likert:
            text += f" (davon Likert-Skala {likert})"
        counts.append(text)
    groups = survey.groups()
    repeats = sum(1 for group in groups if group.repeat)
    version = f", Version {survey.version}" if survey.version else ""
    lines = [
        f"Fragebogen: {survey.title} (Formular-ID {survey.form_id}{version})",
        f"Sprachen: {languages}; Standardsprache: {language_name(survey.default_language)}",
        f"Fragen: {len(questions)} – {', '.join(counts)}",
        f"Gruppen: {len(groups) - repeats}, Wiederholungen: {repeats}, "
        f"Auswahllisten: {len(survey.choice_lists)}",
        "Der Fragebogen kann in gemeinsinn verwendet werden.",
    ]
    return "\n".join(lines) + "\n"


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        prefix = "Fehler" if problem.severity == "error" else "Warnung"
        print(f"{prefix}: {problem}", file=sys.stderr)
