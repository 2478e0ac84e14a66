"""The `gemeinsinn` command. Thin: each sub-command lives in gemeinsinn.commands.<name>
and exposes `register(subparsers)`; the handler it sets returns the exit status."""

import argparse
import importlib
import sys

from gemeinsinn.commands import CommandFailed

COMMAND_MODULES = [
    "demo",
    "serve",
    "data",
    "index",
    "berlin",
    "assembly",
    "survey",
    "open311",
    "report",
    "django",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gemeinsinn",
        description="gemeinsinn – Sozialplanung und Bürgerbeteiligung nach Sozialräumen",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="BEFEHL")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"gemeinsinn.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    if extra and not getattr(args, "accepts_extra", False):
        parser.error("unbekannte Argumente: " + " ".join(extra))
    if getattr(args, "accepts_extra", False):
        args.extra = extra
    try:
        return args.handler(args) or 0
    except CommandFailed as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
