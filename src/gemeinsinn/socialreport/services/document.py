"""Printing a report's HTML as a tagged, accessible PDF (PDF/UA-1) with WeasyPrint. The
report's style sheet is inline in the HTML (see report_base.html), so that the HTML file can
be passed on alone and the PDF needs no web server."""


def to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango, which only report builds need.
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
