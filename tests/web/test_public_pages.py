"""Public pages and downloads: content, confidentiality in every output."""

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from gemeinsinn.monitoring import services


@pytest.fixture
def published(index_definition):
    services.run_index(index_definition, 2025)
    return index_definition


def german_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_overview_has_map_ranking_and_downloads(client, published):
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="group"' in html and 'aria-labelledby="karte-title' in html
    assert "Bahnhof" in html and "Statusindex" in html
    assert reverse("monitoring:dl_index", args=["sozialindex", "csv"]) in html


def test_profile_shows_indicators_index_and_hierarchy(client, published):
    response = client.get(reverse("areas:profile", args=["sozialraum", "0201"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bahnhof" in html and "Neustadt" in html  # the area and its parent
    assert "Arbeitslosenanteil" in html and "Kinderarmut (unter 15 Jahren)" in html
    assert "sparkline" in html


def test_small_area_profile_shows_no_indicators(client, published):
    html = client.get(reverse("areas:profile", args=["sozialraum", "0202"])).content.decode()
    assert "weniger als 300 Einwohnenden keine Indikatoren" in html
    assert "Arbeitslosenanteil" not in html


def test_indicator_csv_protects_small_areas_and_counts(client, published):
    url = reverse("monitoring:dl_indicator", args=["arbeitslose", "csv"])
    rows = german_csv(client.get(url, {"ebene": "sozialraum", "jahr": 2023}))
    assert rows[0][:4] == ["Schlüssel", "Gebiet", "Ebene", "Jahr"]
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key["0101"][4] == "40"
    assert by_key["0202"][4] == "."  # 250 residents: below the minimum population
    # secondary suppression: one withheld cell must not be recoverable from the total
    withheld = [r for r in rows[1:-1] if r[4] == "."]
    assert len(withheld) >= 2
    assert rows[-1][1] == "Stadt insgesamt"


def test_share_of_small_area_is_withheld_in_xlsx(client, published):
    url = reverse("monitoring:dl_indicator", args=["arbeitslosenanteil", "xlsx"])
    response = client.get(url, {"ebene": "sozialraum", "jahr": 2025})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["0202"] == "."
    assert isinstance(values["0201"], float) and values["0201"] > 10


def test_index_table_and_geojson(client, published):
    rows = german_csv(client.get(reverse("monitoring:dl_index", args=["sozialindex", "csv"])))
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key["0202"][3] == "nein" and by_key["0202"][5] == ""
    assert by_key["0201"][3] == "ja" and by_key["0201"][6] in {"1", "2", "3", "4"}
    layer = json.loads(client.get(reverse("monitoring:dl_geojson", args=["sozialraum"])).content)
    assert layer["type"] == "FeatureCollection" and len(layer["features"]) == 4
    props = {f["properties"]["key"]: f["properties"] for f in layer["features"]}
    assert props["0201"]["status_class"] in {1, 2, 3, 4}
    assert props["0202"]["status_class"] is None


def test_unknown_format_and_area_give_404(client, published):
    assert client.get("/daten/indikator/ew.pdf").status_code == 404
    assert client.get(reverse("areas:profile", args=["sozialraum", "9999"])).status_code == 404


def test_english_translation(client, published):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert "Skip to content" in html and "Ranking" in html


def test_area_table_download_over_the_years(client, published):
    rows = german_csv(client.get(reverse("monitoring:dl_area", args=["sozialraum", "0201", "csv"])))
    assert rows[0] == ["Indikator", "Kürzel", "Einheit", "2023", "2024", "2025"]
    by_code = {r[1]: r for r in rows[1:]}
    assert by_code["ew"][3] == "1500"
    assert float(by_code["arbeitslosenanteil"][3].replace(",", ".")) == pytest.approx(12.0)
    # the small area publishes nothing
    small = german_csv(
        client.get(reverse("monitoring:dl_area", args=["sozialraum", "0202", "csv"]))
    )
    assert small == [["Indikator", "Kürzel", "Einheit", "2023", "2024", "2025"]]


def test_indicator_description_ends_with_one_full_stop(client, published):
    from gemeinsinn.monitoring.models import Indicator

    url = reverse("monitoring:indicator", args=["arbeitslosenanteil"])
    Indicator.objects.filter(code="arbeitslosenanteil").update(description="Arbeitslose je 100")
    assert "Arbeitslose je 100. " in client.get(url).content.decode()
    Indicator.objects.filter(code="arbeitslosenanteil").update(description="Mit Punkt.")
    html = client.get(url).content.decode()
    assert "Mit Punkt. " in html and "Mit Punkt.." not in html
