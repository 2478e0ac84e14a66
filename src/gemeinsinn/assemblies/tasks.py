"""Long work runs in a background thread (like the monitoring's imports): the distribution
of a large pool and the letters of a large sample. Each job reports its progress to a small
file in the data directory, which every server process can read; a failure leaves its
German message there until the next start."""

import json
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import close_old_connections
from django.utils.translation import gettext as _

from gemeinsinn.assemblies import services
from gemeinsinn.assemblies.models import Assembly

log = logging.getLogger(__name__)


DISTRIBUTION, LETTERS = "distribution", "letters"


def _progress_file(assembly_id: int, job: str = DISTRIBUTION) -> Path:
    path = Path(settings.DATA_DIR) / "tasks"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"assembly-{assembly_id}-{job}.progress"


def _write(assembly_id: int, state: str, message: str, job: str = DISTRIBUTION) -> None:
    _progress_file(assembly_id, job).write_text(json.dumps({"state": state, "message": message}))


def progress(assembly: Assembly, job: str = DISTRIBUTION) -> dict | None:
    """{"state": "running" | "failed", "message": …} or None when nothing runs."""
    try:
        return json.loads(_progress_file(assembly.pk, job).read_text())
    except (OSError, ValueError):
        return None


def _start(assembly: Assembly, job: str, check, target, *args) -> None:
    """Refuse a second run, `check` what can fail at once, then run `target` in a thread."""
    current = progress(assembly, job)
    if current and current["state"] == "running":
        raise services.AssemblyError(
            _("Die Verteilung wird schon berechnet.")
            if job == DISTRIBUTION
            else _("Die Briefe werden schon erzeugt.")
        )
    check()
    _write(assembly.pk, "running", _("Beginnt …"), job)
    if getattr(settings, "GEMEINSINN_INLINE_TASKS", False):
        target(assembly.pk, *args)
    else:
        threading.Thread(target=_in_thread, args=(target, assembly.pk, *args), daemon=True).start()


def _in_thread(target, *args) -> None:
    """A thread has its own database connection: open it fresh and close it at the end."""
    close_old_connections()
    try:
        target(*args)
    finally:
        close_old_connections()


def _run(assembly_id: int, job: str, work) -> None:
    try:
        work()
    except services.AssemblyError as error:
        _write(assembly_id, "failed", error.message, job)
    except Exception as error:  # nothing half-written: draws in one transaction, files renamed
        log.exception("%s of assembly %s failed", job, assembly_id)
        _write(assembly_id, "failed", _("Unerwarteter Fehler: %(error)s") % {"error": error}, job)
    else:
        _progress_file(assembly_id, job).unlink(missing_ok=True)


def start_distribution(assembly: Assembly, user=None, algorithm: str = "leximin") -> None:
    """Check at once (errors reach the page), then compute in the background."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None

    def check() -> None:
        services.check_draw(assembly, algorithm)

    _start(assembly, DISTRIBUTION, check, run_distribution, user_id, algorithm)


def run_distribution(assembly_id: int, user_id: int | None, algorithm: str) -> None:
    assembly = Assembly.objects.get(pk=assembly_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def report(event) -> None:
        _write(assembly_id, "running", str(event))

    _run(
        assembly_id, DISTRIBUTION, lambda: services.prepare_draw(assembly, user, algorithm, report)
    )


def start_letters(assembly: Assembly, url: str) -> None:
    """Write the letters PDF in the background (minutes for thousands of letters)."""

    def check() -> None:
        if not assembly.invitations.exists():
            raise services.AssemblyError(_("Es gibt noch keine Einladungen."))

    _start(assembly, LETTERS, check, run_letters, url)


def run_letters(assembly_id: int, url: str) -> None:
    assembly = Assembly.objects.get(pk=assembly_id)
    _run(assembly_id, LETTERS, lambda: services.write_letters(assembly, url))
