"""The citizens' pages: reporting in two steps without JavaScript, nearby open reports shown
first, the public page of a report, the list with filters, the feed, flood protection."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from gemeinsinn.servicerequests import services
from gemeinsinn.servicerequests.models import DONE, IN_PROGRESS, ServiceRequest
from tests.servicerequests.conftest import INSIDE_HEIDE, jpeg_bytes

DETAILS = "/maengelmelder/melden/angaben/"


def make(code="sonstiges", **changes):
    values = {"service_code": code, **INSIDE_HEIDE, "description": "Am Weg liegt etwas."}
    values.update(changes)
    return services.submit_request(services.Submission(**values))


def test_step_one_lists_the_categories_and_the_place_fields(client, categories):
    page = client.get("/maengelmelder/melden/").content.decode()
    assert "Müll / wilde Müllkippe" in page and 'name="kategorie"' in page
    for name in ("adresse", "lat", "long"):
        assert f'name="{name}"' in page
    assert 'action="/maengelmelder/melden/angaben/"' in page and 'method="get"' in page


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("lat=51.21&long=7.935", "Bitte wählen Sie aus"),
        ("kategorie=sonstiges", "Bitte geben Sie den Ort an"),
        ("kategorie=sonstiges&lat=51.30&long=7.95", "nicht im Stadtgebiet"),
        ("kategorie=sonstiges&lat=abc&long=7.95", "keine Zahl"),
    ],
)
def test_step_two_sends_a_wrong_place_back_to_step_one(client, categories, query, text):
    response = client.get(f"{DETAILS}?{query}")
    page = response.content.decode()
    assert text in page and "Schritt 1 von 2" in page


def test_step_two_shows_the_questions_and_nearby_open_reports_first(client, categories):
    near = make("muell", attributes={"art": ["sperrmuell"]})
    make("muell", attributes={"art": ["sperrmuell"]}, lat="51.215", long="7.905")  # far
    closed = make("muell", attributes={"art": ["sperrmuell"]})
    services.change_status(closed, DONE, public_note="Abgeholt.")
    page = client.get(f"{DETAILS}?kategorie=muell&lat=51.2101&long=7.9350").content.decode()
    assert "Schritt 2 von 2" in page and "Heide" in page
    assert "Schon gemeldet?" in page
    assert f"Meldung Nr. {near.pk} unterstützen" in page
    assert f"Meldung Nr. {closed.pk}" not in page
    assert page.index("Schon gemeldet?") < page.index("Meldung absenden")
    assert "Was liegt dort?" in page and "Sperrmüll (Möbel, Matratzen)" in page


def test_submitting_in_the_browser_stores_the_report_with_photo(client, categories):
    response = client.post(
        f"{DETAILS}?kategorie=muell&lat=51.21&long=7.935&adresse=Heideweg+3",
        {
            "frage_art": "bauschutt",
            "frage_menge": "mittel",
            "beschreibung": "Bauschutt am Wegrand.",
            "email": "melder@example.org",
            "foto1": SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg"),
        },
    )
    report = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/maengelmelder/{report.pk}/"
    assert report.source == "web" and report.address == "Heideweg 3"
    assert report.attributes == {"art": "bauschutt", "menge": "mittel"}
    assert report.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert f"Nummer {report.pk}" in page  # the thank-you message
    assert "Bauschutt am Wegrand." in page and "Bauschutt" in page
    assert "melder@example.org" not in page
    report.photos.get().image.delete(save=False)


def test_form_problems_are_shown_at_their_fields_and_nothing_is_stored(client, categories):
    response = client.post(
        f"{DETAILS}?kategorie=muell&lat=51.21&long=7.935",
        {
            "beschreibung": "<b>laut</b>",
            "email": "kaputt",
            "foto1": SimpleUploadedFile("a.jpg", b"kein bild", content_type="image/jpeg"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "„Was liegt dort?“ fehlt" in page
    assert "HTML" in page and "keine gültige E-Mail-Adresse" in page and "kein Foto" in page
    assert 'aria-invalid="true"' in page
    assert ServiceRequest.objects.count() == 0


def test_honeypot_refuses_bots(client, categories):
    response = client.post(
        f"{DETAILS}?kategorie=sonstiges&lat=51.21&long=7.935",
        {"beschreibung": "Spam", "website": "http://spam.example"},
    )
    assert response.status_code == 400
    assert ServiceRequest.objects.count() == 0


@override_settings(SERVICEREQUESTS_WEB_LIMIT=2)
def test_flood_from_one_address_gets_a_clear_german_message(client, categories):
    url = f"{DETAILS}?kategorie=sonstiges&lat=51.21&long=7.935"
    for _ in range(2):
        assert client.post(url, {"beschreibung": "x"}).status_code == 302
    response = client.post(url, {"beschreibung": "x"})
    assert response.status_code == 429
    assert "zu viele Meldungen" in response.content.decode()
    assert ServiceRequest.objects.count() == 2
    other = client.post(url, {"beschreibung": "x"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_report_page_shows_public_history_but_no_internal_notes(client, categories):
    report = make(email="geheim@example.org", phone="0170 1")
    services.change_status(report, IN_PROGRESS, internal_note="Kollege Meier fragen")
    services.change_status(report, DONE, public_note="Der Weg ist frei.")
    page = client.get(f"/maengelmelder/{report.pk}/").content.decode()
    assert "Der Weg ist frei." in page and "in Bearbeitung" in page and "erledigt" in page
    assert "Kollege Meier" not in page and "geheim@example.org" not in page
    assert "0170 1" not in page and report.secret not in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page  # the location map


def test_support_button_counts_once(client, categories):
    report = make()
    client.post(f"/maengelmelder/{report.pk}/unterstuetzen/")
    client.post(f"/maengelmelder/{report.pk}/unterstuetzen/")
    report.refresh_from_db()
    assert report.support_count == 1


def test_feedback_link_from_the_mail(client, categories):
    report = make()
    services.change_status(report, DONE, public_note="Erledigt.")
    assert client.get(f"/maengelmelder/{report.pk}/rueckmeldung/falsch/").status_code == 403
    url = f"/maengelmelder/{report.pk}/rueckmeldung/{report.secret}/"
    assert "Ist das Problem gelöst?" in client.get(url).content.decode()
    client.post(url, {"geloest": "ja"})
    report.refresh_from_db()
    assert report.feedback_solved is True


def test_list_filters_by_area_category_status_and_time(client, categories, city):
    from gemeinsinn.areas.models import Area

    heide = make()
    markt = make("muell", attributes={"art": ["sonstiges"]}, lat="51.21", long="7.905")
    old = make()
    ServiceRequest.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=40)
    )
    services.change_status(markt, DONE, public_note="Weg.")

    def listed(query):
        page = client.get(f"/maengelmelder/?{query}").content.decode()
        return {r.pk for r in (heide, markt, old) if f'href="/maengelmelder/{r.pk}/"' in page}

    area = Area.objects.get(key="0202")
    neustadt = Area.objects.get(key="02", level__code="stadtteil")
    assert listed("") == {heide.pk, markt.pk, old.pk}
    assert listed(f"gebiet={area.pk}") == {heide.pk, old.pk}
    assert listed(f"gebiet={neustadt.pk}") == {heide.pk, old.pk}
    assert listed("kategorie=muell") == {markt.pk}
    assert listed("status=closed") == {markt.pk}
    assert listed("status=open&zeitraum=30") == {heide.pk}
    assert listed("gebiet=999999") == {heide.pk, markt.pk, old.pk}  # unknown filter ignored


def test_feed_for_an_area(client, categories):
    from gemeinsinn.areas.models import Area

    report = make()
    area = Area.objects.get(key="0202")
    response = client.get(f"/maengelmelder/feed.atom?gebiet={area.pk}")
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "neue Meldungen in Heide" in text and f"Nr. {report.pk}" in text


def test_statistics_page(client, categories):
    make()
    page = client.get("/maengelmelder/statistik/").content.decode()
    assert "Heide" in page and "Tage bis zur ersten Antwort" in page


def test_expected_completion_date_of_the_category_on_the_page_and_in_the_api(client, categories):
    from django.utils import formats

    category = categories["sonstiges"]
    category.expected_days = 14
    category.save()
    report = make()
    expected = report.requested_at + dt.timedelta(days=14)
    assert report.expected_at == expected
    page = client.get(f"/maengelmelder/{report.pk}/").content.decode()
    shown = formats.date_format(timezone.localtime(expected), "j. F Y")
    assert "Erledigt voraussichtlich bis" in page and shown in page
    item = client.get(f"/open311/v2/requests/{report.pk}.json").json()[0]
    assert dt.datetime.fromisoformat(item["expected_datetime"]) == expected.replace(microsecond=0)
    services.change_status(report, DONE, public_note="Erledigt.")
    assert (
        "Erledigt voraussichtlich bis"
        not in client.get(f"/maengelmelder/{report.pk}/").content.decode()
    )
