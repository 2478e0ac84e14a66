"""Report builds requested in the web interface, run in a background thread.

A build is a :class:`ReportJob` row: the request, its status and progress. The thread writes
its progress to the row at every step (so any server process can show it) and keeps the
finished file under ``DATA_DIR/reports/<job id>.<ext>``. A build whose process died (a server
restart) stays "running" in the database; it is shown as failed once it has been silent for
:data:`STALE_AFTER`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gemeinsinn.files import write_atomically
from gemeinsinn.socialreport.models import ReportJob
from gemeinsinn.socialreport.services import ReportError, ReportRequest, build_report

log = logging.getLogger(__name__)

ACTIVE = (ReportJob.WAITING, ReportJob.RUNNING)
# longer than the slowest single step (setting the PDF of a large city), see bench/README.md
STALE_AFTER = dt.timedelta(minutes=10)
PROGRESS_INTERVAL = 0.5  # seconds between two writes of the same step
HALF_YEARS = {"H1": _lazy("1. Halbjahr"), "H2": _lazy("2. Halbjahr")}


class JobError(Exception):
    """An action on a build that is not possible now; the German message says why."""


# --- files ------------------------------------------------------------------------------------


def report_dir() -> Path:
    path = Path(settings.DATA_DIR) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(job: ReportJob) -> Path:
    return report_dir() / f"{job.pk}.{job.fmt}"


def title(job: ReportJob) -> str:
    """Plain title of a build for lists, e.g. "Kompass 2025 – 1. Halbjahr – Sozialräume"."""
    parts = [f"{job.get_kind_display()} {job.year}"]
    if job.period:
        parts.append(str(HALF_YEARS.get(job.period.rpartition("-")[2], job.period)))
    if job.level_id:
        parts.append(job.level.plural)
    return " – ".join(parts)


def download_name(job: ReportJob) -> str:
    """File name offered to the browser, e.g. "sozialbericht-2025-sozialraum.pdf"."""
    parts = [job.kind, str(job.year)]
    if job.period:
        parts.append(job.period)
    if job.level_id:
        parts.append(job.level.code)
    if job.language != "de":
        parts.append(job.language)
    return slugify("-".join(parts)) + f".{job.fmt}"


# --- requesting and running --------------------------------------------------------------------


def _lock_requests() -> None:
    """Serialise the check for a running build and the insert of a new one. SQLite does so
    already (transactions begin IMMEDIATE); PostgreSQL takes a lock for this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('socialreport.request_build'))")


def request_build(
    *,
    kind: str,
    year: int,
    level=None,
    period: str = "",
    language: str = "de",
    fmt: str = "pdf",
    user=None,
) -> tuple[ReportJob, bool]:
    """Start a build in the background; or, while one for the same kind, year and level runs,
    that one (created False)."""
    expire_stale()
    with transaction.atomic():
        _lock_requests()
        running = (
            ReportJob.objects.filter(status__in=ACTIVE, kind=kind, year=year, level=level)
            .order_by("created_at")
            .first()
        )
        if running is not None:
            return running, False
        job = ReportJob.objects.create(
            kind=kind,
            year=year,
            level=level,
            period=period or "",
            language=language,
            fmt=fmt,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            heartbeat_at=timezone.now(),
            step=_("wartet auf den Start"),
        )
    transaction.on_commit(lambda: _start(job.pk))
    return job, True


def restart(job: ReportJob, user=None) -> tuple[ReportJob, bool]:
    """The same request again, as a new build (the failed one stays in the list)."""
    return request_build(
        kind=job.kind,
        year=job.year,
        level=job.level,
        period=job.period,
        language=job.language,
        fmt=job.fmt,
        user=user,
    )


def _start(job_id: int) -> None:
    if getattr(settings, "GEMEINSINN_INLINE_TASKS", False):
        run_job(job_id)
    else:
        threading.Thread(target=_in_thread, args=(job_id,), daemon=True).start()


def _in_thread(job_id: int) -> None:
    """A thread has its own database connection: it is opened on first use and closed here."""
    try:
        run_job(job_id)
    finally:
        connections.close_all()


def _progress_writer(job_id: int):
    last = {"step": None, "at": 0.0}

    def progress(done: int, total: int, step: str) -> None:
        now = time.monotonic()
        if step == last["step"] and done < total and now - last["at"] < PROGRESS_INTERVAL:
            return
        last.update(step=step, at=now)
        ReportJob.objects.filter(pk=job_id).update(
            done=done, total=total, step=step[:200], heartbeat_at=timezone.now()
        )

    return progress


def run_job(job_id: int) -> None:
    """Build the requested report, keep the file and record the outcome in the job row."""
    job = ReportJob.objects.select_related("level").get(pk=job_id)
    now = timezone.now()
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJob.RUNNING, started_at=now, heartbeat_at=now, step=_("wird gestartet")
    )
    request = ReportRequest(
        kind=job.kind,
        year=job.year,
        level=job.level.code if job.level_id else None,
        period=job.period or None,
        language=job.language,
    )
    try:
        content = build_report(request, job.fmt, _progress_writer(job_id), apart=True)
        write_atomically(file_path(job), content)
    except ReportError as error:
        _fail(job_id, str(error))
        return
    except Exception:
        log.exception("report job %s failed", job_id)
        _fail(
            job_id,
            _(
                "Beim Erstellen des Berichts ist ein unerwarteter Fehler aufgetreten "
                "(Auftrag Nr. %(job)s). Starten Sie die Erstellung neu; tritt der Fehler "
                "wieder auf, melden Sie ihn mit dieser Nummer der Administration."
            )
            % {"job": job_id},
        )
        return
    now = timezone.now()
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJob.DONE,
        file_name=download_name(job),
        size=len(content),
        step=_("fertig"),
        error="",
        finished_at=now,
        heartbeat_at=now,
    )


def _fail(job_id: int, message: str) -> None:
    now = timezone.now()
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJob.FAILED, error=message, finished_at=now, heartbeat_at=now
    )


def expire_stale(now: dt.datetime | None = None) -> int:
    """Mark builds that have been silent for longer than STALE_AFTER as failed; returns how
    many. Their process died (e.g. the server was restarted) and will not finish them."""
    limit = (now or timezone.now()) - STALE_AFTER
    return ReportJob.objects.filter(status__in=ACTIVE, heartbeat_at__lt=limit).update(
        status=ReportJob.FAILED,
        finished_at=now or timezone.now(),
        error=_(
            "Die Erstellung wurde unterbrochen, wahrscheinlich durch einen Neustart des "
            "Servers: seit %(minutes)s Minuten kam kein Fortschritt mehr. Starten Sie sie neu."
        )
        % {"minutes": int(STALE_AFTER.total_seconds() // 60)},
    )


# --- publishing and deleting -----------------------------------------------------------------


def publish(job: ReportJob, user) -> None:
    if job.status != ReportJob.DONE or not file_path(job).exists():
        raise JobError(_("Nur ein fertig erstellter Bericht kann veröffentlicht werden."))
    job.published_at = timezone.now()
    job.published_by = user
    job.save(update_fields=["published_at", "published_by"])


def withdraw(job: ReportJob) -> None:
    job.published_at = None
    job.published_by = None
    job.save(update_fields=["published_at", "published_by"])


def delete(job: ReportJob) -> None:
    if job.status in ACTIVE:
        raise JobError(
            _(
                "Der Bericht wird gerade erstellt und kann erst danach gelöscht werden. "
                "Warten Sie, bis er fertig oder abgebrochen ist."
            )
        )
    path = file_path(job)
    job.delete()
    path.unlink(missing_ok=True)


def published():
    """The published builds for the public page, newest first."""
    return ReportJob.objects.filter(
        status=ReportJob.DONE, published_at__isnull=False
    ).select_related("level")
