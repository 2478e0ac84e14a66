"""The background runner of report builds: progress in the job row at every step, the file
kept atomically, German failure messages, builds left behind by a dead process, one build per
kind, year and level at a time."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gemeinsinn.files import write_atomically
from gemeinsinn.socialreport.models import ReportJob
from gemeinsinn.socialreport.services import ReportError, jobs
from tests.socialreport.webkit import inline_builds_fixture, planner_fixture  # noqa: F401


def _request(user=None, **overrides):
    kwargs = {"kind": "handlungskonzept", "year": 2025, "fmt": "pdf", "user": user} | overrides
    return jobs.request_build(**kwargs)


def test_progress_is_written_to_the_row_at_every_step_and_the_file_is_kept(
    planner, inline_builds, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []

    def build(request, fmt, progress, apart):
        assert apart  # the PDF is set in a process of its own, not in the web server's
        for done, step in enumerate(["Maßnahmen", "Finanzierung", "Karten"]):
            progress(done, 3, step)
            row = ReportJob.objects.get()
            seen.append((row.status, row.done, row.total, row.step))
        return b"%PDF-1.7 Handlungskonzept 2025"

    monkeypatch.setattr(jobs, "build_report", build)
    with django_capture_on_commit_callbacks(execute=True):
        job, created = _request(planner)
    assert created
    assert seen == [
        ("running", 0, 3, "Maßnahmen"),
        ("running", 1, 3, "Finanzierung"),
        ("running", 2, 3, "Karten"),
    ]
    job.refresh_from_db()
    assert job.status == ReportJob.DONE
    assert job.requested_by == planner
    assert job.file_name == "handlungskonzept-2025.pdf"
    assert job.size == len(b"%PDF-1.7 Handlungskonzept 2025")
    assert (inline_builds / "reports" / f"{job.pk}.pdf").read_bytes().startswith(b"%PDF-1.7")
    assert job.started_at <= job.finished_at
    # no temporary file is left beside it
    assert [p.name for p in (inline_builds / "reports").iterdir()] == [f"{job.pk}.pdf"]


def test_the_same_step_is_written_at_most_twice_a_second(
    db, inline_builds, monkeypatch, django_capture_on_commit_callbacks
):
    updates = []

    def build(request, fmt, progress, apart):
        with CaptureQueriesContext(connection) as queries:
            for done in range(500):  # 500 district profiles in well under 0.5 s
                progress(done, 500, "Gebietsprofile")
            progress(500, 500, "Gebietsprofile")
        updates.extend(q["sql"] for q in queries if q["sql"].startswith("UPDATE"))
        return b"x"

    monkeypatch.setattr(jobs, "build_report", build)
    with django_capture_on_commit_callbacks(execute=True):
        _request()
    # the first call of the step and the last (done == total), not 501 writes
    assert 2 <= len(updates) <= 3


def test_a_report_error_is_stored_with_its_german_message(
    planner, inline_builds, monkeypatch, django_capture_on_commit_callbacks
):
    message = "Für 2031 gibt es keine Maßnahmen. Legen Sie zuerst Maßnahmen an."

    def build(request, fmt, progress, apart):
        progress(0, 2, "Maßnahmen")
        raise ReportError(message)

    monkeypatch.setattr(jobs, "build_report", build)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = _request(planner, year=2031)
    job.refresh_from_db()
    assert (job.status, job.error) == (ReportJob.FAILED, message)
    assert job.finished_at is not None
    assert not (inline_builds / "reports" / f"{job.pk}.pdf").exists()


def test_an_unexpected_error_is_logged_and_a_generic_german_message_stored(
    db, inline_builds, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def build(request, fmt, progress, apart):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(jobs, "build_report", build)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = _request()
    job.refresh_from_db()
    assert job.status == ReportJob.FAILED
    assert f"unerwarteter Fehler aufgetreten (Auftrag Nr. {job.pk})" in job.error
    assert "division" not in job.error  # no technical detail for the planner …
    assert "ZeroDivisionError" in caplog.text  # … but in the log


def test_a_silent_running_job_is_marked_failed_after_the_timeout(db):
    now = timezone.now()
    alive = ReportJob.objects.create(
        kind="kompass", year=2025, status=ReportJob.RUNNING, heartbeat_at=now
    )
    dead = ReportJob.objects.create(
        kind="sozialbericht",
        year=2025,
        status=ReportJob.RUNNING,
        heartbeat_at=now - jobs.STALE_AFTER - dt.timedelta(seconds=1),
    )
    assert jobs.expire_stale(now) == 1
    alive.refresh_from_db()
    dead.refresh_from_db()
    assert alive.status == ReportJob.RUNNING
    assert dead.status == ReportJob.FAILED
    assert "unterbrochen" in dead.error and "Starten Sie sie neu" in dead.error


def test_a_second_request_gets_the_running_build_of_the_same_kind_year_and_level(db):
    first, created = _request()  # no on-commit callbacks run: it stays "waiting"
    assert created
    again, created = _request(fmt="html")
    assert (again.pk, created) == (first.pk, False)
    other_year, created = _request(year=2024)
    assert created and other_year.pk != first.pk
    assert ReportJob.objects.count() == 2


def test_a_stale_build_does_not_block_a_new_request(db):
    old, _ = _request()
    ReportJob.objects.filter(pk=old.pk).update(
        status=ReportJob.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    new, created = _request()
    assert created and new.pk != old.pk
    old.refresh_from_db()
    assert old.status == ReportJob.FAILED


def test_restart_repeats_the_request(planner, db):
    failed = ReportJob.objects.create(
        kind="kompass", year=2025, period="2025-H1", language="de-ls", fmt="html",
        status=ReportJob.FAILED,
    )  # fmt: skip
    job, created = jobs.restart(failed, planner)
    assert created
    assert (job.kind, job.year, job.period, job.language, job.fmt, job.requested_by) == (
        "kompass", 2025, "2025-H1", "de-ls", "html", planner,
    )  # fmt: skip


def test_publish_needs_a_finished_file_and_delete_removes_it(planner, inline_builds):
    running = ReportJob.objects.create(kind="kompass", year=2025, status=ReportJob.RUNNING)
    with pytest.raises(jobs.JobError, match="fertig erstellter"):
        jobs.publish(running, planner)
    with pytest.raises(jobs.JobError, match="gerade erstellt"):
        jobs.delete(running)
    done = ReportJob.objects.create(kind="kompass", year=2025, status=ReportJob.DONE, size=3)
    write_atomically(jobs.file_path(done), b"pdf")
    jobs.publish(done, planner)
    assert list(jobs.published()) == [done]
    jobs.withdraw(done)
    assert list(jobs.published()) == []
    path = jobs.file_path(done)
    jobs.delete(done)
    assert not path.exists() and not ReportJob.objects.filter(pk=done.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_build_runs_in_a_thread_with_its_own_connection(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    settings.GEMEINSINN_INLINE_TASKS = False
    finished = threading.Event()
    threads = []

    def build(request, fmt, progress, apart):
        threads.append(threading.current_thread())
        progress(1, 2, "Karten")
        return b"<html>Kompass</html>"

    real_run = jobs.run_job

    def run_and_signal(job_id):
        try:
            real_run(job_id)
        finally:
            finished.set()

    monkeypatch.setattr(jobs, "build_report", build)
    monkeypatch.setattr(jobs, "run_job", run_and_signal)
    job, _ = _request(kind="kompass", fmt="html")
    assert finished.wait(30)
    assert threads and threads[0] is not threading.current_thread()
    job.refresh_from_db()
    assert job.status == ReportJob.DONE, job.error
    assert (tmp_path / "reports" / f"{job.pk}.html").read_bytes() == b"<html>Kompass</html>"
