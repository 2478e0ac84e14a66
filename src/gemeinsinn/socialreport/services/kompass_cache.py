"""The Bürgerjournal PDF of the public Kompass page, built on request and kept under
DATA_DIR/reports/kompass/. The key is the journal's HTML itself (period, language and every number
in it): a PDF is printed again only when something it shows has changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings

from gemeinsinn.files import write_atomically
from gemeinsinn.socialreport.services import ReportRequest, build_report, document
from gemeinsinn.socialreport.services.periods import Period

KEEP = 3  # older files per period and language are removed


def cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "reports" / "kompass"


def journal_pdf(period: Period, language: str) -> tuple[Path, bool]:
    """The PDF file for the period and language, and whether it was built just now."""
    request = ReportRequest("kompass", period.year, period=period.code, language=language)
    html = build_report(request, "html")
    digest = hashlib.sha256(html).hexdigest()[:16]
    prefix = f"kompass-{period.code}-{language}-"
    target = cache_dir() / f"{prefix}{digest}.pdf"
    if target.exists():
        return target, False
    pdf = document.to_pdf_apart(html.decode())  # built during a page request
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, pdf)
    older = sorted(
        (p for p in target.parent.glob(prefix + "*.pdf") if p != target),
        key=lambda p: p.stat().st_mtime,
    )
    for stale in older[: max(0, len(older) - (KEEP - 1))]:
        stale.unlink(missing_ok=True)
    return target, True
