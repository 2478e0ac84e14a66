"""Report periods of the Kompass (a half-year such as "2025-H1" or a whole year) and the
report languages (German, English and Leichte Sprache)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.socialreport.services import ReportError

LEICHTE_SPRACHE = "de-ls"
KOMPASS_LANGUAGES = ("de", "en", LEICHTE_SPRACHE)
PLAN_LANGUAGES = ("de", "en")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    year: int
    half: int | None  # 1 or 2; None: the whole year

    @property
    def code(self) -> str:
        return f"{self.year}-H{self.half}" if self.half else str(self.year)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def start(self) -> dt.datetime:
        """The first moment of the period (local time of the installation)."""
        return _midnight(self.first_day)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period."""
        return _midnight(self.last_day + dt.timedelta(days=1))

    def is_running(self, now: dt.datetime | None = None) -> bool:
        return self.start <= (now or timezone.now()) < self.end

    @property
    def label(self) -> str:
        if self.half == 1:
            return _("1. Halbjahr %(year)s") % {"year": self.year}
        if self.half == 2:
            return _("2. Halbjahr %(year)s") % {"year": self.year}
        return str(self.year)

    def previous(self) -> Period:
        if self.half == 2:
            return Period(self.year, 1)
        if self.half == 1:
            return Period(self.year - 1, 2)
        return Period(self.year - 1, None)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def parse_period(year: int, text: str | None) -> Period:
    """ "2025-H1", "2025-H2", "2025" or nothing (the whole year); the year must be the
    report's year."""
    text = (text or "").strip()
    if not text:
        return Period(year, None)
    half = _HALF.match(text.upper())
    whole = _YEAR.match(text)
    if not (half or whole):
        raise ReportError(
            _("Den Zeitraum „%(period)s“ gibt es nicht. Möglich sind ein Halbjahr wie "
              "%(year)s-H1 oder %(year)s-H2 oder das ganze Jahr (Zeitraum weglassen).")
            % {"period": text, "year": year}
        )  # fmt: skip
    found = int((half or whole).group(1))
    if found != year:
        raise ReportError(
            _("Der Zeitraum „%(period)s“ liegt nicht im Berichtsjahr %(year)s. Wählen Sie "
              "%(year)s-H1, %(year)s-H2 oder das Jahr %(found)s.")
            % {"period": text, "year": year, "found": found}
        )  # fmt: skip
    return Period(year, int(half.group(2)) if half else None)


def period_from_code(code: str) -> Period:
    """A period from its code alone (web addresses such as /kompass/2025-H2/)."""
    match = _HALF.match(code.upper()) or _YEAR.match(code)
    if not match:
        return parse_period(timezone.localdate().year, code)  # raises with the accepted form
    return parse_period(int(match.group(1)), code)


def latest_period(today: dt.date | None = None) -> Period:
    """The half-year that is running now."""
    today = today or timezone.localdate()
    return Period(today.year, 1 if today.month <= 6 else 2)


def check_language(language: str, allowed: tuple[str, ...]) -> str:
    if language not in allowed:
        raise ReportError(
            _("Die Sprache „%(language)s“ gibt es für diesen Bericht nicht. Möglich sind: "
              "%(languages)s.") % {"language": language, "languages": ", ".join(allowed)}
        )  # fmt: skip
    return language
