"""Scripted data management: spatial levels, boundary and statistics imports, index runs.
The same services as the staff area; errors are the same German messages (exit status 2)."""

import datetime as dt
import sys
from pathlib import Path

from gemeinsinn.commands import CommandFailed, setup_django


def register(subparsers) -> None:
    level = subparsers.add_parser("level", help="Gebietsebenen anlegen und anzeigen")
    level_commands = level.add_subparsers(dest="level_command", metavar="AKTION", required=True)
    add = level_commands.add_parser("add", help="Gebietsebene anlegen oder ändern")
    add.add_argument("code", help="Kürzel, z. B. sozialraum")
    add.add_argument("name", help="Name, z. B. Sozialraum")
    add.add_argument("--plural", default="", help="Mehrzahl, z. B. Sozialräume")
    add.add_argument("--parent", help="Kürzel der übergeordneten Ebene")
    add.add_argument("--target-area", action="store_true", help="Zielgebiet quer zur Hierarchie")
    add.set_defaults(handler=add_level)
    show = level_commands.add_parser("list", help="Gebietsebenen anzeigen")
    show.set_defaults(handler=list_levels)

    data = subparsers.add_parser("import", help="Gebietsgrenzen oder Statistik importieren")
    kinds = data.add_subparsers(dest="import_kind", metavar="ART", required=True)
    boundaries = kinds.add_parser("boundaries", help="Gebietsgrenzen (GeoJSON)")
    boundaries.add_argument("file", type=Path)
    boundaries.add_argument("--level", required=True, help="Kürzel der Gebietsebene")
    boundaries.add_argument("--valid-from", required=True, help="gültig ab (JJJJ-MM-TT)")
    boundaries.add_argument("--key-property")
    boundaries.add_argument("--name-property")
    boundaries.add_argument("--parent-property")
    boundaries.set_defaults(handler=import_boundaries)
    statistics = kinds.add_parser("statistics", help="Statistiktabelle (CSV oder XLSX)")
    statistics.add_argument("file", type=Path)
    statistics.add_argument("--level", required=True, help="Kürzel der Gebietsebene")
    statistics.add_argument("--year", type=int, help="Jahr bei breiten Tabellen ohne Jahresspalte")
    statistics.add_argument("--source", default="", help="Quelle der Daten")
    statistics.set_defaults(handler=import_statistics)


def _level(code):
    from gemeinsinn.areas.models import SpatialLevel

    level = SpatialLevel.objects.filter(code=code).first()
    if level is None:
        known = ", ".join(SpatialLevel.objects.values_list("code", flat=True)) or "keine"
        raise CommandFailed(
            f"Die Gebietsebene „{code}“ gibt es nicht. Vorhanden: {known}. "
            "Legen Sie sie mit `gemeinsinn level add` an."
        )
    return level


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _report(problems) -> int:
    for problem in problems:
        print(str(problem), file=sys.stderr)
    return 2


def add_level(args) -> int:
    setup_django()
    from gemeinsinn.areas.models import SpatialLevel

    parent = _level(args.parent) if args.parent else None
    order = (parent.order + 1) if parent else 0
    level, created = SpatialLevel.objects.update_or_create(
        code=args.code,
        defaults={
            "name": args.name,
            "name_plural": args.plural,
            "parent": parent,
            "order": order,
            "is_target_area": args.target_area,
        },
    )
    print(f"Gebietsebene „{level.name}“ {'angelegt' if created else 'geändert'}.")
    return 0


def list_levels(args) -> int:
    setup_django()
    from gemeinsinn.areas.models import SpatialLevel

    for level in SpatialLevel.objects.all():
        parent = f" (unter {level.parent.code})" if level.parent else ""
        print(f"{level.code}\t{level.name}\t{level.areas.count()} Gebiete{parent}")
    return 0


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as error:
        print(f"Die Datei {path} kann nicht gelesen werden: {error.strerror}.", file=sys.stderr)
        return None


def import_boundaries(args) -> int:
    setup_django()
    from gemeinsinn.areas import services
    from gemeinsinn.formats.problems import InputError

    try:
        valid_from = dt.date.fromisoformat(args.valid_from)
    except ValueError:
        return _fail(f"„{args.valid_from}“ ist kein Datum. Schreiben Sie es als JJJJ-MM-TT.")
    level = _level(args.level)
    data = _read(args.file)
    if data is None:
        return 2
    try:
        preview = services.import_boundaries(
            data,
            args.file.name,
            level,
            valid_from=valid_from,
            key_property=args.key_property,
            name_property=args.name_property,
            parent_property=args.parent_property,
        )
    except InputError as error:
        return _report(error.problems)
    for problem in preview.problems:
        print(str(problem), file=sys.stderr)
    print(
        f"{len(preview.features)} Gebiete importiert: {len(preview.new_keys)} neu, "
        f"{len(preview.changed_keys)} mit neuer Grenze, {len(preview.unchanged_keys)} unverändert."
    )
    return 0


def import_statistics(args) -> int:
    setup_django()
    from gemeinsinn.formats.problems import InputError
    from gemeinsinn.monitoring import services

    level = _level(args.level)
    services.ensure_default_catalogue()
    data = _read(args.file)
    if data is None:
        return 2
    try:
        dataset = services.import_statistics(
            data, args.file.name, level, year=args.year, source=args.source
        )
    except InputError as error:
        return _report(error.problems)
    for warning in dataset.report.get("warnings", []):
        print(warning, file=sys.stderr)
    print(f"{dataset.report['rows']} Werte importiert.")
    return 0
