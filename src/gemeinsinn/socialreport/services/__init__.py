"""Building the published reports. Each kind of report is a module in this package with a
function ``compose(request, progress) -> Document``; this module checks the request, renders
the document's template as HTML and, for PDF, prints the same HTML with WeasyPrint.

The command ``gemeinsinn report build``, the background jobs of the web interface and the
tests all call :func:`build_report`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

KINDS = ("sozialbericht", "handlungskonzept", "kompass")
FORMATS = ("html", "pdf")

# done, total, what is being done now (German, shown in the web interface)
Progress = Callable[[int, int, str], None]


class ReportError(Exception):
    """A request that cannot be built: the German message says what and how to fix it."""


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    year: int
    level: str | None = None  # code of a SpatialLevel; None: the kind's default level
    period: str | None = None  # Kompass: e.g. "2025-H1"; None: the kind's default
    language: str = "de"


@dataclass
class Document:
    """A composed report: its template, the template's context and its metadata."""

    template: str
    context: dict[str, Any]
    title: str
    language: str = "de"
    author: str = ""  # the city or office that publishes it


def _ignore_progress(done: int, total: int, step: str) -> None:
    pass


def compose(request: ReportRequest, progress: Progress | None = None) -> Document:
    if request.kind not in KINDS:
        raise ReportError(
            _("Die Berichtsart „%(kind)s“ gibt es nicht. Möglich sind: %(kinds)s.")
            % {"kind": request.kind, "kinds": ", ".join(KINDS)}
        )
    module = importlib.import_module(f"gemeinsinn.socialreport.services.{request.kind}")
    return module.compose(request, progress or _ignore_progress)


def build_report(
    request: ReportRequest, fmt: str, progress: Progress | None = None, *, apart: bool = False
) -> bytes:
    """The report as HTML (UTF-8) or as a tagged PDF; ``apart``: the PDF is set in a process
    of its own (for builds started from the web server, see ``document.to_pdf_apart``)."""
    from gemeinsinn.socialreport.services import document

    if fmt not in FORMATS:
        raise ReportError(
            _("Das Format „%(fmt)s“ gibt es nicht. Möglich sind: HTML und PDF.") % {"fmt": fmt}
        )
    progress = progress or _ignore_progress
    with translation.override(request.language):
        composed = compose(request, progress)
        html = render_to_string(composed.template, composed.context | {"document": composed})
    if fmt == "html":
        return html.encode()
    progress(0, 1, _("PDF wird gesetzt"))
    pdf = document.to_pdf_apart(html) if apart else document.to_pdf(html)
    progress(1, 1, _("PDF fertig"))
    return pdf
