"""The report pages: the form starts a build and leads to its page (progress, download,
publish, delete), the rights of planners and others, and the public list of published
reports."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gemeinsinn.accounts import roles
from gemeinsinn.files import write_atomically
from gemeinsinn.socialreport.models import ReportJob
from gemeinsinn.socialreport.services import jobs
from tests.socialreport.webkit import (  # noqa: F401  (fixtures)
    inline_builds_fixture,
    make_user,
    planner_client_fixture,
    planner_fixture,
)

INDEX = "/verwaltung/berichte/"


@pytest.fixture
def fake_build(monkeypatch):
    """The runner's build step; the report kinds have their own tests."""

    def build(request, fmt, progress, apart):
        progress(0, 1, "Kapitel")
        return f"%PDF {request.kind} {request.year} {request.period} {request.language}".encode()

    monkeypatch.setattr(jobs, "build_report", build)


def _finished_job(data_dir, **fields) -> ReportJob:
    job = ReportJob.objects.create(
        **{"kind": "sozialbericht", "year": 2025, "status": ReportJob.DONE} | fields
    )
    content = b"%PDF-1.7 Sozialbericht"
    write_atomically(jobs.file_path(job), content)
    job.file_name = jobs.download_name(job)
    job.size = len(content)
    job.save()
    return job


def test_the_form_starts_a_build_and_the_job_page_offers_the_download(
    planner_client, city_with_statistics, inline_builds, fake_build,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    page = planner_client.get(INDEX)
    assert page.status_code == 200
    assert "Berichte erstellen" in page.content.decode()
    level = city_with_statistics["sozialraum"]
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post(
            INDEX,
            {"kind": "kompass", "year": "2025", "level": level.pk, "period": "H1",
             "language": "de-ls", "fmt": "pdf"},
        )  # fmt: skip
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{INDEX}{job.pk}/"
    assert (job.status, job.period, job.language, job.level) == ("done", "2025-H1", "de-ls", level)
    page = planner_client.get(response["Location"]).content.decode()
    assert "kompass-2025-2025-h1-sozialraum-de-ls.pdf herunterladen" in page
    assert 'aria-live="polite"' in page
    download = planner_client.get(reverse("socialreport:download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF kompass 2025 2025-H1 de-ls"
    listing = planner_client.get(INDEX).content.decode()
    assert "Kompass 2025 – 1. Halbjahr – Sozialräume (de-ls), PDF" in listing
    assert "planerin" in listing


def test_period_is_only_kept_for_the_kompass_and_years_without_data_are_refused(
    planner_client, city_with_statistics, inline_builds, fake_build
):
    response = planner_client.post(
        INDEX,
        {"kind": "sozialbericht", "year": str(timezone.localdate().year + 1), "fmt": "pdf",
         "language": "de"},
    )  # fmt: skip
    assert response.status_code == 400  # not a choice at all
    response = planner_client.post(
        INDEX, {"kind": "sozialbericht", "year": str(timezone.localdate().year), "fmt": "pdf",
                "language": "de-ls"},
    )  # fmt: skip
    assert response.status_code == 400
    text = response.content.decode()
    assert "gibt es noch keine Statistikdaten" in text and "2023, 2024, 2025" in text
    assert "Leichte Sprache gibt es nur für den Kompass" in text
    assert ReportJob.objects.count() == 0
    planner_client.post(
        INDEX, {"kind": "sozialbericht", "year": "2024", "period": "H2", "language": "de",
                "fmt": "html"},
    )  # fmt: skip
    assert ReportJob.objects.get().period == ""


def test_a_running_build_polls_its_status_and_a_second_request_shows_it(
    planner_client, city_with_statistics
):
    data = {"kind": "sozialbericht", "year": "2025", "language": "de", "fmt": "pdf"}
    first = planner_client.post(INDEX, data)  # not run: no on-commit callbacks in the test
    job = ReportJob.objects.get()
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.RUNNING, done=3, total=12, step="Kapitel Armut"
    )
    page = planner_client.get(first["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh" content="3">' in page  # without JavaScript
    assert "Kapitel Armut (3/12)" in page
    fragment = planner_client.get(first["Location"], headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert 'value="3"' in fragment.content.decode()
    second = planner_client.post(INDEX, data, follow=True)
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "wird gerade schon erstellt" in second.content.decode()
    assert ReportJob.objects.count() == 1


def test_a_build_of_a_dead_process_is_shown_as_failed_and_can_be_restarted(
    planner_client, db, inline_builds, fake_build, django_capture_on_commit_callbacks
):
    job = ReportJob.objects.create(
        kind="handlungskonzept", year=2025, status=ReportJob.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=11),
    )  # fmt: skip
    page = planner_client.get(reverse("socialreport:job", args=[job.pk])).content.decode()
    assert "Die Erstellung ist fehlgeschlagen." in page
    assert "Neustart des Servers" in page
    assert "Neu starten" in page and "every 1s" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post(reverse("socialreport:restart", args=[job.pk]))
    new = ReportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("socialreport:job", args=[new.pk])
    assert (new.kind, new.year, new.status) == ("handlungskonzept", 2025, ReportJob.DONE)


def test_a_failure_shows_the_german_message(planner_client, db):
    job = ReportJob.objects.create(
        kind="kompass", year=2025, status=ReportJob.FAILED,
        error="Den Zeitraum „2025-H3“ gibt es nicht.",
    )  # fmt: skip
    page = planner_client.get(reverse("socialreport:job", args=[job.pk])).content.decode()
    assert "Den Zeitraum „2025-H3“ gibt es nicht." in page
    assert 'role="alert"' in page


def test_publish_lists_the_report_on_the_public_page_and_withdraw_removes_it(
    planner_client, planner, client, inline_builds
):
    job = _finished_job(inline_builds)
    public = "/berichte/"
    assert "noch keine Berichte veröffentlicht" in client.get(public).content.decode()
    file_url = reverse("socialreport:published_file", args=[job.pk, job.file_name])
    assert client.get(file_url).status_code == 404  # not published yet
    planner_client.post(reverse("socialreport:publish", args=[job.pk]))
    job.refresh_from_db()
    assert job.published_by == planner and job.published_at is not None

    client.logout()
    listing = client.get(public).content.decode()
    assert "Sozialbericht 2025" in listing and file_url in listing
    assert '<a href="/berichte/" aria-current="page">Berichte</a>' in listing  # navigation
    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 Sozialbericht"
    assert client.get(file_url.replace(".pdf", ".html")).status_code == 404

    planner_client.force_login(planner)
    planner_client.post(reverse("socialreport:withdraw", args=[job.pk]))
    assert client.get(file_url).status_code == 404
    assert "noch keine Berichte veröffentlicht" in client.get(public).content.decode()


def test_an_unfinished_build_cannot_be_published(planner_client, db):
    job = ReportJob.objects.create(kind="kompass", year=2025, status=ReportJob.FAILED)
    page = planner_client.post(reverse("socialreport:publish", args=[job.pk]), follow=True)
    assert "Nur ein fertig erstellter Bericht kann veröffentlicht werden." in page.content.decode()
    job.refresh_from_db()
    assert job.published_at is None


def test_delete_removes_the_build_and_its_file(planner_client, inline_builds):
    job = _finished_job(inline_builds)
    path = jobs.file_path(job)
    response = planner_client.post(reverse("socialreport:delete", args=[job.pk]), follow=True)
    assert "ist gelöscht" in response.content.decode()
    assert not path.exists() and ReportJob.objects.count() == 0


@pytest.mark.parametrize(
    "role, expected",
    [(None, 302), (roles.CITIZEN, 302), (roles.MODERATION, 403), (roles.DEPARTMENT, 403)],
)
def test_only_planners_may_build_and_download(
    client, django_user_model, inline_builds, role, expected
):
    job = _finished_job(inline_builds)
    if role is not None:
        client.force_login(make_user(django_user_model, "jemand", role))
    for url in (
        INDEX,
        reverse("socialreport:job", args=[job.pk]),
        reverse("socialreport:download", args=[job.pk]),
    ):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response["Location"].startswith("/konto/anmelden/")
    for name in ("publish", "delete", "restart"):
        assert client.post(reverse(f"socialreport:{name}", args=[job.pk])).status_code == expected
    assert ReportJob.objects.get().published_at is None


def test_administration_may_build(client, django_user_model, db):
    client.force_login(make_user(django_user_model, "admin", roles.ADMINISTRATION))
    assert client.get(INDEX).status_code == 200


def test_the_staff_home_links_to_the_reports(planner_client):
    assert INDEX in planner_client.get("/verwaltung/").content.decode()
