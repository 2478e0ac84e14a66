"""`gemeinsinn demo`: prepare the data directory with the demo city Musterstadt and serve it."""

from gemeinsinn.commands import serve as serve_command


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="Demostadt Musterstadt anlegen, alles berechnen und ausliefern"
    )
    parser.add_argument("--no-serve", action="store_true", help="nur vorbereiten, nicht ausliefern")
    parser.add_argument(
        "--reset", action="store_true", help="vorhandene Demodaten verwerfen und neu anlegen"
    )
    serve_command.add_server_arguments(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    serve_command.prepare_database()
    from gemeinsinn.core.demo import load_demo

    for line in load_demo(reset=args.reset):
        print(line, flush=True)
    if not args.no_serve:
        serve_command.serve(args.host, args.port, args.workers)
    return 0
