"""Fixtures of the Mängelmelder tests: the tiny city of tests/conftest.py with the default
categories, a category with a leading-zero code and every kind of question, an API key."""

import io

import pytest

INSIDE = {"lat": "51.21", "long": "7.905"}  # Sozialraum 0101 Markt
INSIDE_HEIDE = {"lat": "51.21", "long": "7.935"}  # Sozialraum 0202 Heide
OUTSIDE = {"lat": "51.30", "long": "7.95"}


@pytest.fixture(autouse=True)
def fresh_catalogue():
    """The per-process caches start empty in every test (a rolled-back database sends no
    signals)."""
    from gemeinsinn.servicerequests import catalogue

    catalogue.clear()
    yield
    catalogue.clear()


@pytest.fixture
def categories(city):
    from gemeinsinn.servicerequests.models import Attribute, AttributeValue, Category
    from gemeinsinn.servicerequests.services import ensure_default_categories

    ensure_default_categories()
    special = Category.objects.create(
        code="007",
        name="Prüfkategorie",
        name_en="Test category",
        description="Eine Kategorie mit allen Arten von Fragen.",
        group="Test",
        keywords="test, prüfung",
        department=Category.objects.get(code="muell").department,
        expected_days=3,
        service_notice="Wir prüfen Meldungen werktags.",
    )
    colour = Attribute.objects.create(
        category=special,
        code="farbe",
        description="Welche Farbe?",
        description_en="Which colour?",
        datatype="singlevaluelist",
        required=True,
        order=1,
    )
    for i, (key, name) in enumerate([("r", "rot"), ("g", "grün"), ("b", "blau")]):
        AttributeValue.objects.create(attribute=colour, key=key, name=name, order=i)
    many = Attribute.objects.create(
        category=special, code="teile", description="Welche Teile?", datatype="multivaluelist",
        order=2,
    )  # fmt: skip
    for i, key in enumerate(["a", "b", "c"]):
        AttributeValue.objects.create(attribute=many, key=key, name=key.upper(), order=i)
    Attribute.objects.create(
        category=special, code="anzahl", description="Wie viele?", datatype="number", order=3
    )
    Attribute.objects.create(
        category=special, code="seit", description="Seit wann?", datatype="datetime", order=4
    )
    Attribute.objects.create(
        category=special,
        code="hinweis",
        description="Bitte nur Tatsachen.",
        datatype="text",
        variable=False,
        order=5,
    )
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def api_key(categories):
    from gemeinsinn.servicerequests.services import create_api_key

    key, raw = create_api_key("Test-App", rate_limit=0)
    return raw


def jpeg_bytes(size=(40, 30), with_gps=True) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    output = io.BytesIO()
    exif = Image.Exif()
    if with_gps:
        exif[0x010F] = "Kamerahersteller"  # Make
        exif[0x8825] = {1: "N", 2: (51.0, 12.0, 30.0), 3: "E", 4: (7.0, 54.0, 18.0)}  # GPS
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()
