"""The Kompass: the public progress report of a period (half-year or year) as the printable
Bürgerjournal, a short newspaper for households without internet, in German, English or
Leichte Sprache. The public web page (views.kompass) shows the same data."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gemeinsinn.core.models import CityProfile
from gemeinsinn.socialreport.models import ChapterText
from gemeinsinn.socialreport.services import Document, Progress, ReportRequest
from gemeinsinn.socialreport.services.kompass_data import KompassData, collect
from gemeinsinn.socialreport.services.periods import (
    KOMPASS_LANGUAGES,
    LEICHTE_SPRACHE,
    Period,
    check_language,
    parse_period,
)

# the planners' own texts of an edition (ChapterText of kind "kompass", year of the period)
EDITORIAL = "vorwort"
CONTACT = "kontakt"


def compose(request: ReportRequest, progress: Progress) -> Document:
    language = check_language(request.language, KOMPASS_LANGUAGES)
    period = parse_period(request.year, request.period)
    progress(0, 1, _("Kompass: Daten des Zeitraums werden gesammelt"))
    context = page_context(period)
    progress(1, 1, _("Kompass: Bürgerjournal wird gesetzt"))
    easy = language == LEICHTE_SPRACHE
    return Document(
        template="socialreport/kompass_journal_ls.html"
        if easy
        else "socialreport/kompass_journal.html",
        context=context,
        title=journal_title(context["data"]),
        language="de" if easy else language,
        author=context["data"].city,
    )


def page_context(period: Period) -> dict:
    """What the journal and the web page need: the data and the planners' texts."""
    data = collect(period)
    texts = dict(
        ChapterText.objects.filter(
            kind="kompass", year=period.year, chapter__in=[EDITORIAL, CONTACT]
        ).values_list("chapter", "text")
    )
    return {
        "data": data,
        "profile": CityProfile.current(),
        "editorial": texts.get(EDITORIAL, "").strip(),
        "contact": texts.get(CONTACT, "").strip(),
    }


def journal_title(data: KompassData) -> str:
    return _("Kompass %(city)s – %(period)s") % {"city": data.city, "period": data.period.label}
