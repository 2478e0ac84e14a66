"""Sub-commands of the `gemeinsinn` command line tool, one module each."""

import os


def setup_django() -> None:
    """Configure Django for commands that use the database (stateless ones never call this)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gemeinsinn.settings")
    import django

    django.setup()


class CommandFailed(Exception):
    """A user error in a command: the German message goes to stderr, the exit status is 2."""
