"""E-mail alerts for a district: ordered on a page, confirmed by a link (double opt-in), sent
for each new report in the area or an area within it, ended by the link in every e-mail;
bad input and floods are refused with nothing stored; the address is personal data."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from gemeinsinn.areas.models import Area
from gemeinsinn.servicerequests import alerts, services
from gemeinsinn.servicerequests.models import AreaAlert
from tests.servicerequests.conftest import INSIDE, INSIDE_HEIDE

ORDER = "/maengelmelder/benachrichtigung/"


def make(place=INSIDE_HEIDE, **changes):
    values = {"service_code": "sonstiges", **place, "description": "Ein Sofa am Weg."}
    values.update(changes)
    return services.submit_request(services.Submission(**values), base_url="http://stadt.test/")


def link(message, kind: str) -> str:
    found = re.search(rf"http://testserver(/maengelmelder/benachrichtigung/\S+/{kind}/)", message)
    return found.group(1)


@pytest.fixture
def heide(categories):
    return Area.objects.get(key="0202")


def order(client, area, email="anwohnerin@example.org"):
    return client.post(ORDER, {"gebiet": str(area.pk), "email": email})


def test_order_confirm_receive_and_end_an_alert(client, heide, django_capture_on_commit_callbacks):
    page = client.get(f"{ORDER}?gebiet={heide.pk}").content.decode()
    assert f'<option value="{heide.pk}" selected>' in page
    response = order(client, heide, "Anwohnerin@Example.org")
    assert response.status_code == 302
    assert "Fast geschafft" in client.get(response["Location"]).content.decode()
    alert = AreaAlert.objects.get()
    assert alert.email == "anwohnerin@example.org" and alert.confirmed_at is None
    assert len(mail.outbox) == 1 and "Bitte bestätigen" in mail.outbox[0].subject
    confirm_url = link(mail.outbox[0].body, "bestaetigen")

    with django_capture_on_commit_callbacks(execute=True):
        make()  # not confirmed yet: no alert
    assert len(mail.outbox) == 1

    assert "Ja, Benachrichtigung bestätigen" in client.get(confirm_url).content.decode()
    alert.refresh_from_db()
    assert alert.confirmed_at is None  # opening the link (e.g. a mail scanner) is not enough
    assert client.post(confirm_url).status_code == 302
    alert.refresh_from_db()
    assert alert.confirmed_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        report = make()
        make(INSIDE)  # Markt, another district
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert message.to == ["anwohnerin@example.org"]
    assert message.subject == "Neue Meldung in Heide: Sonstiges"
    assert f"Nr. {report.pk}: Sonstiges" in message.body and "Ein Sofa am Weg." in message.body
    assert f"http://stadt.test/maengelmelder/{report.pk}/" in message.body
    end_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert end_url.endswith(f"/maengelmelder/benachrichtigung/{alert.token}/abbestellen/")

    path = end_url.removeprefix("http://stadt.test")
    assert "Ja, abbestellen" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    assert not AreaAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        make()
    assert len(mail.outbox) == 2
    response = client.get(path)
    assert response.status_code == 404 and "neu bestellen" in response.content.decode()


def test_an_alert_for_a_district_covers_the_areas_within_it(
    heide, django_capture_on_commit_callbacks
):
    neustadt = heide.parent
    assert neustadt.level.code == "stadtteil"
    for area in (neustadt, heide):
        alert = alerts.order(
            "nachbar@example.org", area.pk, client="10.0.0.1", base_url="http://stadt.test/"
        )
        alerts.confirm(alert.token)
    with django_capture_on_commit_callbacks(execute=True):
        make()
    assert len(mail.outbox) == 3  # two confirmations, then one alert for both areas


def test_an_api_report_sends_alerts_too(client, api_key, heide, django_capture_on_commit_callbacks):
    alert = alerts.order("a@example.org", heide.pk, client="10.0.0.1", base_url="")
    alerts.confirm(alert.token)
    fields = {"api_key": api_key, "service_code": "sonstiges", **INSIDE_HEIDE}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/open311/v2/requests.json", fields).status_code == 200
    assert mail.outbox[-1].subject == "Neue Meldung in Heide: Sonstiges"
    assert "http://testserver/maengelmelder/" in mail.outbox[-1].body


def test_ordering_an_active_alert_again_sends_a_reminder_only(client, heide):
    alert = alerts.order("a@example.org", heide.pk, client="10.0.0.1", base_url="")
    alerts.confirm(alert.token)
    assert order(client, heide, "a@example.org").status_code == 302
    assert AreaAlert.objects.get().token == alert.token
    assert "ist aktiv" in mail.outbox[-1].subject
    assert f"/{alert.token}/abbestellen/" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"email": "keine-adresse"}, "„keine-adresse“ ist keine gültige E-Mail-Adresse"),
        ({"email": ""}, "keine gültige E-Mail-Adresse"),
        ({"gebiet": "999999"}, "Bitte wählen Sie ein Gebiet"),
        ({"gebiet": ""}, "Bitte wählen Sie ein Gebiet"),
    ],
)
def test_bad_orders_are_refused_and_store_nothing(client, heide, fields, text):
    response = client.post(ORDER, {"gebiet": str(heide.pk), "email": "a@example.org", **fields})
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not AreaAlert.objects.exists() and mail.outbox == []


def test_a_flood_of_orders_from_one_client_is_refused(client, heide):
    for number in range(alerts.ORDER_LIMIT):
        assert order(client, heide, f"person{number}@example.org").status_code == 302
    response = order(client, heide, "noch-eine@example.org")
    assert response.status_code == 400
    assert "zu viele Benachrichtigungen" in response.content.decode()
    assert AreaAlert.objects.count() == alerts.ORDER_LIMIT


def test_an_unconfirmed_alert_expires(client, heide):
    past = timezone.now() - dt.timedelta(days=alerts.CONFIRM_DAYS + 1)
    alert = alerts.order("a@example.org", heide.pk, client="10.0.0.1", base_url="", now=past)
    with pytest.raises(alerts.AlertError, match="abgelaufen"):
        alerts.confirm(alert.token)
    assert not AreaAlert.objects.exists()
    response = client.post(f"{ORDER}unbekannt/bestaetigen/")
    assert response.status_code == 404 and "neu bestellen" in response.content.decode()


def test_alert_addresses_are_personal_data_and_never_public(client, heide):
    from gemeinsinn.accounts.services import _PERSONAL_DATA

    assert ("maengelmelder", alerts.personal_data) in _PERSONAL_DATA
    alert = alerts.order("person@example.org", heide.pk, client="10.0.0.1", base_url="")
    alerts.confirm(alert.token)
    report = make(email="Person@example.org", first_name="Erika")
    user = get_user_model().objects.create_user("person", email="person@example.org")
    data = alerts.personal_data(user)
    assert [r["nummer"] for r in data["meldungen"]] == [report.pk]
    assert data["meldungen"][0]["vorname"] == "Erika"
    assert [a["gebiet"] for a in data["benachrichtigungen"]] == ["Heide"]
    for url in (
        "/maengelmelder/",
        f"/maengelmelder/?gebiet={heide.pk}",
        f"/maengelmelder/feed.atom?gebiet={heide.pk}",
        "/open311/v2/requests.json",
    ):
        assert b"person@example.org" not in client.get(url).content.lower()


def test_ordering_an_unconfirmed_alert_again_sends_a_new_link(client, heide):
    first = alerts.order("a@example.org", heide.pk, client="10.0.0.1", base_url="")
    second = alerts.order("a@example.org", heide.pk, client="10.0.0.1", base_url="")
    assert AreaAlert.objects.count() == 1 and first.token != second.token
    with pytest.raises(alerts.AlertError, match="neu bestellen"):
        alerts.confirm(first.token)
    assert alerts.confirm(second.token).confirmed_at is not None
