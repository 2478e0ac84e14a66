"""The staff queue: per department, status changes with a public reason to close, internal
notes, merging duplicates, and the reporter told by e-mail."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from gemeinsinn.servicerequests import services
from gemeinsinn.servicerequests.models import DONE, DUPLICATE, IN_PROGRESS, Department
from tests.servicerequests.conftest import INSIDE_HEIDE


def make(code="sonstiges", **changes):
    values = {"service_code": code, **INSIDE_HEIDE, "description": "Problem"}
    values.update(changes)
    return services.submit_request(services.Submission(**values))


@pytest.fixture
def waste_staff(categories, client):
    user = get_user_model().objects.create_user("abfall", password="x" * 12, is_staff=True)
    Department.objects.get(name="Abfallwirtschaft").members.add(user)
    client.force_login(user)
    return user


def test_queue_needs_staff(client, categories):
    response = client.get("/verwaltung/maengelmelder/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_queue_shows_the_departments_open_reports_oldest_first(client, waste_staff):
    first = make("muell", attributes={"art": ["hausmuell"]})
    second = make("muell", attributes={"art": ["hausmuell"]})
    other_department = make("sonstiges")
    done = make("muell", attributes={"art": ["hausmuell"]})
    services.change_status(done, DONE, public_note="Abgeholt.")
    page = client.get("/verwaltung/maengelmelder/").content.decode()
    shown = [r.pk for r in (first, second, other_department, done) if f'/{r.pk}/"' in page]
    assert shown == [first.pk, second.pk]
    assert page.index(f'/{first.pk}/"') < page.index(f'/{second.pk}/"')
    assert client.get(f"/verwaltung/maengelmelder/{other_department.pk}/").status_code == 404
    page = client.get("/verwaltung/maengelmelder/?status=all").content.decode()
    assert f'/{done.pk}/"' in page


def test_status_change_with_answer_mails_the_reporter(
    client, waste_staff, django_capture_on_commit_callbacks
):
    report = make("muell", attributes={"art": ["hausmuell"]}, email="b@example.org")
    url = f"/verwaltung/maengelmelder/{report.pk}/"
    page = client.get(url).content.decode()
    assert "b@example.org" in page  # staff see the reporter
    response = client.post(url, {"status": DONE, "public_note": "", "internal_note": ""})
    assert response.status_code == 400
    assert "öffentliche Begründung" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"status": IN_PROGRESS, "public_note": "Wir kommen morgen.", "internal_note": "Tour 4"},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == IN_PROGRESS and report.first_answer_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["b@example.org"]
    assert "Wir kommen morgen." in mail.outbox[0].body
    assert f"http://testserver/maengelmelder/{report.pk}/" in mail.outbox[0].body
    assert "Tour 4" not in mail.outbox[0].body
    page = client.get(url).content.decode()
    assert "Die meldende Person erhält eine E-Mail zum neuen Stand." in page
    assert "Tour 4" in page  # the internal note, for staff only
    assert "Tour 4" not in client.get(f"/maengelmelder/{report.pk}/").content.decode()


def test_merge_duplicates_in_the_queue(client, waste_staff, django_capture_on_commit_callbacks):
    original = make("muell", attributes={"art": ["hausmuell"]})
    duplicate = make("muell", attributes={"art": ["hausmuell"]}, email="c@example.org")
    page = client.get(f"/verwaltung/maengelmelder/{duplicate.pk}/").content.decode()
    assert f"/verwaltung/maengelmelder/{original.pk}/" in page  # suggested: open and nearby
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/verwaltung/maengelmelder/{duplicate.pk}/",
            {"merge": "1", "merge-original": original.pk, "merge-public_note": ""},
        )
    assert response["Location"] == f"/verwaltung/maengelmelder/{original.pk}/"
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == DUPLICATE and duplicate.duplicate_of == original
    assert original.support_count == 1
    assert "Duplikat" in mail.outbox[0].subject
    response = client.post(
        f"/verwaltung/maengelmelder/{original.pk}/",
        {"merge": "1", "merge-original": original.pk},
    )
    assert "eigenes Duplikat" in response.content.decode()


def test_staff_without_department_see_everything(client, categories):
    user = get_user_model().objects.create_user("leitung", password="x" * 12, is_staff=True)
    client.force_login(user)
    report = make()
    assert f'/{report.pk}/"' in client.get("/verwaltung/maengelmelder/").content.decode()


def test_api_key_made_in_the_admin_is_shown_once_and_works(admin_client, categories, client):
    from gemeinsinn.servicerequests.models import ApiKey

    response = admin_client.post(
        "/admin/servicerequests/apikey/add/",
        {"name": "Stadtwerke-App", "rate_limit": "30", "is_active": "on"},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    raw = shown[0].split("lautet ")[1].split(" ")[0]
    key = ApiKey.objects.get()
    assert key.name == "Stadtwerke-App" and key.rate_limit == 30 and raw.startswith(key.prefix)
    assert raw not in key.key_hash
    assert services.authenticate_key(raw) == key
    for page in ("category", "attribute", "department", "servicerequest"):
        assert admin_client.get(f"/admin/servicerequests/{page}/").status_code == 200
