"""The Mängelmelder in the real browser, against the demo served as in production:
a report made in the browser (map click, photo) is in the Open311 API; a report sent to the
API with a key made in the admin is on the public pages; staff close it in the queue, the
reporter is told, the public page and the API show the answer, and the district's
statistics count it. axe-core finds no WCAG 2.1 AA violation on the pages used."""

import json
import re
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import axe_violations, login
from tests.servicerequests.conftest import jpeg_bytes

pytestmark = pytest.mark.browser


def test_report_in_the_browser_appears_in_the_api(page, demo_server, tmp_path):
    page.goto(demo_server + "/maengelmelder/melden/")
    assert axe_violations(page) == []
    page.get_by_label("Straßenschaden / Schlagloch").check()
    map_box = page.locator("#place-map")
    map_box.locator("path.leaflet-interactive").first.wait_for()
    page.wait_for_timeout(500)  # the map fits itself to the city
    map_box.click()  # the middle of the map lies in the city
    assert page.get_by_label("Breitengrad").input_value() != ""
    page.get_by_label("Adresse oder Ortsbeschreibung").fill("Vor der Stadtbücherei")
    page.get_by_role("button", name="Weiter").click()

    assert "Schritt 2 von 2" in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Wo ist der Schaden?").select_option(label="Gehweg")
    page.get_by_label("Beschreibung").fill("Eine Gehwegplatte steht hoch, Stolpergefahr.")
    photo = tmp_path / "platte.jpg"
    photo.write_bytes(jpeg_bytes((120, 90)))
    page.get_by_label("Foto 1").set_input_files(str(photo))
    page.get_by_label("E-Mail für Rückmeldungen").fill("test@example.org")
    page.get_by_role("button", name="Meldung absenden").click()

    heading = page.get_by_role("heading", level=1).inner_text()
    number = re.fullmatch(r"Meldung Nr\. (\d+): Straßenschaden / Schlagloch", heading).group(1)
    assert f"Nummer {number}" in page.locator(".messages").inner_text()
    assert page.get_by_role("img", name=f"Foto 1 zu Meldung Nr. {number}").count() == 1
    assert "test@example.org" not in page.content()
    assert axe_violations(page) == []

    with urllib.request.urlopen(f"{demo_server}/open311/v2/requests/{number}.json") as answer:
        item = json.loads(answer.read())[0]
    assert item["service_code"] == "strasse" and item["status"] == "open"
    assert item["description"] == "Eine Gehwegplatte steht hoch, Stolpergefahr."
    assert item["address"] == "Vor der Stadtbücherei"
    assert item["media_url"].endswith(".jpg")
    assert "test@example.org" not in json.dumps(item)


def _api(url: str, fields: dict | None = None):
    body = urllib.parse.urlencode(fields).encode() if fields else None
    with urllib.request.urlopen(url, data=body) as answer:
        return json.loads(answer.read())


def _district_row(page, base: str, district: str) -> tuple[int, str]:
    """(reports, share closed with an answer) of the district on the statistics page."""
    page.goto(base + "/maengelmelder/statistik/")
    row = page.locator("tbody tr").filter(has=page.get_by_role("link", name=district, exact=True))
    cells = row.locator("td")
    return int(cells.first.inner_text()), cells.last.inner_text()


def test_api_report_through_the_staff_workflow_in_the_browser(page, demo_server):
    login(page, demo_server)
    page.goto(demo_server + "/admin/servicerequests/apikey/add/")
    page.locator("#id_name").fill("Browser-Test-App")  # the admin's own form
    page.locator("input[name=_save]").click()
    notice = page.locator(".messagelist").inner_text()
    key = re.search(r"lautet (\S+) –", notice).group(1)

    api = demo_server + "/georeport/v2/"
    existing = next(
        item
        for item in _api(api + "requests.json?extensions=true&page_size=100")
        if item["lat"] is not None and item["district"]
    )
    district = existing["district"]
    reports_before, _share = _district_row(page, demo_server, district)
    created = _api(
        api + "requests.json",
        {
            "api_key": key,
            "service_code": existing["service_code"],
            "lat": existing["lat"],
            "long": existing["long"],
            "description": "Über das API gemeldet: Sperrmüll am Straßenrand.",
            "email": "melderin@example.org",
            **{f"attribute[{k}]": v for k, v in _required_answers(api, existing).items()},
        },
    )
    number = created[0]["service_request_id"]
    reports_after, share_before = _district_row(page, demo_server, district)
    assert reports_after == reports_before + 1

    page.goto(demo_server + "/maengelmelder/")
    page.get_by_role("link", name=number, exact=True).click()
    assert "Über das API gemeldet: Sperrmüll am Straßenrand." in page.content()
    assert "melderin@example.org" not in page.content()

    page.goto(f"{demo_server}/verwaltung/maengelmelder/{number}/")
    assert axe_violations(page) == []
    page.get_by_label("Neuer Status").select_option(label="erledigt")
    page.get_by_role("button", name="Speichern").click()
    assert "öffentliche Begründung" in page.get_by_role("alert").first.inner_text()
    page.get_by_label("Neuer Status").select_option(label="erledigt")
    page.get_by_label("Öffentliche Antwort – optional", exact=True).fill(
        "Der Sperrmüll wurde heute abgeholt."
    )
    page.get_by_label("Interne Notiz").fill("Tour 7, Fahrer informiert")
    page.get_by_role("button", name="Speichern").click()
    shown = page.locator(".messages").inner_text()
    assert "Gespeichert." in shown
    assert "Die meldende Person erhält eine E-Mail zum neuen Stand." in shown

    page.goto(f"{demo_server}/maengelmelder/{number}/")
    text = page.content()
    assert "Der Sperrmüll wurde heute abgeholt." in text and "Tour 7" not in text
    assert axe_violations(page) == []
    item = _api(f"{api}requests/{number}.json")[0]
    assert item["status"] == "closed"
    assert item["status_notes"] == "Der Sperrmüll wurde heute abgeholt."
    reports, share_after = _district_row(page, demo_server, district)
    assert reports == reports_after
    assert float(share_after.replace(",", ".")) > float(share_before.replace(",", "."))


def _required_answers(api: str, item: dict) -> dict[str, str]:
    """A valid answer to each required question of the item's category."""
    definition = _api(f"{api}services/{item['service_code']}.json")
    return {
        a["code"]: a["values"][0]["key"] if a["values"] else "1"
        for a in definition["attributes"]
        if a["required"]
    }


def test_order_an_alert_for_a_district_in_the_browser(page, demo_server):
    page.goto(demo_server + "/maengelmelder/")
    district = page.get_by_label("Gebiet").locator("option").nth(1)
    name = district.inner_text().removesuffix(" (alle Gebiete)")  # a district and its areas
    value = district.get_attribute("value")
    page.goto(f"{demo_server}/maengelmelder/?gebiet={value}")
    page.get_by_role("link", name=f"Neue Meldungen in {name} per E-Mail").click()
    assert page.get_by_label("Gebiet").input_value() == value
    assert axe_violations(page) == []
    page.get_by_label("Ihre E-Mail-Adresse").fill("keine-adresse")
    page.get_by_role("button", name="Benachrichtigung bestellen").click()
    assert "keine gültige E-Mail-Adresse" in page.get_by_role("alert").first.inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Ihre E-Mail-Adresse").fill("nachbarin@example.org")
    page.get_by_role("button", name="Benachrichtigung bestellen").click()
    assert (
        "Bitte bestätigen Sie darin die Benachrichtigung" in page.locator(".messages").inner_text()
    )
