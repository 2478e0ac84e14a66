"""`gemeinsinn report build`: the Sozialbericht, the Handlungskonzept or the Kompass as a file.

    gemeinsinn report build --kind sozialbericht|handlungskonzept|kompass --year YEAR \\
        [--level LEVEL] --output FILE.pdf|FILE.html

The format follows the file ending. The file is written only when the whole report is built
(no half-written file remains); progress goes to stderr. Exit status 2 on bad input.
"""

import sys
from pathlib import Path

from gemeinsinn.commands import CommandFailed, setup_django
from gemeinsinn.files import write_atomically

ENDINGS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def register(subparsers) -> None:
    report = subparsers.add_parser("report", help="Berichte erstellen (Sozialbericht u. a.)")
    commands = report.add_subparsers(dest="report_command", metavar="BEFEHL", required=True)
    build = commands.add_parser(
        "build",
        help="einen Bericht als PDF oder HTML erstellen",
        description="Erstellt einen Bericht als PDF oder HTML; das Format folgt der Dateiendung.",
    )
    build.add_argument(
        "--kind", required=True, help="Art: sozialbericht, handlungskonzept oder kompass"
    )
    build.add_argument("--year", required=True, type=int, help="Berichtsjahr, z. B. 2025")
    build.add_argument("--level", help="Kürzel der Gebietsebene (Standard: je nach Bericht)")
    build.add_argument(
        "--period", help="nur Kompass: Halbjahr, z. B. 2025-H1 (Standard: das ganze Jahr)"
    )
    build.add_argument(
        "--language", default="de", help="Sprache: de, en oder de-ls (Leichte Sprache, Kompass)"
    )
    build.add_argument("--output", required=True, type=Path, help="Zieldatei (.pdf oder .html)")
    build.set_defaults(handler=build_report)


def _format(output: Path) -> str:
    fmt = ENDINGS.get(output.suffix.lower())
    if fmt is None:
        raise CommandFailed(
            f"Die Zieldatei „{output}“ hat keine bekannte Endung. "
            "Geben Sie eine Datei mit der Endung .pdf oder .html an."
        )
    if not output.parent.exists():
        raise CommandFailed(
            f"Den Ordner „{output.parent}“ für die Zieldatei gibt es nicht. "
            "Legen Sie ihn an oder wählen Sie einen anderen Ort."
        )
    return fmt


def _print_progress():
    last = [""]

    def progress(done: int, total: int, step: str) -> None:
        if step != last[0]:
            last[0] = step
            counter = f" ({done}/{total})" if total > 1 else ""
            print(f"{step}{counter}", file=sys.stderr, flush=True)

    return progress


def build_report(args) -> int:
    fmt = _format(args.output)
    setup_django()
    from gemeinsinn.socialreport.services import ReportError, ReportRequest
    from gemeinsinn.socialreport.services import build_report as build

    request = ReportRequest(
        kind=args.kind,
        year=args.year,
        level=args.level,
        period=args.period,
        language=args.language,
    )
    try:
        content = build(request, fmt, _print_progress())
    except ReportError as error:
        raise CommandFailed(str(error)) from error
    write_atomically(args.output, content)
    print(f"{args.output}: {len(content) / 1024:.0f} KB", file=sys.stderr)
    return 0
