"""The methods and sources appendix of the Sozialbericht: indicator definitions, the data
deliveries with their checksums, the confidentiality rules applied, and a checksum of every
published number of the report (so that two printed editions can be compared)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gemeinsinn.core.models import CityProfile
from gemeinsinn.monitoring.models import Dataset, Indicator
from gemeinsinn.monitoring.services import parse_formula
from gemeinsinn.socialreport.services.sozialbericht_text import number
from gemeinsinn.socialreport.services.sozialbericht_topics import IndicatorSection
from gemeinsinn.surveys.results import MIN_GROUP


@dataclass
class Definition:
    name: str
    kind: str
    numerator: str
    denominator: str
    description: str
    source: str


def definitions(sections: list[IndicatorSection]) -> list[Definition]:
    names = dict(Indicator.objects.values_list("code", "name"))
    result = []
    for indicator in sorted({id(s.indicator): s.indicator for s in sections}.values(), key=str):
        numerator = denominator = ""
        if indicator.is_computed:
            numerator = " ".join(
                f"{'−' if sign < 0 else ('+' if i else '')} {names.get(code, code)}".strip()
                for i, (sign, code) in enumerate(parse_formula(indicator.numerator))
            )
            denominator = names.get(indicator.denominator, indicator.denominator)
            if indicator.previous_year_denominator:
                denominator = _("%(name)s (Vorjahr)") % {"name": denominator}
            if indicator.factor != 1:
                denominator += " " + _("(mal %(factor)s)") % {"factor": number(indicator.factor, 0)}
        result.append(
            Definition(
                indicator.name,
                indicator.get_kind_display(),
                numerator,
                denominator,
                indicator.description,
                indicator.source,
            )
        )
    return result


def datasets() -> list[Dataset]:
    return list(
        Dataset.objects.filter(status="imported")
        .select_related("level")
        .order_by("kind", "level__order", "year", "created_at")
    )


def confidentiality_rules() -> list[str]:
    rules = CityProfile.current().confidentiality_rules()
    lines = [
        _("Gebiete mit weniger als %(min)s Einwohnenden zeigen keine Werte.")
        % {"min": number(rules.min_population, 0)},
        _("Anzahlen von 1 bis %(max)s werden nicht veröffentlicht; 0 wird gezeigt.")
        % {"max": rules.min_count - 1},
        _("Anteile mit einem Nenner unter %(min)s werden nicht veröffentlicht.")
        % {"min": rules.min_denominator},
        _("Nicht veröffentlichte Werte sind mit „%(mark)s“ gekennzeichnet.") % {"mark": rules.mark},
        _("Umfrageergebnisse eines Gebiets mit weniger als %(min)s Antworten werden nicht gezeigt.")
        % {"min": MIN_GROUP},
    ]
    if rules.secondary_suppression:
        lines.insert(
            2,
            _(
                "Sekundäre Geheimhaltung: Wo Summen veröffentlicht werden, wird zusätzlich der "
                "kleinste ergänzende Wert gesperrt, damit sich gesperrte Werte nicht "
                "zurückrechnen lassen."
            ),
        )
    if rules.rounding_base:
        lines.append(
            _("Anzahlen werden auf Vielfache von %(base)s gerundet.")
            % {"base": rules.rounding_base}
        )
    return lines


def published_checksum(sections: list[IndicatorSection]) -> str:
    """SHA-256 over every published cell of the chapters (indicator, area, text)."""
    digest = hashlib.sha256()
    for section in sections:
        for row in section.rows:
            digest.update(f"{section.indicator.code}\t{row.area.key}\t{row.cell.text}\n".encode())
        digest.update(f"{section.indicator.code}\t*\t{section.city.text}\n".encode())
    return digest.hexdigest()
