"""The distribution of a large pool takes a while: it is computed in a background thread
(like the monitoring's imports) and reports its progress to a small file in the data
directory, which every server process can read. A failure leaves its German message there
until the next start."""

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


def _progress_file(assembly_id: int) -> Path:
    path = Path(settings.DATA_DIR) / "tasks"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"assembly-{assembly_id}.progress"


def _write(assembly_id: int, state: str, message: str) -> None:
    _progress_file(assembly_id).write_text(json.dumps({"state": state, "message": message}))


def progress(assembly: Assembly) -> dict | None:
    """{"state": "running" | "failed", "message": …} or None when nothing runs."""
    try:
        return json.loads(_progress_file(assembly.pk).read_text())
    except (OSError, ValueError):
        return None


def start_distribution(assembly: Assembly, user=None, algorithm: str = "leximin") -> None:
    """Check at once (errors reach the page), then compute in the background."""
    current = progress(assembly)
    if current and current["state"] == "running":
        raise services.AssemblyError(_("Die Verteilung wird schon berechnet."))
    services.check_draw(assembly, algorithm)
    _write(assembly.pk, "running", _("Berechnung beginnt …"))
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    if getattr(settings, "GEMEINSINN_INLINE_TASKS", False):
        run_distribution(assembly.pk, user_id, algorithm)
    else:
        threading.Thread(
            target=_in_thread, args=(assembly.pk, user_id, algorithm), daemon=True
        ).start()


def _in_thread(assembly_id: int, user_id: int | None, algorithm: str) -> None:
    """A thread has its own database connection: open it fresh and close it at the end."""
    close_old_connections()
    try:
        run_distribution(assembly_id, user_id, algorithm)
    finally:
        close_old_connections()


def run_distribution(assembly_id: int, user_id: int | None, algorithm: str) -> None:
    assembly = Assembly.objects.get(pk=assembly_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        services.prepare_draw(
            assembly,
            user,
            algorithm,
            progress=lambda event: _write(assembly_id, "running", str(event)),
        )
    except services.AssemblyError as error:
        _write(assembly_id, "failed", error.message)
    except Exception as error:  # nothing is stored: the draw is written in one transaction
        log.exception("distribution of assembly %s failed", assembly_id)
        _write(assembly_id, "failed", _("Unerwarteter Fehler: %(error)s") % {"error": error})
    else:
        _progress_file(assembly_id).unlink(missing_ok=True)
