"""The project's settings with persistent database connections also for SQLite, to show
what they are worth for the Open311 POST benchmark (`--persistent`). The project keeps
CONN_MAX_AGE = 0 for SQLite; reconnecting costs about 5 ms of CPU per request."""

from gemeinsinn.settings import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
