"""Fixtures and helpers of the Handlungskonzept and Kompass tests (import the fixtures into a
test module): the tiny city with its index, the demo ideas and the demo action plan, and
small builders for ideas and defect reports at chosen moments."""

import datetime as dt
import io
import secrets

import pypdf
import pytest

TZ = dt.UTC


@pytest.fixture(name="planned_city")
def planned_city_fixture(index_definition):
    """The tiny city with statistics, the social index 2025, the demo ideas and the demo plan
    (5 programmes, 25 measures, 11 steps)."""
    from gemeinsinn.ideas import demo as ideas_demo
    from gemeinsinn.monitoring import services as monitoring
    from gemeinsinn.planning import demo as planning_demo

    monitoring.run_index(index_definition, 2025)
    list(ideas_demo.load(None))
    list(planning_demo.load(None))
    return index_definition


def at(year, month, day, hour=12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=TZ)


def sozialraum(key: str):
    from gemeinsinn.areas.models import Area

    return Area.objects.get(level__code="sozialraum", key=key)


def make_idea(title, created, area_key="0101", answered=None):
    from gemeinsinn.ideas.models import Category, Idea, Process
    from gemeinsinn.ideas.services import ensure_default_categories

    ensure_default_categories()
    process, _new = Process.objects.get_or_create(
        slug="kompass-test",
        defaults={
            "title": "Ideen",
            "collect_from": at(2020, 1, 1),
            "collect_until": at(2020, 2, 1),
            "comment_until": at(2020, 3, 1),
        },
    )
    return Idea.objects.create(
        process=process,
        title=title,
        text="Text",
        category=Category.objects.order_by("order").first(),
        area=sozialraum(area_key),
        created_at=created,
        answer="Danke, wir prüfen das." if answered else "",
        answered_at=answered,
    )


def make_report(requested, closed=None, status=None, area_key="0101"):
    from gemeinsinn.servicerequests import models
    from gemeinsinn.servicerequests.services import ensure_default_categories

    ensure_default_categories()
    return models.ServiceRequest.objects.create(
        category=models.Category.objects.order_by("pk").first(),
        status=status or (models.DONE if closed else models.RECEIVED),
        area=sozialraum(area_key),
        token=secrets.token_hex(16),
        secret=secrets.token_urlsafe(32),
        requested_at=requested,
        updated_at=closed or requested,
        closed_at=closed,
    )


def pdf_reader(content: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(content).pages)


def font_sizes(content: bytes) -> list[float]:
    """The effective size of every piece of text in the PDF (font size × text and
    transformation matrix scale), in points."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (abs(tm[3]) or abs(tm[0])) * (abs(cm[3]) or abs(cm[0]))
            sizes.append(round(size * scale, 2))

    for page in pdf_reader(content).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles
