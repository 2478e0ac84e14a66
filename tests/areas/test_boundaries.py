"""Importing boundaries: versions, hierarchy, bad files leave the database unchanged."""

import datetime as dt
import json

import pytest

from gemeinsinn.areas import services
from gemeinsinn.areas.models import Area, Boundary, SpatialLevel
from gemeinsinn.formats.problems import InputError
from tests import citykit


def snapshot():
    return (
        list(Area.objects.order_by("pk").values_list("level__code", "key", "name", "parent_id")),
        list(Boundary.objects.order_by("pk").values_list("area_id", "valid_from", "valid_to")),
    )


def test_import_builds_the_hierarchy(city):
    assert Area.objects.filter(level__code="sozialraum").count() == 4
    markt = Area.objects.get(level__code="sozialraum", key="0101")
    assert markt.parent.key == "01" and markt.parent.parent.key == "05999000"
    boundary = markt.current_boundary()
    assert boundary.valid_from == dt.date(2021, 1, 1) and boundary.valid_to is None
    assert 0.9e6 < boundary.area_m2 < 1.7e6  # 0.01° × 0.02° near 51°N is about 1.55 km²
    assert boundary.min_lon == pytest.approx(7.90)


def test_changed_outline_gets_a_new_version_and_keeps_history(city):
    level = city["sozialraum"]

    def shifted(box):
        x0, y0, x1, y1 = box
        return citykit.square((x0, y0, x1 + (0.001 if x0 == 7.90 else 0), y1))

    preview = services.import_boundaries(
        citykit.geojson(citykit.SOZIALRAEUME[:1], geometry=shifted) + b"",
        "neu.geojson",
        level,
        valid_from=dt.date(2024, 1, 1),
    )
    assert preview.changed_keys == ["0101"]
    versions = list(Boundary.objects.filter(area__key="0101").order_by("valid_from"))
    assert [(b.valid_from, b.valid_to) for b in versions] == [
        (dt.date(2021, 1, 1), dt.date(2023, 12, 31)),
        (dt.date(2024, 1, 1), None),
    ]


def test_unchanged_import_creates_no_version(city):
    services.import_boundaries(
        citykit.geojson(citykit.SOZIALRAEUME), "gleich.geojson", city["sozialraum"],
        valid_from=dt.date(2025, 1, 1),
    )  # fmt: skip
    assert Boundary.objects.filter(area__level__code="sozialraum").count() == 4


@pytest.mark.parametrize(
    "content, expected",
    [
        (b'{"type": "FeatureCollection", "features": [', "JSON"),
        (
            citykit.geojson(
                [
                    ("0101", "A", "01", (7.9, 51.2, 7.91, 51.22)),
                    ("0101", "B", "01", (7.91, 51.2, 7.92, 51.22)),
                ]
            ),
            "0101",
        ),
        (citykit.geojson([("0301", "Irgendwo", "03", (7.9, 51.2, 7.91, 51.22))]), "03"),
    ],
    ids=["broken-json", "duplicate-key", "unknown-parent"],
)
def test_bad_files_are_reported_in_german_and_change_nothing(city, content, expected):
    before = snapshot()
    with pytest.raises(InputError) as error:
        services.import_boundaries(
            content, "falsch.geojson", city["sozialraum"], valid_from=dt.date(2025, 1, 1)
        )
    text = str(error.value)
    assert "falsch.geojson" in text and expected in text
    assert snapshot() == before


def test_projected_crs_is_converted(city):
    """A file in EPSG:25832 (UTM 32N) lands in WGS84 at the same place."""
    from gemeinsinn.geo.crs import transformer

    to_utm = transformer(4326, 25832)

    def utm_square(box):
        ring = citykit.square(box)["coordinates"][0]
        return {"type": "Polygon", "coordinates": [[list(to_utm.transform(x, y)) for x, y in ring]]}

    level = SpatialLevel.objects.create(
        code="foerder", name="Fördergebiet", order=9, is_target_area=True
    )
    box = (7.905, 51.205, 7.925, 51.215)
    document = json.loads(citykit.geojson([("F1", "Förder", None, box)], utm_square))
    document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}
    services.import_boundaries(
        json.dumps(document).encode(), "f.geojson", level, valid_from=dt.date(2025, 1, 1)
    )
    boundary = Boundary.objects.get(area__key="F1")
    assert boundary.min_lon == pytest.approx(7.905, abs=1e-6)
    assert boundary.max_lat == pytest.approx(51.215, abs=1e-6)


def test_locate_finds_the_area_of_a_point(city):
    level = city["sozialraum"]
    assert services.locate(7.915, 51.21, level).key == "0102"
    assert services.locate(7.935, 51.21, level).key == "0202"
    assert services.locate(8.5, 51.21, level) is None
