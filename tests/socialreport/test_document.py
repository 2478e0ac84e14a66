"""The PDF writer's speed-up: pydyf's page references, kept until a page is added."""

import io

import pydyf
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
