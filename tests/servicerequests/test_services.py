"""The use cases of the Mängelmelder, called directly: every bad input gives a German
message and stores nothing; the staff workflow keeps a public history."""

import datetime as dt
import io
import smtplib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gemeinsinn.core import mail as core_mail
from gemeinsinn.core.models import RateHit
from gemeinsinn.servicerequests import services
from gemeinsinn.servicerequests.models import (
    DONE,
    DUPLICATE,
    IN_PROGRESS,
    RECEIVED,
    REVIEWING,
    Photo,
    ServiceRequest,
    StatusChange,
)
from gemeinsinn.servicerequests.services import Submission, SubmissionError, WorkflowError
from tests.servicerequests.conftest import INSIDE, OUTSIDE, jpeg_bytes


def valid(**changes) -> Submission:
    values = {
        "service_code": "007",
        **INSIDE,
        "attributes": {"farbe": ["r"]},
        "description": "Ein Problem am Markt.",
    }
    values.update(changes)
    return Submission(**values)


def problems_of(submission, **kwargs):
    with pytest.raises(SubmissionError) as caught:
        services.submit_request(submission, **kwargs)
    assert ServiceRequest.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert Photo.objects.count() == 0
    return caught.value


def test_valid_submission_is_stored_with_its_area_and_answers(categories):
    report = services.submit_request(
        valid(
            attributes={
                "farbe": ["g"],
                "teile": ["a", "c"],
                "anzahl": ["3,5"],
                "seit": ["2026-01-02"],
            },
            email="buerger@example.org",
            first_name="Erika",
        )
    )
    assert report.area.key == "0101"
    assert report.status == RECEIVED and report.open311_status == "open"
    assert report.attributes["farbe"] == "g"
    assert report.attributes["teile"] == ["a", "c"]
    assert report.attributes["anzahl"] == 3.5
    assert report.attributes["seit"].startswith("2026-01-02T00:00:00")
    assert report.expected_at - report.requested_at == dt.timedelta(days=3)
    assert len(report.token) == 32 and report.secret
    assert report.history.get().new_status == RECEIVED


@pytest.mark.parametrize(
    ("changes", "field", "status", "text"),
    [
        ({"service_code": ""}, "service_code", 400, "Kategorie fehlt"),
        ({"service_code": "gibtsnicht"}, "service_code", 404, "„gibtsnicht“ gibt es nicht"),
        ({"lat": "", "long": ""}, "location", 400, "Der Ort fehlt"),
        ({"lat": "51.21", "long": ""}, "long", 400, "Breiten- und Längengrad"),
        ({"lat": "nord", "long": "7.9"}, "lat", 400, "keine Zahl"),
        ({"lat": "91", "long": "7.9"}, "lat", 400, "nicht zwischen"),
        (OUTSIDE, "lat", 400, "nicht im Stadtgebiet"),
        ({"attributes": {}}, "attribute[farbe]", 400, "„Welche Farbe?“ fehlt"),
        ({"attributes": {"farbe": ["lila"]}}, "attribute[farbe]", 400, "keine Auswahl"),
        ({"attributes": {"farbe": ["r", "g"]}}, "attribute[farbe]", 400, "nur eine Auswahl"),
        (
            {"attributes": {"farbe": ["r"], "teile": ["a", "x"]}},
            "attribute[teile]",
            400,
            "„x“ ist keine Auswahl",
        ),
        ({"attributes": {"farbe": ["r"], "anzahl": ["viele"]}}, "attribute[anzahl]", 400, "Zahl"),
        ({"attributes": {"farbe": ["r"], "seit": ["gestern"]}}, "attribute[seit]", 400, "Datum"),
        ({"description": "x" * 4001}, "description", 400, "4001 Zeichen"),
        ({"description": "Schlimm <b>sehr</b>"}, "description", 400, "HTML"),
        ({"email": "keine-adresse"}, "email", 400, "E-Mail"),
        ({"media_url": "javascript:alert(1)"}, "media_url", 400, "http"),
    ],
)
def test_each_bad_input_has_a_german_message_and_stores_nothing(
    categories, changes, field, status, text
):
    error = problems_of(valid(**changes))
    assert error.status == status
    assert any(p.field == field and text in p.message for p in error.problems), error.problems


def test_several_problems_are_reported_at_once(categories):
    error = problems_of(valid(lat="", long="", attributes={}, description="<p>x</p>"))
    fields = {p.field for p in error.problems}
    assert {"location", "attribute[farbe]", "description"} <= fields


def test_address_alone_is_a_location_without_area(categories):
    report = services.submit_request(valid(lat="", long="", address_string="Marktplatz 1"))
    assert report.area is None and report.address == "Marktplatz 1"


def test_a_description_of_exactly_4000_characters_and_comparisons_are_fine(categories):
    report = services.submit_request(valid(description="a < b und c > d " + "x" * 3984))
    assert len(report.description) == 4000


def test_photo_is_reencoded_without_exif_and_location(categories):
    upload = SimpleUploadedFile("bild.jpg", jpeg_bytes(), content_type="image/jpeg")
    report = services.submit_request(valid(photos=[upload]))
    photo = report.photos.get()
    assert report.photo_id == photo.pk
    from PIL import Image

    with photo.image.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    photo.image.delete(save=False)


def test_a_non_image_and_too_many_photos_are_refused(categories):
    text = SimpleUploadedFile("bild.jpg", b"Das ist kein Bild", content_type="image/jpeg")
    error = problems_of(valid(photos=[text]))
    assert error.problems[0].field == "media" and "kein Foto" in error.problems[0].message
    photos = [SimpleUploadedFile(f"b{i}.jpg", jpeg_bytes()) for i in range(4)]
    error = problems_of(valid(photos=photos))
    assert "Höchstens 3 Fotos" in error.problems[0].message


def test_flood_from_one_client_is_refused_after_the_limit(categories):
    rate = services.RateLimit("web:test", limit=2, window=3600)
    services.submit_request(valid(), rate=rate)
    services.submit_request(valid(), rate=rate)
    with pytest.raises(SubmissionError) as caught:
        services.submit_request(valid(), rate=rate)
    assert caught.value.status == 429
    assert "zu viele Meldungen" in caught.value.problems[0].message
    assert caught.value.retry_after > 0
    assert ServiceRequest.objects.count() == 2
    other = services.RateLimit("web:other", limit=2, window=3600)
    services.submit_request(valid(), rate=other)
    later = timezone.now() + dt.timedelta(hours=2)
    services.submit_request(valid(), rate=rate, now=later)
    assert ServiceRequest.objects.count() == 4
    services.submit_request(valid(), rate=rate, now=later + dt.timedelta(days=2))
    assert RateHit.objects.count() == 1  # hits older than a day are removed


def test_status_changes_need_a_public_reason_to_close_and_mail_the_reporter(
    categories, django_capture_on_commit_callbacks
):
    report = services.submit_request(valid(email="buerger@example.org"))
    with pytest.raises(WorkflowError, match="öffentliche Begründung"):
        services.change_status(report, DONE)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(report, IN_PROGRESS, internal_note="Bauhof informiert")
    assert len(mail.outbox) == 1
    assert "in Bearbeitung" in mail.outbox[0].subject
    assert "Bauhof" not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(report, DONE, public_note="Der Müll ist abgeholt.")
    report.refresh_from_db()
    assert report.status == DONE and report.closed_at and report.first_answer_at
    assert report.status_notes == "Der Müll ist abgeholt."
    assert "Der Müll ist abgeholt." in mail.outbox[1].body
    assert f"/rueckmeldung/{report.secret}/" in mail.outbox[1].body
    public = services.public_history(report)
    assert [s.new_status for s in public] == [RECEIVED, IN_PROGRESS, DONE]
    assert all(not s.public_note or "Bauhof" not in s.public_note for s in public)


def test_a_failing_mail_server_does_not_undo_the_status_change(
    categories, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    class Broken:
        def send_messages(self, messages):
            raise smtplib.SMTPServerDisconnected("mail server gone")

    monkeypatch.setattr(core_mail, "get_connection", lambda backend=None: Broken())
    report = services.submit_request(valid(email="buerger@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(report, IN_PROGRESS, public_note="Wir kümmern uns.")
    report.refresh_from_db()
    assert report.status == IN_PROGRESS
    assert "could not be sent" in caplog.text


def test_a_note_without_change_is_refused_and_an_answer_alone_sends_no_mail(
    categories, django_capture_on_commit_callbacks
):
    report = services.submit_request(valid(email="buerger@example.org"))
    with pytest.raises(WorkflowError, match="Nichts zu speichern"):
        services.change_status(report, RECEIVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(report, RECEIVED, public_note="Danke, wir schauen es uns an.")
    assert mail.outbox == []
    report.refresh_from_db()
    assert report.first_answer_at is not None and report.status == RECEIVED


def test_merging_duplicates_moves_support_and_closes_the_duplicate(categories):
    first = services.submit_request(valid())
    second = services.submit_request(valid())
    third = services.submit_request(valid())
    services.support_request(second, "1.2.3.4")
    services.merge_duplicates(third, second)
    original = services.merge_duplicates(second, first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert original.pk == first.pk
    assert second.status == DUPLICATE and second.duplicate_of_id == first.pk
    assert third.duplicate_of_id == first.pk
    assert original.support_count == 3  # second with its own supporter and third
    assert f"Nr. {first.pk}" in second.status_notes
    with pytest.raises(WorkflowError):
        services.merge_duplicates(first, first)
    with pytest.raises(WorkflowError):
        services.change_status(first, DUPLICATE)


def test_support_counts_once_per_client(categories):
    report = services.submit_request(valid())
    assert services.support_request(report, "1.2.3.4")
    assert not services.support_request(report, "1.2.3.4")
    assert services.support_request(report, "5.6.7.8")
    report.refresh_from_db()
    assert report.support_count == 2


def test_feedback_not_solved_reopens_the_report(categories):
    report = services.submit_request(valid())
    services.change_status(report, DONE, public_note="Repariert.")
    with pytest.raises(WorkflowError):
        services.record_feedback(report, "falsch", solved=False)
    services.record_feedback(report, report.secret, solved=False)
    report.refresh_from_db()
    assert report.status == REVIEWING and report.closed_at is None
    assert report.feedback_solved is False


def test_nearby_open_reports_of_the_same_category(categories):
    near = services.submit_request(valid(lat="51.2100", long="7.9050"))
    services.submit_request(valid(lat="51.2150", long="7.9050"))  # about 550 m away
    services.submit_request(
        valid(service_code="sonstiges", attributes={}, lat="51.2100", long="7.9051")
    )
    found = services.nearby_open_requests(categories["007"], 51.2101, 7.9050)
    assert [r.pk for r, _d in found] == [near.pk]
    assert found[0][1] == 11


def test_api_keys_are_stored_hashed(categories):
    key, raw = services.create_api_key("Meine App")
    assert raw not in (key.key_hash, key.prefix) and raw.startswith(key.prefix)
    assert services.authenticate_key(raw) == key
    assert services.authenticate_key("falsch") is None
    key.is_active = False
    key.save()
    assert services.authenticate_key(raw) is None
