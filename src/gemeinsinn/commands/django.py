"""Pass-through to Django's management commands: `gemeinsinn manage migrate`, and
`gemeinsinn compilemessages` used by the installer."""

from gemeinsinn.commands import setup_django


def register(subparsers) -> None:
    manage = subparsers.add_parser(
        "manage", help="Django-Verwaltungsbefehl ausführen (z. B. migrate, createsuperuser)"
    )
    manage.set_defaults(handler=run_manage, accepts_extra=True)
    messages = subparsers.add_parser("compilemessages", help="Übersetzungen kompilieren")
    messages.set_defaults(handler=run_compilemessages)


def run_manage(args) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gemeinsinn manage", *args.extra])
    return 0


def run_compilemessages(args) -> int:
    """Compile the shipped .po files with Python alone (no gettext system package needed)."""
    from gemeinsinn.core.i18n import compile_catalogues

    for path in compile_catalogues():
        print(f"kompiliert: {path}")
    return 0
