"""`gemeinsinn assembly`: select a citizens' council (Bürgerrat) by lot, without Django.

    gemeinsinn assembly select --people PEOPLE.csv --quotas QUOTAS.csv --size K \\
        [--id-column id] [--household-columns street,house_number,postcode] \\
        [--algorithm leximin|maximin|nash|legacy] [--seed TEXT] \\
        [--panel PANEL.csv] [--probabilities PROBS.csv] \\
        [--distribution DIST.csv] [--lottery-panels M] [--quiet]
    gemeinsinn assembly check --people PEOPLE.csv --quotas QUOTAS.csv --size K [...]
    gemeinsinn assembly draw --distribution DIST.csv --seed TEXT

Exit status: 0 on success, 2 on bad input or impossible quotas (German messages with
file, line, column and how to fix), 1 if the solver fails.

Also runnable as `python -m gemeinsinn.commands.assembly …` (same arguments).
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from pathlib import Path

from gemeinsinn.formats.problems import german_count

BAD_INPUT = 2
SOLVER_FAILED = 1


def register(subparsers) -> None:
    assembly = subparsers.add_parser(
        "assembly",
        help="Bürgerrat per Los auswählen (LEXIMIN, MAXIMIN, NASH, LEGACY)",
        description="Bürgerrat per Los auswählen: faire Auswahlwahrscheinlichkeiten unter "
        "Quoten, öffentlich nachprüfbare Ziehung.",
    )
    commands = assembly.add_subparsers(dest="assembly_command", metavar="BEFEHL")

    select = commands.add_parser(
        "select",
        help="Wahrscheinlichkeiten berechnen und ein Gremium ziehen",
        description="Berechnet die Auswahlwahrscheinlichkeiten, prüft das Ergebnis unabhängig "
        "und zieht ein Gremium reproduzierbar aus dem Startwert (--seed).",
    )
    _add_input_arguments(select)
    select.add_argument(
        "--algorithm",
        choices=["leximin", "maximin", "nash", "legacy"],
        default="leximin",
        help="Auswahlverfahren (Standard: leximin)",
    )
    select.add_argument(
        "--seed",
        default=None,
        help="Startwert der Ziehung, z. B. die Lottozahlen eines vorher angekündigten "
        "Datums; ohne Angabe wird ein zufälliger Startwert erzeugt und ausgegeben",
    )
    select.add_argument("--panel", type=Path, help="ausgewählte Personen als CSV schreiben")
    select.add_argument(
        "--probabilities", type=Path, help="Auswahlwahrscheinlichkeit je Person als CSV schreiben"
    )
    select.add_argument(
        "--distribution",
        type=Path,
        help="die veröffentlichte Verteilung (panel,weight,id) schreiben; Grundlage der Ziehung",
    )
    select.add_argument(
        "--lottery-panels",
        type=int,
        metavar="M",
        help="statt aus der Verteilung aus M gleich wahrscheinlichen Gremien ziehen",
    )
    select.add_argument("--quiet", action="store_true", help="keine Fortschrittsmeldungen")
    select.set_defaults(handler=run_select)

    check = commands.add_parser(
        "check",
        help="Dateien und Quoten prüfen (ohne Auswahl)",
        description="Prüft beide Dateien und ob die Quoten erfüllbar sind; schlägt bei "
        "unerfüllbaren Quoten konkrete Lockerungen vor.",
    )
    _add_input_arguments(check)
    check.set_defaults(handler=run_check)

    draw = commands.add_parser(
        "draw",
        help="Ziehung aus einer veröffentlichten Verteilung nachrechnen",
        description="Rechnet die Ziehung aus der veröffentlichten Verteilungsdatei und dem "
        "Startwert nach (nur ganzzahlige Arithmetik, auf jedem Rechner gleich).",
    )
    draw.add_argument("--distribution", type=Path, required=True, help="Verteilungsdatei")
    draw.add_argument("--seed", required=True, help="Startwert der Ziehung")
    draw.set_defaults(handler=run_draw)
    assembly.set_defaults(handler=lambda args: _usage(assembly))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return BAD_INPUT


def _add_input_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--people", type=Path, required=True, help="Freiwillige (CSV)")
    parser.add_argument(
        "--quotas",
        type=Path,
        required=True,
        help="Quoten (CSV: feature,value,min,max oder category,feature,min,max)",
    )
    parser.add_argument("--size", type=int, required=True, help="Größe des Gremiums (k)")
    parser.add_argument(
        "--id-column",
        default=None,
        help="Spalte mit der Kennung; ohne Angabe gilt die Zeilennummer (ab 1)",
    )
    parser.add_argument(
        "--household-columns",
        default=None,
        help="Adressspalten, kommagetrennt; höchstens eine Person je Haushalt",
    )


MAX_LISTED = 50  # a wrong column in a pool of 2 000 must not print 2 000 lines


def _print_problems(problems, title: str) -> None:
    print(f"{title} ({german_count(len(problems))}):", file=sys.stderr)
    for problem in problems[:MAX_LISTED]:
        print(f"  - {problem}", file=sys.stderr)
    if len(problems) > MAX_LISTED:
        rest = len(problems) - MAX_LISTED
        print(
            f"  … und {german_count(rest)} weitere. Beheben Sie zuerst die aufgeführten "
            "Probleme und prüfen Sie die Dateien dann erneut.",
            file=sys.stderr,
        )


def _load(args):
    from gemeinsinn.sortition.files import load_selection

    household = (
        [c.strip() for c in args.household_columns.split(",")] if (args.household_columns) else []
    )
    return load_selection(args.people, args.quotas, args.size, args.id_column, household)


def run_check(args) -> int:
    from gemeinsinn.formats.problems import InputError
    from gemeinsinn.sortition.feasibility import check_feasibility
    from gemeinsinn.sortition.model import TypeModel

    try:
        people = _load(args)
    except InputError as error:
        _print_problems(error.problems, "Die Eingaben enthalten Fehler")
        return BAD_INPUT
    for warning in people.warnings:
        print(f"Hinweis: {warning}", file=sys.stderr)
    report = check_feasibility(TypeModel.build(people.pool), people.quotas_name)
    if not report.feasible:
        _print_problems(report.problems, "Die Quoten sind nicht erfüllbar")
        return BAD_INPUT
    pool = people.pool
    print(
        f"In Ordnung: {pool.n} Freiwillige, {len(pool.features)} Merkmale, Gremium mit "
        f"{pool.panel_size} Plätzen ist unter den Quoten möglich."
    )
    return 0


def run_select(args) -> int:
    from gemeinsinn.formats.problems import InputError
    from gemeinsinn.sortition.files import write_panel, write_probabilities
    from gemeinsinn.sortition.select import select
    from gemeinsinn.sortition.solver import SolverError

    started = time.monotonic()
    if args.lottery_panels is not None and args.lottery_panels < 1:
        print("--lottery-panels muss mindestens 1 sein.", file=sys.stderr)
        return BAD_INPUT
    try:
        people = _load(args)
    except InputError as error:
        _print_problems(error.problems, "Die Eingaben enthalten Fehler")
        return BAD_INPUT
    for warning in people.warnings:
        print(f"Hinweis: {warning}", file=sys.stderr)
    # validation before any solving: quota arithmetic, exact feasibility, relaxations
    from gemeinsinn.sortition.feasibility import check_feasibility
    from gemeinsinn.sortition.model import TypeModel

    report = check_feasibility(TypeModel.build(people.pool), people.quotas_name)
    if not report.feasible:
        _print_problems(report.problems, "Die Quoten sind nicht erfüllbar")
        return BAD_INPUT
    seed = args.seed
    if seed is None:
        seed = secrets.token_hex(16)
        print(
            f"Kein --seed angegeben: zufälliger Startwert {seed} verwendet "
            "(für eine öffentliche Ziehung den Startwert vorher ankündigen).",
            file=sys.stderr,
        )
    last = [0.0]

    def progress(event) -> None:
        now = time.monotonic()
        if not args.quiet and (now - last[0] >= 2.0 or event.stage == "final"):
            last[0] = now
            print(str(event), file=sys.stderr)

    try:
        result = select(
            people.pool,
            args.algorithm,
            seed=seed,
            lottery_panels=args.lottery_panels,
            progress=progress,
        )
    except InputError as error:
        _print_problems(error.problems, "Die Quoten sind nicht erfüllbar")
        return BAD_INPUT
    except SolverError as error:
        print(f"Fehler beim Lösen: {error}", file=sys.stderr)
        return SOLVER_FAILED
    try:
        if args.probabilities:
            write_probabilities(args.probabilities, people.pool.ids, result.probabilities)
        if args.panel:
            write_panel(args.panel, people, result.panel)
        if args.distribution and result.published:
            args.distribution.write_bytes(result.published.encode("utf-8"))
    except OSError as error:
        print(
            f"Ausgabedatei kann nicht geschrieben werden: {error.filename}: "
            f"{error.strerror}. Bitte Pfad und Schreibrechte prüfen.",
            file=sys.stderr,
        )
        return BAD_INPUT
    _summary(result, people, time.monotonic() - started)
    return 0


def _summary(result, people, seconds: float) -> None:
    pool = people.pool
    probabilities = result.probabilities
    names = {"leximin": "LEXIMIN", "maximin": "MAXIMIN", "nash": "NASH", "legacy": "LEGACY"}
    print(f"Verfahren: {names[result.algorithm]}")
    print(f"Freiwillige: {pool.n}, Gremiengröße: {pool.panel_size}")
    estimate = " (geschätzt)" if result.algorithm == "legacy" else ""
    print(
        f"Auswahlwahrscheinlichkeit{estimate}: kleinste {probabilities.min():.6f}, "
        f"größte {probabilities.max():.6f}"
    )
    if result.excluded:
        ids = ", ".join(pool.ids[i] for i in result.excluded[:20])
        more = " …" if len(result.excluded) > 20 else ""
        print(
            f"Achtung: {len(result.excluded)} Personen passen in kein zulässiges Gremium "
            f"(Wahrscheinlichkeit 0): {ids}{more}"
        )
    if result.distribution is not None:
        print(f"Verteilung: {len(result.distribution.panels)} Gremien mit Gewicht")
    if result.lottery is not None:
        lots = result.lottery
        print(
            f"Losliste: {len(lots.panels)} gleich wahrscheinliche Gremien, größte Abweichung "
            f"{lots.max_deviation:.6f} ({lots.explanation()})"
        )
    if result.digest:
        print(f"SHA-256 der veröffentlichten Verteilung: {result.digest}")
    print(f"Startwert: {result.seed}")
    if result.panel_number:
        print(f"Gezogen: Gremium Nr. {result.panel_number}")
    print("Ausgewählt: " + ", ".join(result.panel_ids()))
    print(f"Rechenzeit: {seconds:.1f} s")


def run_draw(args) -> int:
    from gemeinsinn.formats.problems import InputError
    from gemeinsinn.sortition.lottery import draw

    try:
        text = args.distribution.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(
            f"{args.distribution}: Datei kann nicht gelesen werden ({error}). "
            "Bitte Pfad prüfen und die veröffentlichte Datei unverändert verwenden.",
            file=sys.stderr,
        )
        return BAD_INPUT
    try:
        number, ids, sha = draw(text, args.seed, args.distribution.name)
    except InputError as error:
        _print_problems(error.problems, "Die Verteilungsdatei enthält Fehler")
        return BAD_INPUT
    print(f"SHA-256 der Verteilung: {sha}")
    print(f"Startwert: {args.seed}")
    print(f"Gezogen: Gremium Nr. {number}")
    print("Ausgewählt: " + ", ".join(ids))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gemeinsinn")
    register(parser.add_subparsers(dest="command", metavar="BEFEHL"))
    args = parser.parse_args(["assembly", *(sys.argv[1:] if argv is None else argv)])
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
