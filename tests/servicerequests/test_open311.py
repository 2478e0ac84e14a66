"""The Open311 GeoReport v2 server: documents in XML and JSON with schema-correct types,
errors exactly as the spec says (status and body) with nothing stored, liberal parsing."""

import datetime as dt
import json
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from gemeinsinn.servicerequests import services
from gemeinsinn.servicerequests.models import DONE, ServiceRequest
from tests.servicerequests.conftest import INSIDE, OUTSIDE, jpeg_bytes

BASE = "/open311/v2/"
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
}  # fmt: skip


def xml(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def data(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def assert_error(response, status: int, text: str = ""):
    """The spec's error document, in the format of the call, with the status as code."""
    assert response.status_code == status, response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        errors = data(response)
        assert isinstance(errors, list) and errors
        assert all(set(e) == {"code", "description"} for e in errors)
        assert all(e["code"] == status for e in errors)
        descriptions = [e["description"] for e in errors]
    else:
        root = xml(response)
        assert root.tag == "errors"
        items = root.findall("error")
        assert items and all(e.find("code").text == str(status) for e in items)
        descriptions = [e.find("description").text for e in items]
    assert any(text in d for d in descriptions), descriptions
    return descriptions


def post(client, fmt="xml", **fields):
    return client.post(f"{BASE}requests.{fmt}", fields)


def report_fields(api_key, **changes):
    fields = {
        "api_key": api_key,
        "service_code": "007",
        **INSIDE,
        "attribute[farbe]": "r",
        "description": "Eine Laterne ist kaputt.",
        "email": "geheim@example.org",
        "first_name": "Erika",
        "last_name": "Mustermann",
        "phone": "0221 12345",
        "device_id": "geraet-42",
        "account_id": "konto-7",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


# --- discovery and services ---------------------------------------------------------------


def test_discovery_lists_both_endpoints_and_formats(client, categories):
    root = xml(client.get(f"{BASE}discovery.xml"))
    urls = [e.find("url").text for e in root.find("endpoints").findall("endpoint")]
    assert urls == ["http://testserver/open311/v2/", "http://testserver/georeport/v2/"]
    formats = [f.text for f in root.find("endpoints/endpoint/formats").findall("format")]
    assert formats == ["text/xml", "application/json"]
    document = data(client.get("/georeport/v2/discovery.json"))
    assert document["endpoints"][0]["type"] == "production"
    assert document["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"


def test_service_list_types_in_xml_and_json(client, categories):
    services_json = data(client.get(f"{BASE}services.json"))
    by_code = {s["service_code"]: s for s in services_json}
    assert by_code["007"]["service_code"] == "007"  # a string, leading zeros kept
    assert by_code["007"]["metadata"] is True
    assert by_code["sonstiges"]["metadata"] is False
    assert by_code["007"]["type"] == "realtime"
    assert by_code["muell"]["service_name"] == "Müll / wilde Müllkippe"
    assert set(by_code["muell"]) == {
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group"
    }  # fmt: skip
    root = xml(client.get(f"{BASE}services.xml"))
    assert root.tag == "services"
    first = root.find("service")
    assert first.find("metadata").text in ("true", "false")
    assert len(root.findall("service")) == len(services_json)


def test_service_definition_and_singular_path(client, categories):
    definition = data(client.get(f"{BASE}services/007.json"))
    assert definition["service_code"] == "007"
    colour = definition["attributes"][0]
    assert colour == {
        "variable": True,
        "code": "farbe",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 1,
        "description": "Welche Farbe?",
        "values": [
            {"key": "r", "name": "rot"},
            {"key": "g", "name": "grün"},
            {"key": "b", "name": "blau"},
        ],
    }
    assert definition["attributes"][4]["variable"] is False
    root = xml(client.get(f"{BASE}service/007.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "r"


def test_english_names_with_accept_language(client, categories):
    english = data(client.get(f"{BASE}services.json", HTTP_ACCEPT_LANGUAGE="en"))
    assert {s["service_code"]: s["service_name"] for s in english}["muell"] == (
        "Litter / illegal dumping"
    )
    definition = data(client.get(f"{BASE}services/007.json", HTTP_ACCEPT_LANGUAGE="en-GB"))
    assert definition["attributes"][0]["description"] == "Which colour?"


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_service_and_unknown_path_are_404(client, categories, fmt):
    assert_error(client.get(f"{BASE}services/nix.{fmt}"), 404, "„nix“")
    assert_error(client.get(f"{BASE}requests/999999.{fmt}"), 404, "999999")
    assert_error(client.get(f"{BASE}tokens/unbekannt.{fmt}"), 404, "unbekannt")
    assert_error(client.get(f"{BASE}gibtsnicht.{fmt}"), 404)


# --- POST requests -----------------------------------------------------------------------


def test_post_creates_a_request_and_returns_its_id(client, api_key):
    response = post(client, **report_fields(api_key))
    root = xml(response)
    assert response.status_code == 200
    item = root.find("request")
    report = ServiceRequest.objects.get()
    assert item.find("service_request_id").text == str(report.pk)
    assert item.find("service_notice").text == "Wir prüfen Meldungen werktags."
    assert item.find("account_id").text is None
    assert report.source == "api" and report.area.key == "0101"
    assert report.email == "geheim@example.org" and report.account_id == "konto-7"


def test_json_post_with_key_in_query_string_and_multi_values(client, api_key):
    fields = report_fields(None)
    fields["attribute[teile][]"] = ["a", "b"]
    response = client.post(f"{BASE}requests.json?api_key={api_key}", fields)
    result = data(response)
    assert response.status_code == 200
    assert result == [
        {
            "service_request_id": str(ServiceRequest.objects.get().pk),
            "service_notice": "Wir prüfen Meldungen werktags.",
            "account_id": None,
        }
    ]
    assert ServiceRequest.objects.get().attributes["teile"] == ["a", "b"]


def test_batch_service_returns_a_token_that_gives_the_id(client, api_key, categories):
    categories["sonstiges"].service_type = "batch"
    categories["sonstiges"].save()
    result = data(post(client, "json", **report_fields(api_key, service_code="sonstiges")))
    token = result[0]["token"]
    assert "service_request_id" not in result[0]
    found = data(client.get(f"{BASE}tokens/{token}.json"))
    assert found == [{"service_request_id": str(ServiceRequest.objects.get().pk), "token": token}]


def test_photo_upload_as_media_becomes_media_url(client, api_key):
    fields = report_fields(api_key)
    fields["media"] = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(f"{BASE}requests.json", fields)
    assert response.status_code == 200, response.content
    report = ServiceRequest.objects.get()
    item = data(client.get(f"{BASE}requests/{report.pk}.json"))[0]
    assert item["media_url"] == f"http://testserver/maengelmelder/fotos/{report.photo_id}.jpg"
    image = client.get(item["media_url"].removeprefix("http://testserver"))
    assert image["Content-Type"] == "image/jpeg"
    report.photos.get().image.delete(save=False)


BAD_POSTS = [
    # (changes, status, part of the description)
    ({"api_key": None}, 403, "api_key fehlt"),
    ({"api_key": "falsch"}, 403, "ungültig"),
    ({"service_code": None}, 400, "Kategorie fehlt"),
    ({"service_code": ""}, 400, "Kategorie fehlt"),
    ({"service_code": "nix"}, 404, "„nix“ gibt es nicht"),
    ({"lat": None, "long": None}, 400, "Der Ort fehlt"),
    ({"lat": "", "long": "", "address_string": ""}, 400, "Der Ort fehlt"),
    (OUTSIDE, 400, "nicht im Stadtgebiet"),
    ({"attribute[farbe]": None}, 400, "„Welche Farbe?“ fehlt"),
    ({"attribute[farbe]": "lila"}, 400, "„lila“ ist keine Auswahl"),
    ({"description": "x" * 4001}, 400, "4001 Zeichen"),
    ({"description": "<script>alert(1)</script>"}, 400, "HTML"),
    ({"media_url": "ftp://example.org/x.jpg"}, 400, "media_url"),
]


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(("changes", "status", "text"), BAD_POSTS)
def test_bad_posts_get_the_spec_error_and_store_nothing(
    client, api_key, fmt, changes, status, text
):
    fields = report_fields(api_key)
    fields.update(changes)
    fields = {k: v for k, v in fields.items() if v is not None}
    assert_error(client.post(f"{BASE}requests.{fmt}", fields), status, text)
    assert ServiceRequest.objects.count() == 0


def test_non_image_media_is_refused(client, api_key):
    fields = report_fields(api_key)
    fields["media"] = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 kein Bild", "image/jpeg")
    assert_error(client.post(f"{BASE}requests.xml", fields), 400, "kein Foto")
    assert ServiceRequest.objects.count() == 0


def test_flood_from_one_key_is_refused(client, categories):
    key, raw = services.create_api_key("Kleine App", rate_limit=2)
    for _ in range(2):
        assert post(client, **report_fields(raw)).status_code == 200
    response = post(client, **report_fields(raw))
    assert_error(response, 400, "zu viele Meldungen")
    assert int(response["Retry-After"]) > 0
    assert ServiceRequest.objects.count() == 2


def test_inactive_key_and_other_methods(client, categories):
    key, raw = services.create_api_key("Alte App")
    key.is_active = False
    key.save()
    assert_error(post(client, **report_fields(raw)), 403, "ungültig")
    response = client.put(f"{BASE}requests.xml")
    assert_error(response, 405, "PUT")
    assert response["Allow"] == "GET, HEAD, POST"


# --- GET requests --------------------------------------------------------------------------


def make(code="007", when=None, **changes):
    values = {"service_code": code, **INSIDE, "description": "Testmeldung"}
    if code == "007":
        values["attributes"] = {"farbe": ["r"]}
    values.update(changes)
    return services.submit_request(services.Submission(**values), now=when)


def test_get_requests_default_is_the_last_90_days_newest_first(client, categories):
    now = timezone.now()
    old = make(when=now - dt.timedelta(days=120))
    recent = make(when=now - dt.timedelta(days=10))
    newest = make(email="privat@example.org", first_name="Geheim", phone="0170 999")
    items = data(client.get(f"{BASE}requests.json"))
    assert [i["service_request_id"] for i in items] == [str(newest.pk), str(recent.pk)]
    assert old.pk not in [int(i["service_request_id"]) for i in items]
    item = items[0]
    assert set(item) == REQUEST_FIELDS
    assert item["status"] == "open" and item["service_code"] == "007"
    assert isinstance(item["lat"], float) and isinstance(item["long"], float)
    assert item["requested_datetime"].endswith(("+01:00", "+02:00"))
    assert item["agency_responsible"] == "Abfallwirtschaft"
    root = xml(client.get(f"{BASE}requests.xml"))
    assert root.tag == "service_requests" and len(root.findall("request")) == 2
    for response in (client.get(f"{BASE}requests.json"), client.get(f"{BASE}requests.xml")):
        for private in (b"privat@example.org", b"Geheim", b"0170 999", newest.secret.encode()):
            assert private not in response.content


def test_get_one_request_returns_a_list(client, categories):
    report = make()
    items = data(client.get(f"{BASE}requests/{report.pk}.json"))
    assert len(items) == 1 and items[0]["service_request_id"] == str(report.pk)
    root = xml(client.get(f"/georeport/v2/requests/{report.pk}.xml"))
    assert root.find("request/service_request_id").text == str(report.pk)


def test_filters_status_codes_dates_ids_and_paging(client, categories):
    now = timezone.now()
    a = make(when=now - dt.timedelta(days=3))
    b = make("sonstiges", when=now - dt.timedelta(days=2))
    c = make("sonstiges", when=now - dt.timedelta(days=1))
    old = make(when=now - dt.timedelta(days=200))
    services.change_status(c, DONE, public_note="Erledigt.")

    def ids(query):
        return [
            int(i["service_request_id"]) for i in data(client.get(f"{BASE}requests.json{query}"))
        ]

    assert ids("?status=open") == [b.pk, a.pk]
    assert ids("?status=closed") == [c.pk]
    assert ids("?status=open,closed") == [c.pk, b.pk, a.pk]
    assert ids("?service_code=sonstiges") == [c.pk, b.pk]
    assert ids("?service_code=007,sonstiges&status=") == [c.pk, b.pk, a.pk]
    # service_request_id overrides every other parameter, even the 90 days
    assert ids(f"?service_request_id={old.pk},{a.pk},x&status=closed") == [a.pk, old.pk]
    start = (now - dt.timedelta(days=2, hours=12)).isoformat(timespec="seconds")
    assert ids(f"?start_date={start.replace('+', '%2B')}") == [c.pk, b.pk]
    assert ids(f"?start_date={start}") == [c.pk, b.pk]  # "+01:00" unescaped arrives as " 01:00"
    end = (now - dt.timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"?end_date={end}") == [old.pk]
    assert ids("?page_size=2") == [c.pk, b.pk]
    assert ids("?page_size=2&page=2") == [a.pk]
    assert ids("?page_size=2&page=3") == []
    assert ids("?jurisdiction_id=&service_code=&start_date=&end_date=&page=") == [c.pk, b.pk, a.pk]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-05-01T00:00:00Z", "höchstens 90 Tage"),
        ("start_date=2026-05-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "vor start_date"),
        ("start_date=gestern", "kein Datum"),
        ("status=offen", "open und closed"),
        ("page_size=0", "page_size"),
        ("page=x", "page"),
    ],
)
def test_bad_queries_are_400(client, categories, query, text):
    assert_error(client.get(f"{BASE}requests.xml?{query}"), 400, text)
    assert_error(client.get(f"{BASE}requests.json?{query}"), 400, text)


def test_status_history_extension(client, categories):
    report = make()
    services.change_status(report, "in_progress", internal_note="Streng intern")
    services.change_status(report, DONE, public_note="Repariert am Montag.")
    item = data(client.get(f"{BASE}requests/{report.pk}.json?extensions=true"))[0]
    assert item["status"] == "closed" and item["status_notes"] == "Repariert am Montag."
    assert item["detailed_status"] == "PROCESSED"
    assert item["district"] == "Markt" and item["district_key"] == "0101"
    assert [n["detailed_status"] for n in item["notes"]] == ["RECEIVED", "IN_PROCESS", "PROCESSED"]
    assert item["notes"][-1]["description"] == "Repariert am Montag."
    assert b"Streng intern" not in client.get(f"{BASE}requests.xml?extensions=true").content
    root = xml(client.get(f"{BASE}requests/{report.pk}.xml?extensions=true"))
    assert len(root.findall("request/notes/note")) == 3


@override_settings(OPEN311_JURISDICTION_ID="kleinstadt.de")
def test_jurisdiction_id(client, categories):
    assert client.get(f"{BASE}services.xml").status_code == 200
    assert client.get(f"{BASE}services.xml?jurisdiction_id=kleinstadt.de").status_code == 200
    assert_error(client.get(f"{BASE}services.json?jurisdiction_id=andere.de"), 404, "andere.de")
    with override_settings(OPEN311_JURISDICTION_REQUIRED=True):
        assert_error(client.get(f"{BASE}services.xml"), 400, "jurisdiction_id fehlt")


def test_web_report_appears_in_the_api(client, categories):
    """The same service behind both: a report made on the web page is in the API."""
    response = client.post(
        "/maengelmelder/melden/angaben/?kategorie=sonstiges&lat=51.21&long=7.935",
        {"beschreibung": "Über das Webformular gemeldet."},
    )
    assert response.status_code == 302
    report = ServiceRequest.objects.get()
    items = data(client.get(f"{BASE}requests.json"))
    assert items[0]["service_request_id"] == str(report.pk)
    assert items[0]["description"] == "Über das Webformular gemeldet."


def test_create_key_command_prints_the_key_last(capsys, categories, client):
    from gemeinsinn.cli import main

    assert main(["open311", "create-key", "Kommando-App"]) == 0
    *before, raw = capsys.readouterr().out.strip().splitlines()
    assert len(raw) == 43 and raw.replace("-", "").replace("_", "").isalnum()  # the key alone
    assert all(raw not in line for line in before)
    assert post(client, **report_fields(raw)).status_code == 200
    assert main(["open311", "create-key", "  "]) == 2
    assert "Namen" in capsys.readouterr().err
    assert main(["open311", "create-key", "App", "--rate-limit", "-1"]) == 2
    assert "--rate-limit darf nicht negativ sein." in capsys.readouterr().err


def test_timestamps_in_local_time_across_daylight_saving_changes(settings):
    import datetime as dt

    from django.utils import timezone

    from gemeinsinn.servicerequests.api import _stamper

    with timezone.override("Europe/Berlin"):
        stamp = _stamper()
        utc = dt.UTC
        assert stamp(dt.datetime(2026, 3, 29, 0, 59, 59, tzinfo=utc)) == "2026-03-29T01:59:59+01:00"
        assert stamp(dt.datetime(2026, 3, 29, 1, 0, 0)) == "2026-03-29T03:00:00+02:00"  # naive UTC
        assert stamp("2026-10-25 00:59:59") == "2026-10-25T02:59:59+02:00"
        assert stamp("2026-10-25 01:00:00.5") == "2026-10-25T02:00:00+01:00"
        assert stamp(None) is None


# the types of open311/schema-validation (schema/georeport-v2): required fields and for each
# field the JSON types it may have; "datetime" is a string with date, time and zone
SCHEMA_TYPES = {
    "service": (
        {"service_code", "service_name", "metadata", "type"},
        {"service_code": (str,), "service_name": (str,), "description": (str, None),
         "metadata": (bool,), "type": (str,), "keywords": (str, None), "group": (str, None)},
    ),
    "attribute": (
        {"variable", "code", "datatype", "required"},
        {"variable": (bool,), "code": (str,), "datatype": (str,), "required": (bool,),
         "datatype_description": (str, None), "order": (int, None),
         "description": (str, None), "values": (list,)},
    ),
    "request": (
        {"service_request_id", "status", "service_code", "requested_datetime"},
        {"service_request_id": (str,), "status": (str,), "status_notes": (str, None),
         "service_name": (str, None), "service_code": (str,), "description": (str, None),
         "agency_responsible": (str, None), "service_notice": (str, None),
         "requested_datetime": ("datetime",), "updated_datetime": ("datetime", None),
         "expected_datetime": ("datetime", None), "address": (str, None),
         "address_id": (str, None), "zipcode": (str, None), "lat": (float, None),
         "long": (float, None), "media_url": (str, None)},
    ),
}  # fmt: skip


def assert_schema_types(kind: str, document: dict) -> None:
    required, types = SCHEMA_TYPES[kind]
    assert required <= set(document), (kind, required - set(document))
    for name, allowed in types.items():
        if name not in document:
            continue
        value = document[name]
        if value is None:
            assert None in allowed, (kind, name)
        elif "datetime" in allowed:
            assert dt.datetime.fromisoformat(value).tzinfo is not None, (kind, name, value)
        else:
            wanted = tuple(t for t in allowed if t is not None)
            assert isinstance(value, wanted) and not (
                isinstance(value, bool) and bool not in wanted
            ), (kind, name, value)


def test_documents_have_the_types_of_the_open311_schemas(client, api_key):
    for service in data(client.get(f"{BASE}services.json")):
        assert_schema_types("service", service)
        assert service["type"] in ("realtime", "batch", "blackbox")
        definition = data(client.get(f"{BASE}services/{service['service_code']}.json"))
        assert set(definition) == {"service_code", "attributes"}
        for attribute in definition["attributes"]:
            assert_schema_types("attribute", attribute)
            assert all(
                set(v) == {"key", "name"} and all(isinstance(x, str) for x in v.values())
                for v in attribute["values"]
            )
    full = report_fields(api_key, address_string="Marktplatz 1", media_url="https://x.de/a.jpg")
    assert post(client, "json", **full).status_code == 200
    sparse = report_fields(api_key, lat=None, long=None, description=None, address_string="Markt")
    assert post(client, "json", **sparse).status_code == 200
    items = data(client.get(f"{BASE}requests.json"))
    assert len(items) == 2
    for item in items:
        assert_schema_types("request", item)
        assert item["status"] in ("open", "closed")
        assert item["description"] is None or len(item["description"]) <= 4000
    assert items[0]["lat"] is None and items[0]["description"] is None
