"""The planners' own text per chapter of a report edition (kind and year). The reports print
it before their generated findings (as plain paragraphs, cleaned when rendered); here it is
read and saved, with who changed it last."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gemeinsinn.socialreport.models import ChapterText

MAX_LENGTH = 20_000  # characters per chapter: about five printed pages


def chapters(kind: str) -> list[tuple[str, str]]:
    """(slug, title) of the chapters of a kind that take a planner's text; [] for none."""
    if kind == "sozialbericht":
        from gemeinsinn.socialreport.services.sozialbericht import CHAPTERS

        return [(slug, str(title)) for slug, title in CHAPTERS]
    if kind == "kompass":
        from gemeinsinn.socialreport.services.kompass import CONTACT, EDITORIAL

        return [(EDITORIAL, str(_("Vorwort"))), (CONTACT, str(_("Kontakt")))]
    return []


def texts(kind: str, year: int) -> dict[str, ChapterText]:
    """The saved texts of an edition by chapter slug."""
    return {
        text.chapter: text
        for text in ChapterText.objects.filter(kind=kind, year=year).select_related("updated_by")
    }


@transaction.atomic
def save_texts(kind: str, year: int, new_texts: dict[str, str], user) -> list[str]:
    """Save the changed texts of an edition (an empty text removes the chapter's text);
    returns the slugs of the chapters that changed."""
    known = dict(chapters(kind))
    saved = {
        text.chapter: text
        for text in ChapterText.objects.select_for_update().filter(kind=kind, year=year)
    }
    changed = []
    for slug, text in new_texts.items():
        if slug not in known:
            raise ValueError(f"unknown chapter {slug!r} of {kind}")
        text = text.replace("\r\n", "\n").strip()
        current = saved.get(slug)
        if (current.text if current else "") == text:
            continue
        changed.append(slug)
        if not text:
            current.delete()
        elif current is None:
            ChapterText.objects.create(
                kind=kind, year=year, chapter=slug, text=text, updated_by=user
            )
        else:
            current.text, current.updated_by = text, user
            current.save(update_fields=["text", "updated_by", "updated_at"])
    return changed
