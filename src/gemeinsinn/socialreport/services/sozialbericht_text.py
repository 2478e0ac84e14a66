"""The wording of the Sozialbericht's findings: translatable sentence templates for the facts
that analysis/findings.py computes, and numbers in the report language's format."""

from __future__ import annotations

from babel.numbers import get_decimal_symbol, get_group_symbol
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from gemeinsinn.analysis import findings as facts
from gemeinsinn.analysis.number_text import format_decimal
from gemeinsinn.monitoring.models import Indicator
from gemeinsinn.monitoring.publication import decimals as indicator_decimals

# at most this many area names are listed in a sentence; more are only counted
LISTED_NAMES = 6

FAR_ABOVE = gettext_lazy(
    "In %(count)s von %(total)s %(areas_dative)s liegt der Wert mehr als 50 %% über dem "
    "städtischen Durchschnitt von %(city)s%(named)s."
)
TEMPLATES = {
    "far_above": FAR_ABOVE,
    "far_above_of_published": gettext_lazy(
        "In %(count)s von %(total)s %(areas_dative)s mit veröffentlichtem Wert liegt der Wert "
        "mehr als 50 %% über dem städtischen Durchschnitt von %(city)s%(named)s."
    ),
    "none_far_above": gettext_lazy(
        "In keinem der %(total)s %(areas_plural)s mit veröffentlichtem Wert liegt der Wert mehr "
        "als 50 %% über dem städtischen Durchschnitt von %(city)s."
    ),
    "extremes": (
        gettext_lazy(
            "Den höchsten Wert hat %(highest)s (%(high)s), den niedrigsten %(lowest)s (%(low)s)."
        ),
        gettext_lazy(
            "Den höchsten Wert haben %(highest)s (%(high)s), den niedrigsten %(lowest)s (%(low)s)."
        ),
    ),
    "change_previous_rise": gettext_lazy(
        "Gegenüber %(since)s ist der städtische Wert um %(difference)s gestiegen, auf %(now)s."
    ),
    "change_previous_fall": gettext_lazy(
        "Gegenüber %(since)s ist der städtische Wert um %(difference)s gesunken, auf %(now)s."
    ),
    "change_previous_same": gettext_lazy(
        "Gegenüber %(since)s ist der städtische Wert gleich geblieben (%(now)s)."
    ),
    "change_first_rise": gettext_lazy(
        "Seit %(since)s (%(before)s) ist der städtische Wert um %(difference)s gestiegen."
    ),
    "change_first_fall": gettext_lazy(
        "Seit %(since)s (%(before)s) ist der städtische Wert um %(difference)s gesunken."
    ),
    "change_first_same": gettext_lazy(
        "Seit %(since)s ist der städtische Wert gleich geblieben (%(before)s)."
    ),
    "withheld": (
        gettext_lazy(
            "Für %(count)s %(area_singular)s wird der Wert zum Schutz vor Rückschlüssen auf "
            "einzelne Personen nicht veröffentlicht."
        ),
        gettext_lazy(
            "Für %(count)s %(areas_plural)s werden die Werte zum Schutz vor Rückschlüssen auf "
            "einzelne Personen nicht veröffentlicht."
        ),
    ),
}
COUNT_TEMPLATES = TEMPLATES | {
    "change_previous_rise": gettext_lazy(
        "Gegenüber %(since)s ist die Zahl in der Stadt um %(difference)s gestiegen, auf %(now)s."
    ),
    "change_previous_fall": gettext_lazy(
        "Gegenüber %(since)s ist die Zahl in der Stadt um %(difference)s gesunken, auf %(now)s."
    ),
    "change_previous_same": gettext_lazy(
        "Gegenüber %(since)s ist die Zahl in der Stadt gleich geblieben (%(now)s)."
    ),
    "change_first_rise": gettext_lazy(
        "Seit %(since)s (%(before)s) ist die Zahl in der Stadt um %(difference)s gestiegen."
    ),
    "change_first_fall": gettext_lazy(
        "Seit %(since)s (%(before)s) ist die Zahl in der Stadt um %(difference)s gesunken."
    ),
    "change_first_same": gettext_lazy(
        "Seit %(since)s ist die Zahl in der Stadt gleich geblieben (%(before)s)."
    ),
}
INDEX_TEMPLATES = {
    "class_4": (
        gettext_lazy(
            "Im Sozialindex %(year)s hat %(count)s von %(total)s %(areas_dative)s einen sehr "
            "niedrigen sozialen Status%(named)s."
        ),
        gettext_lazy(
            "Im Sozialindex %(year)s haben %(count)s von %(total)s %(areas_dative)s einen sehr "
            "niedrigen sozialen Status%(named)s."
        ),
    ),
    "class_3": (
        gettext_lazy(
            "%(count)s von %(total)s %(areas_dative)s hat einen niedrigen sozialen Status%(named)s."
        ),
        gettext_lazy(
            "%(count)s von %(total)s %(areas_dative)s haben einen niedrigen sozialen "
            "Status%(named)s."
        ),
    ),
}


def _locale() -> str:
    return (get_language() or "de").split("-")[0]


def number(value: float, decimals: int) -> str:
    """A number in the report language's format, rounded like the published tables
    (German: 1.234,5)."""
    locale = _locale()
    return format_decimal(
        value,
        decimals,
        decimal_mark=get_decimal_symbol(locale),
        group_mark=get_group_symbol(locale),
    )


def value_text(indicator: Indicator, value: float) -> str:
    """A value with its unit: "12,3 %", "1.234", "3,2 je 100 EW"."""
    text = number(value, indicator_decimals(indicator))
    if indicator.kind == "share":
        return f"{text}\u00a0%"
    if indicator.kind == "rate" and indicator.unit:
        return f"{text} {indicator.unit}"
    return text


def difference_text(indicator: Indicator, difference: float, before: float) -> str:
    """The size of a change: percentage points for shares, the unit for rates, the number and
    the relative change for counts."""
    text = number(difference, indicator_decimals(indicator))
    if indicator.kind == "share":
        return _("%(number)s Prozentpunkte") % {"number": text}
    if indicator.kind == "rate":
        return f"{text} {indicator.unit}".strip()
    if before:
        return f"{text} ({number(100 * difference / before, 1)}\u00a0%)"
    return text


def dative_plural(plural: str) -> str:
    """German dative plural of a level's plural name: Stadtteile → Stadtteilen."""
    return plural if plural.endswith(("n", "s")) else plural + "n"


def named(names: list[str]) -> str:
    """ ": A, B und C" after a count, when the names are few enough to list."""
    if not names or len(names) > LISTED_NAMES:
        return ""
    return ": " + facts.join_names(names, _("und"))


class Writer:
    """Sentences for one level: fills the templates with formatted numbers and names."""

    def __init__(self, level):
        self.level_words = {
            "area_singular": level.name,
            "areas_plural": level.plural,
            "areas_dative": dative_plural(level.plural),
        }

    def indicator(self, indicator: Indicator, found: list[facts.Finding]) -> list[str]:
        def prepare(finding: facts.Finding) -> dict:
            v = finding.values
            words = dict(self.level_words, count=finding.count)
            if "total" in v:
                words.update(
                    total=v["total"],
                    city=value_text(indicator, v["city"]),
                    named=named(v["names"]),
                )
            if "highest" in v:
                words.update(
                    highest=facts.join_names(v["highest"], _("und")),
                    high=value_text(indicator, v["high"]),
                    lowest=facts.join_names(v["lowest"], _("und")),
                    low=value_text(indicator, v["low"]),
                )
            if "since" in v:
                words.update(
                    since=v["since"],
                    before=value_text(indicator, v["before"]),
                    now=value_text(indicator, v["now"]),
                    difference=difference_text(indicator, v["difference"], v["before"]),
                )
            return words

        templates = COUNT_TEMPLATES if indicator.kind == "count" else TEMPLATES
        return facts.write(found, _evaluated(templates), prepare)

    def index(self, year: int, found: list[facts.Finding]) -> list[str]:
        def prepare(finding: facts.Finding) -> dict:
            return dict(
                self.level_words,
                count=finding.count,
                year=year,
                total=finding.values["total"],
                named=named(finding.values["names"]),
            )

        return facts.write([f for f in found if f.count], _evaluated(INDEX_TEMPLATES), prepare)


def _evaluated(templates: dict) -> dict:
    return {
        key: tuple(str(t) for t in value) if isinstance(value, tuple) else str(value)
        for key, value in templates.items()
    }
