"""The PDF writer's speed-up: pydyf's page references, kept until a page is added."""

import io

import pydyf
import pytest
from pypdf import PdfReader

from gemeinsinn.socialreport.services import document


def test_page_references_are_kept_until_a_page_is_added():
    document._speed_up_page_references()
    compute = pydyf.PDF.__dict__["page_references"].compute
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == compute(pdf) and len(first) == 3
    assert pdf.page_references is first  # not rebuilt
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pdf.page_references == compute(pdf) and len(pdf.page_references) == 4


def test_the_tagged_pdf_is_written_as_without_the_speed_up():
    from weasyprint import HTML

    html = "<html lang='de'><title>T</title><h1>Kapitel</h1>" + "<p>Absatz Nummer</p>" * 300
    fast = document.to_pdf(html)
    cached = pydyf.PDF.__dict__["page_references"]
    try:
        pydyf.PDF.page_references = property(cached.compute)
        plain = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    finally:
        pydyf.PDF.page_references = cached
    assert fast == plain  # the same bytes: page references in the structure tree included
    assert len(PdfReader(io.BytesIO(fast)).pages) > 3


def test_the_oldest_generation_is_not_collected_while_a_pdf_is_set(monkeypatch):
    import gc

    seen = []

    class Recording:
        def __init__(self, string):
            pass

        def write_pdf(self, **options):
            seen.append(gc.get_threshold())
            return b"%PDF"

    monkeypatch.setattr("weasyprint.HTML", Recording)
    before = gc.get_threshold()
    assert document.to_pdf("<p>x</p>") == b"%PDF"
    assert seen == [(before[0], before[1], document._FullCollectionPause.NEVER)]
    assert gc.get_threshold() == before


def test_overlapping_builds_restore_the_threshold_only_when_the_last_one_ends():
    import gc

    pause = document._FullCollectionPause()
    before = gc.get_threshold()
    try:
        with pause():
            with pause():
                assert gc.get_threshold()[2] == pause.NEVER
            assert gc.get_threshold()[2] == pause.NEVER  # the other build is still running
        assert gc.get_threshold() == before
        with pytest.raises(RuntimeError), pause():
            raise RuntimeError("Layout fehlgeschlagen")
        assert gc.get_threshold() == before  # restored after a failed build too
    finally:
        gc.set_threshold(*before)


def test_a_pdf_set_apart_is_set_in_another_process_with_the_same_bytes(monkeypatch):
    html = "<html lang='de'><title>T</title><h1>Kapitel</h1>" + "<p>Absatz</p>" * 50
    here = document.to_pdf(html)

    def not_here(html):
        raise AssertionError("set in the calling process")

    monkeypatch.setattr(document, "to_pdf", not_here)  # the child imports its own module
    assert document.to_pdf_apart(html) == here


def test_an_error_while_setting_apart_reaches_the_caller():
    with pytest.raises(TypeError):
        document.to_pdf_apart(None)
