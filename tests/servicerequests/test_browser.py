"""A report made in the real browser: the map click fills the place, the details step
takes a photo, the report page shows it, and the Open311 API returns it. axe-core finds no
WCAG 2.1 AA violation on the form steps and the report page."""

import json
import re
import urllib.request

import pytest

from tests.browser.fixtures import axe_violations
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
