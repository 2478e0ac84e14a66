"""Printing a report's HTML as a tagged, accessible PDF (PDF/UA-1) with WeasyPrint. The
report's style sheet is inline in the HTML (see report_base.html), so that the HTML file can
be passed on alone and the PDF needs no web server."""

import contextlib
import functools
import gc
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor


class _PageReferences:
    """pydyf's ``PDF.page_references`` rebuilds the tuple of all pages on every access, and
    WeasyPrint's tag writer asks for it once per tagged element: writing grows with pages ×
    elements (46 s of a 577-page report). The pages are only ever appended, so the tuple is
    kept until their number changes."""

    def __init__(self, compute):
        self.compute = compute

    def __get__(self, pdf, owner=None):
        if pdf is None:
            return self
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_gemeinsinn_page_references")
        if cached is None or cached[0] != count:
            cached = (count, self.compute(pdf))
            pdf.__dict__["_gemeinsinn_page_references"] = cached
        return cached[1]


@functools.cache
def _speed_up_page_references() -> None:
    import pydyf

    current = pydyf.PDF.__dict__.get("page_references")
    if isinstance(current, property):
        pydyf.PDF.page_references = _PageReferences(current.fget)


class _FullCollectionPause:
    """WeasyPrint keeps hundreds of thousands of objects (boxes, styles, drawing operations)
    alive until the PDF is written, and every full run of the cyclic garbage collector walks
    all of them (and everything else the process holds) again: 40 % of the time of a
    150-page report, while those runs free almost nothing. During a build the oldest
    generation is therefore not collected; the young ones still are. Builds may overlap in
    threads: the first one in pauses, the last one out restores the threshold."""

    NEVER = 2**30

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.builds = 0
        self.saved = 0

    @contextlib.contextmanager
    def __call__(self):
        with self.lock:
            if self.builds == 0:
                young, middle, self.saved = gc.get_threshold()
                gc.set_threshold(young, middle, self.NEVER)
            self.builds += 1
        try:
            yield
        finally:
            with self.lock:
                self.builds -= 1
                if self.builds == 0:
                    young, middle, _ = gc.get_threshold()
                    gc.set_threshold(young, middle, self.saved)


_without_full_collections = _FullCollectionPause()


def to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango, which only report builds need.
    from weasyprint import HTML

    _speed_up_page_references()
    with _without_full_collections():
        return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def to_pdf_apart(html: str) -> bytes:
    """``to_pdf`` in a process of its own, for builds started from the web server: setting a
    long report holds the interpreter for up to a minute and grows the heap by gigabytes,
    which would slow the server's other requests and stay with its worker afterwards. A
    fresh interpreter (not a fork of the threaded server) sets the PDF and exits."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as child:
        return child.submit(_set_pdf, html).result()


def _set_pdf(html: str) -> bytes:
    return to_pdf(html)
