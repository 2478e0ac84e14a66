"""`gemeinsinn serve`: serve the data directory as in production (gunicorn, WhiteNoise)."""

import os

from gemeinsinn.commands import setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="Die Anwendung wie im Betrieb ausliefern (gunicorn)"
    )
    add_server_arguments(parser)
    parser.set_defaults(handler=run)


def add_server_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="Port (Standard: 8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("GEMEINSINN_WORKERS", "2")),
        help="Anzahl der Serverprozesse (Standard: 2)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("GEMEINSINN_THREADS", "4")),
        help="Threads je Serverprozess (Standard: 4)",
    )


def prepare_database() -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def run(args) -> int:
    prepare_database()
    serve(args.host, args.port, args.workers, args.threads)
    return 0


def wsgi_application():
    """Django's WSGI application behind the one-page survey submissions' short path."""
    from gemeinsinn.surveys.fastpath import OnePageSubmissions
    from gemeinsinn.wsgi import application

    return OnePageSubmissions(application)


def serve(host: str, port: int, workers: int, threads: int = 4) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-" if os.environ.get("GEMEINSINN_ACCESS_LOG") else None)
            self.cfg.set("timeout", 120)

        def load(self):
            return wsgi_application()

    print(f"gemeinsinn läuft auf http://{host}:{port}/ (Beenden mit Strg+C)", flush=True)
    Server().run()
