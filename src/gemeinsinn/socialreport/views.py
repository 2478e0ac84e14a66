"""The public Kompass: the progress report of a half-year as a web page (German, English or
Leichte Sprache) with the printable Bürgerjournal as PDF for each language."""

from contextlib import nullcontext

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from gemeinsinn.socialreport.services import ReportError
from gemeinsinn.socialreport.services.kompass import page_context
from gemeinsinn.socialreport.services.kompass_cache import journal_pdf
from gemeinsinn.socialreport.services.kompass_data import first_year
from gemeinsinn.socialreport.services.periods import (
    KOMPASS_LANGUAGES,
    LEICHTE_SPRACHE,
    Period,
    check_language,
    latest_period,
    period_from_code,
)

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", LEICHTE_SPRACHE: "Leichte Sprache"}


def _period(code: str | None) -> Period:
    """The period of the address: not in the future, not before the first recorded data."""
    if code is None:
        return latest_period()
    try:
        chosen = period_from_code(code)
    except ReportError as error:
        raise Http404(str(error)) from error
    if chosen.start > latest_period().start:
        raise Http404(_("Für diesen Zeitraum gibt es noch keinen Kompass."))
    if chosen.year < first_year():
        raise Http404(_("Für diesen Zeitraum liegen keine Daten vor."))
    return chosen


def kompass(request, period: str | None = None, easy: bool = False):
    chosen = _period(period)
    latest = latest_period()
    following = Period(chosen.year, 2) if chosen.half == 1 else Period(chosen.year + 1, 1)
    # Leichte Sprache is German: its own templates, German for everything around them
    with translation.override("de") if easy else nullcontext():
        context = page_context(chosen) | {
            "easy": easy,
            "previous": chosen.previous() if chosen.half else None,
            "next": following if chosen.half and following.start <= latest.start else None,
            "downloads": [(code, LANGUAGE_NAMES[code]) for code in KOMPASS_LANGUAGES],
        }
        template = "kompass_page_ls.html" if easy else "kompass_page.html"
        return render(request, "socialreport/" + template, context)


def kompass_pdf(request, period: str, language: str):
    chosen = _period(period)
    try:
        check_language(language, KOMPASS_LANGUAGES)
    except ReportError as error:
        raise Http404(str(error)) from error
    path, _built = journal_pdf(chosen, language)
    return FileResponse(
        path.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"buergerjournal-{chosen.code}-{language}.pdf",
    )
