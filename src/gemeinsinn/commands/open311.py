"""`gemeinsinn open311`: API keys, categories and indicators of the Mängelmelder.

gemeinsinn open311 create-key "App der Stadtwerke"   # the key is the last line printed
gemeinsinn open311 list-keys
gemeinsinn open311 revoke-key PREFIX
gemeinsinn open311 load-categories                   # the default categories
gemeinsinn open311 indicators 2025                   # statistics → monitoring indicators
"""

from gemeinsinn.commands import CommandFailed


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "open311",
        help="Mängelmelder: API-Schlüssel, Kategorien, Kennzahlen",
        description="Verwaltung des Mängelmelders und seiner Open311-Schnittstelle.",
    )
    commands = parser.add_subparsers(dest="open311_command", metavar="AKTION", required=True)
    create = commands.add_parser(
        "create-key",
        help="API-Schlüssel für ein Programm anlegen; der Schlüssel steht in der letzten Zeile",
    )
    create.add_argument("name", help="wofür der Schlüssel ist, z. B. der Name der App")
    create.add_argument(
        "--rate-limit",
        type=int,
        default=60,
        metavar="ANZAHL",
        help="höchstens so viele Meldungen je Minute (Standard 60; 0 = ohne Grenze)",
    )
    create.set_defaults(handler=create_key)
    listing = commands.add_parser("list-keys", help="API-Schlüssel anzeigen (nur ihr Anfang)")
    listing.set_defaults(handler=list_keys)
    revoke = commands.add_parser("revoke-key", help="API-Schlüssel sperren")
    revoke.add_argument("prefix", help="die ersten Zeichen des Schlüssels (aus list-keys)")
    revoke.set_defaults(handler=revoke_key)
    categories = commands.add_parser(
        "load-categories", help="die Standardkategorien anlegen (vorhandene bleiben unverändert)"
    )
    categories.set_defaults(handler=load_categories)
    indicators = commands.add_parser(
        "indicators", help="Kennzahlen eines Jahres als Indikatoren in das Monitoring schreiben"
    )
    indicators.add_argument("year", type=int, help="Jahr, z. B. 2025")
    indicators.set_defaults(handler=write_indicators)


def _prepare() -> None:
    from gemeinsinn.commands.serve import prepare_database

    prepare_database()


def create_key(args) -> int:
    _prepare()
    from gemeinsinn.servicerequests import services

    if args.rate_limit < 0:
        raise CommandFailed("--rate-limit darf nicht negativ sein.")
    try:
        key, raw = services.create_api_key(args.name, rate_limit=args.rate_limit)
    except services.WorkflowError as error:
        raise CommandFailed(str(error)) from None
    limit = f"{key.rate_limit} Meldungen je Minute" if key.rate_limit else "ohne Grenze"
    print(f"API-Schlüssel „{key.name}“ angelegt ({limit}). Er wird nur jetzt angezeigt:")
    print(raw)
    return 0


def list_keys(args) -> int:
    _prepare()
    from gemeinsinn.servicerequests.models import ApiKey

    for key in ApiKey.objects.all():
        state = "aktiv" if key.is_active else "gesperrt"
        used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "nie benutzt"
        print(f"{key.prefix}…\t{state}\t{used}\t{key.name}")
    return 0


def revoke_key(args) -> int:
    _prepare()
    from gemeinsinn.servicerequests.models import ApiKey

    keys = list(ApiKey.objects.filter(prefix__startswith=args.prefix[:8]))
    if len(args.prefix) < 4 or len(keys) != 1:
        raise CommandFailed(
            f"„{args.prefix}“ bezeichnet nicht genau einen Schlüssel "
            f"({len(keys)} gefunden). Nennen Sie mehr Zeichen aus `gemeinsinn open311 list-keys`."
        )
    keys[0].is_active = False
    keys[0].save(update_fields=["is_active"])
    print(f"API-Schlüssel „{keys[0].name}“ gesperrt.")
    return 0


def load_categories(args) -> int:
    _prepare()
    from gemeinsinn.servicerequests import services

    created = services.ensure_default_categories()
    print(f"{created} Kategorien angelegt.")
    return 0


def write_indicators(args) -> int:
    _prepare()
    from gemeinsinn.formats.problems import InputError
    from gemeinsinn.servicerequests import services

    try:
        written = services.update_indicators(args.year)
    except InputError as error:
        raise CommandFailed("\n".join(str(p) for p in error.problems)) from None
    print(f"{written} Werte des Mängelmelders für {args.year} geschrieben.")
    return 0
