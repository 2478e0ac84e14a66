"""A bounded fuzz test of the Open311 API parameters: whatever a client sends, the answer is
a well-formed document with 200, 400, 403 or 404 — never a server error."""

import json
import os
from urllib.parse import quote
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.servicerequests.conftest import INSIDE

TEXT = st.text(max_size=40)
DATES = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.sampled_from(["2026-02-30T00:00:00Z", "2026-01-01T00:00:00+25:00", "heute", "", " "]),
)
NUMBERS = st.one_of(st.integers(-5, 10**12).map(str), TEXT)
CODES = st.lists(st.sampled_from(["007", "muell", "", "nix", " ", "x,y"]), max_size=4).map(",".join)
QUERY = st.fixed_dictionaries(
    {},
    optional={
        "service_request_id": st.one_of(NUMBERS, st.lists(NUMBERS, max_size=5).map(",".join)),
        "service_code": st.one_of(CODES, TEXT),
        "start_date": DATES,
        "end_date": DATES,
        "status": st.one_of(st.sampled_from(["open", "closed", "open,closed", "OPEN", ""]), TEXT),
        "page": NUMBERS,
        "page_size": NUMBERS,
        "jurisdiction_id": st.one_of(st.just(""), TEXT),
        "extensions": st.sampled_from(["true", "false", "1", ""]),
    },
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "service_code": st.one_of(CODES, TEXT),
        "lat": st.one_of(st.floats(allow_nan=True).map(str), NUMBERS, st.just(INSIDE["lat"])),
        "long": st.one_of(st.floats(allow_nan=True).map(str), NUMBERS, st.just(INSIDE["long"])),
        "address_string": TEXT,
        "address_id": TEXT,
        "attribute[farbe]": st.one_of(st.sampled_from(["r", "g", "lila", ""]), TEXT),
        "attribute[teile][]": st.lists(st.sampled_from(["a", "b", "z"]), max_size=3),
        "attribute[anzahl]": NUMBERS,
        "attribute[seit]": DATES,
        "description": st.text(max_size=200),
        "email": TEXT,
        "media_url": st.one_of(TEXT, st.just("https://example.org/a.jpg")),
        "jurisdiction_id": TEXT,
    },
)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def well_formed(response, fmt):
    assert response.status_code in (200, 400, 403, 404), response.content[:500]
    if fmt == "json":
        json.loads(response.content)
    else:
        ElementTree.fromstring(response.content)


@FUZZ
@given(query=QUERY, fmt=st.sampled_from(["xml", "json"]))
def test_get_requests_never_fails(client, categories, query, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}", query)
    well_formed(response, fmt)


@FUZZ
@given(fields=FIELDS, fmt=st.sampled_from(["xml", "json"]), with_key=st.booleans())
def test_post_requests_never_fails(client, api_key, fields, fmt, with_key):
    if with_key:
        fields = {**fields, "api_key": api_key}
    response = client.post(f"/open311/v2/requests.{fmt}", fields)
    well_formed(response, fmt)


@FUZZ
@given(segment=st.text(min_size=1, max_size=30), fmt=st.sampled_from(["xml", "json"]))
def test_paths_never_fail(client, categories, segment, fmt):
    for path in ("services", "requests", "tokens"):
        response = client.get(f"/georeport/v2/{path}/{quote(segment, safe='')}.{fmt}")
        well_formed(response, fmt)


def test_ids_that_cannot_be_ids(client, categories):
    """Found by the fuzz test: superscript digits and numbers beyond 64 bits."""
    for ids in ("²", "99999999999999999999999", "٣"):
        assert client.get(f"/open311/v2/requests.json?service_request_id={ids}").json() == []
    assert client.get("/open311/v2/requests/99999999999999999999999.xml").status_code == 404


def test_nul_bytes_are_a_clear_error(client, categories, api_key):
    """Found by the fuzz test on PostgreSQL, which cannot store or search NUL bytes."""
    for path in ("/georeport/v2/tokens/%00.json", "/open311/v2/services/a%00b.json"):
        response = client.get(path)
        assert response.status_code == 400
        assert "Nullzeichen (NUL, %00)" in response.json()[0]["description"]
    response = client.get("/open311/v2/requests.json", {"service_code": "muell\x00"})
    assert response.status_code == 400
    response = client.post(
        "/open311/v2/requests.xml",
        {"api_key": api_key, "service_code": "muell", "description": "a\x00b", **INSIDE},
    )
    assert response.status_code == 400
    assert b"Nullzeichen" in response.content
