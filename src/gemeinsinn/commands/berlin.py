"""`gemeinsinn berlin-mss DIR`: load the real Berlin MSS data (boundaries, indicators
2013–2019, the published index settings) into the data directory."""

import sys
from pathlib import Path

from gemeinsinn.commands import setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "berlin-mss",
        help="Das Berliner Monitoring Soziale Stadtentwicklung 2013–2019 laden",
        description="Lädt Gebietsgrenzen (LOR vor 2021), Indexindikatoren und die "
        "Indexeinstellungen des Berliner Monitorings Soziale Stadtentwicklung und berechnet "
        "den Index für jede Ausgabe. Quelle: SenStadt Berlin, Monitoring Soziale "
        "Stadtentwicklung <Jahr>.",
    )
    parser.add_argument(
        "directory", type=Path, help="Ordner berlin-mss mit den Unterordnern geometry, indicators"
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    from gemeinsinn.commands.serve import prepare_database

    prepare_database()
    setup_django()
    from gemeinsinn.formats.problems import InputError
    from gemeinsinn.monitoring import berlin

    try:
        for line in berlin.load(args.directory):
            print(line, flush=True)
    except InputError as error:
        for problem in error.problems:
            print(str(problem), file=sys.stderr)
        return 2
    return 0
