"""`gemeinsinn index compute`: a social index from one table, without database or Django.

    gemeinsinn index compute INPUT.csv --id PLR_ID --population EW \\
        --status S1,S3,S4 --dynamics D1,D3,D4 --min-population 300 \\
        --exclude 10100205 --output result.csv

Reads a CSV or spreadsheet with one row per area (separator, encoding and decimal mark
detected), computes the index with ``gemeinsinn.analysis.index`` and writes one row per input
area, in input order. Exit status 0 on success (warnings on stderr), 2 on bad input.

polars and numpy are imported only when the command runs, so that building the parser for
any other ``gemeinsinn`` command stays fast.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gemeinsinn.files import write_atomically
from gemeinsinn.formats.problems import Problem

if TYPE_CHECKING:
    from gemeinsinn.analysis.index import IndexResult
    from gemeinsinn.formats.area_table import AreaTable

BAD_INPUT = 2
OUTPUT_COLUMNS = (
    "area_id",
    "included",
    "status_index",
    "status_class",
    "dynamics_index",
    "dynamics_class",
    "combined_class",
)
STDOUT = "-"


def register(subparsers) -> None:
    index = subparsers.add_parser(
        "index", help="Sozialindex berechnen (ohne Datenbank)", description=__doc__.split("\n")[0]
    )
    commands = index.add_subparsers(dest="index_command", metavar="BEFEHL")
    compute = commands.add_parser(
        "compute",
        add_help=False,
        help="Status- und Dynamikindex aus einer Tabelle berechnen",
        description=(
            "Berechnet Status- und Dynamikindex nach dem Verfahren des Berliner Monitorings "
            "Soziale Stadtentwicklung (z-Werte mit Populations-Standardabweichung, gleiche "
            "Gewichte, Klassen auf ungerundeten Werten). Eingabe: CSV (Trennzeichen ; , oder "
            "Tabulator, Dezimalkomma oder -punkt, UTF-8 oder Windows-1252) oder Excel, eine "
            "Zeile je Gebiet. Ausgabe: CSV mit Komma, UTF-8, eine Zeile je Gebiet in der "
            "Reihenfolge der Eingabe."
        ),
        epilog=(
            "Fehlende Werte (leer, „-“, „.“, „*“, -9999) nehmen ein Gebiet aus dem Index; es wird "
            "auf der Fehlerausgabe genannt. Fehlerhafte Eingaben werden alle auf einmal gemeldet "
            "(Datei, Zeile, Spalte); dann wird nichts geschrieben und der Rückgabewert ist 2."
        ),
    )
    files = compute.add_argument_group("Ein- und Ausgabe")
    files.add_argument("input", metavar="EINGABE", type=Path, help="CSV- oder Excel-Datei")
    files.add_argument(
        "--output",
        default=STDOUT,
        metavar="DATEI",
        help="Ausgabedatei; „-“ oder ohne Angabe: Standardausgabe. Die Datei wird erst "
        "geschrieben, wenn alles berechnet ist (nie halb)",
    )
    columns = compute.add_argument_group("Spalten und Verfahren")
    columns.add_argument(
        "--id", required=True, metavar="SPALTE", help="Spalte mit den Gebietsschlüsseln"
    )
    columns.add_argument(
        "--population", required=True, metavar="SPALTE", help="Spalte mit der Einwohnerzahl"
    )
    columns.add_argument(
        "--status",
        required=True,
        type=_codes,
        metavar="SPALTEN",
        help="Status-Indikatoren, durch Komma getrennt (z. B. S1,S3,S4)",
    )
    columns.add_argument(
        "--dynamics",
        type=_codes,
        default=(),
        metavar="SPALTEN",
        help="Dynamik-Indikatoren, durch Komma getrennt (z. B. D1,D3,D4); ohne diese Angabe "
        "bleiben die Dynamik-Spalten der Ausgabe leer",
    )
    columns.add_argument(
        "--min-population",
        type=float,
        default=300,
        metavar="ANZAHL",
        help="Gebiete mit weniger Einwohnern bleiben außen vor (Standard: 300)",
    )
    columns.add_argument(
        "--exclude",
        type=_codes,
        action="append",
        default=[],
        metavar="IDS",
        help="Gebiete, die nicht in den Index eingehen (Ausreißer), durch Komma getrennt; "
        "auch mehrfach angebbar",
    )
    compute.add_argument_group("Hilfe").add_argument(
        "-h", "--help", action="help", help="diese Hilfe zeigen und beenden"
    )
    compute.set_defaults(handler=run_compute)
    index.set_defaults(handler=lambda args: _usage(index))


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.split(",") if code.strip())


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return BAD_INPUT


def run_compute(args) -> int:
    from gemeinsinn.analysis.index import (
        IndexInputError,
        IndexSettings,
        IndicatorWeight,
        compute_index,
    )
    from gemeinsinn.formats.area_table import read_area_table

    try:
        data = args.input.read_bytes()
    except OSError as error:
        _print_problems(
            [_file_problem("Die Eingabedatei kann nicht gelesen werden", args.input, error)]
        )
        return BAD_INPUT
    indicators = (*args.status, *args.dynamics)
    table = read_area_table(
        data, args.input.name, id_column=args.id, number_columns=(args.population, *indicators)
    )
    _print_problems(table.problems)
    if not table.ok:
        return BAD_INPUT
    settings = IndexSettings(
        status=tuple(IndicatorWeight(code) for code in args.status),
        dynamics=tuple(IndicatorWeight(code) for code in args.dynamics),
        min_population=args.min_population,
        exclude=frozenset(code for codes in args.exclude for code in codes),
    )
    try:
        result = compute_index(table.ids, table.numbers[args.population], table.numbers, settings)
    except IndexInputError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return BAD_INPUT
    _print_problems(_missing_population(table, result, args.population))
    for warning in result.warnings:
        print(f"Warnung: {warning}", file=sys.stderr)
    try:
        _write(result_csv(result), args.output)
    except OSError as error:
        problem = _file_problem(
            "Die Ausgabedatei kann nicht geschrieben werden", args.output, error
        )
        _print_problems([problem])
        return BAD_INPUT
    return 0


def result_csv(result: IndexResult) -> str:
    """The output table: exact decimals (repr), empty fields where there is no value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    dynamics = result.dynamics_index is not None
    for row, area_id in enumerate(result.area_ids):
        included = bool(result.included[row])
        writer.writerow(
            (
                area_id,
                "true" if included else "false",
                _decimal(result.status_index[row]) if included else "",
                _class(result.status_class[row]),
                _decimal(result.dynamics_index[row]) if dynamics and included else "",
                _class(result.dynamics_class[row]) if dynamics else "",
                result.combined_class[row] or "",
            )
        )
    return buffer.getvalue()


def _decimal(value: float) -> str:
    return repr(float(value)) if math.isfinite(value) else ""


def _class(value: int) -> str:
    return str(int(value)) if value else ""


def _missing_population(table: AreaTable, result: IndexResult, column: str) -> list[Problem]:
    """Warnings for areas left out because their population is missing (with the line)."""
    from gemeinsinn.analysis.index import MISSING_POPULATION

    return [
        Problem(
            f"Gebiet {table.ids[row]} fehlt im Index: die Einwohnerzahl fehlt.",
            table.source,
            int(table.lines[row]),
            table.labels.get(column, column),
            hint="Bitte die Einwohnerzahl nachliefern.",
            severity="warning",
        )
        for row, reason in enumerate(result.exclusion_reason)
        if reason == MISSING_POPULATION
    ]


def _write(text: str, output: str) -> None:
    """UTF-8 to stdout, or atomically to a file: a temporary file beside it, then renamed."""
    if output == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    write_atomically(Path(output), text)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        prefix = "Fehler" if problem.severity == "error" else "Warnung"
        print(f"{prefix}: {problem}", file=sys.stderr)


def _file_problem(what: str, path, error: OSError) -> Problem:
    return Problem(
        f"{what} ({error.strerror or error}).",
        str(path),
        hint="Bitte Pfad und Zugriffsrechte prüfen.",
    )
