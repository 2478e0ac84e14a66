"""Findings in plain language, computed from the published numbers of one indicator (pure,
no Django).

The functions here decide which facts hold — how many areas lie far above the city's value,
which areas have the highest and lowest value, how the city's value changed, how many values
are withheld — and return them as :class:`Finding` objects: a key and the numbers and names
that go into the sentence. :func:`write` turns findings into sentences with templates the
caller passes in (the report passes translated templates and a number format), so that the
wording stays translatable and the facts stay testable as numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# an area lies "far above" the city when its value exceeds the city's by more than this share
FAR_ABOVE = 0.5


@dataclass(frozen=True)
class Finding:
    key: str
    count: int = 0  # chooses singular or plural where the sentence depends on a number
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorNumbers:
    """The published numbers of one indicator for the areas of a level in one year."""

    names: Sequence[str]  # area names, in the order of ``values``
    values: Sequence[float | None]  # published values; None where withheld or missing
    withheld: int  # number of values withheld for confidentiality
    city: float | None  # the city's value in the year
    city_series: Sequence[tuple[int, float | None]]  # (year, city value), oldest first
    year: int
    decimals: int = 1  # decimals as printed: a change that rounds to zero is "unchanged"
    is_count: bool = False  # counts: no comparison with the city (areas differ in size)


def far_above(values: Sequence[float | None], city: float) -> list[int]:
    """Positions of the published values more than FAR_ABOVE above the city's value."""
    limit = city * (1 + FAR_ABOVE)
    return [i for i, v in enumerate(values) if v is not None and v > limit]


def extremes(names: Sequence[str], values: Sequence[float | None]):
    """(names with the highest value, highest, names with the lowest value, lowest)."""
    present = [(n, v) for n, v in zip(names, values, strict=True) if v is not None]
    high = max(v for _n, v in present)
    low = min(v for _n, v in present)
    return [n for n, v in present if v == high], high, [n for n, v in present if v == low], low


def _change(key: str, since: int, before: float, now: float, decimals: int) -> Finding:
    """A change as the reader sees it: between the values rounded as printed, so that the
    sentence and the printed values agree to the last digit."""
    before, now = round(before, decimals), round(now, decimals)
    difference = round(now - before, decimals)
    direction = "same" if difference == 0 else ("rise" if difference > 0 else "fall")
    return Finding(
        f"{key}_{direction}",
        values={"since": since, "before": before, "now": now, "difference": abs(difference)},
    )


def change_findings(numbers: IndicatorNumbers) -> list[Finding]:
    """The city's change since the previous year and since the first year with a value."""
    known = [(y, v) for y, v in numbers.city_series if v is not None and y <= numbers.year]
    if numbers.city is None or len(known) < 2 or known[-1][0] != numbers.year:
        return []
    findings = []
    previous_year, previous = known[-2]
    if previous_year == numbers.year - 1:
        findings.append(
            _change("change_previous", previous_year, previous, numbers.city, numbers.decimals)
        )
    first_year, first = known[0]
    if first_year < numbers.year - 1:
        findings.append(_change("change_first", first_year, first, numbers.city, numbers.decimals))
    return findings


def indicator_findings(numbers: IndicatorNumbers) -> list[Finding]:
    """Every finding that holds for the indicator, in the order of the text."""
    findings: list[Finding] = []
    published = [v for v in numbers.values if v is not None]
    total = len(numbers.values)
    comparable = not numbers.is_count and numbers.city is not None and numbers.city > 0
    if comparable and len(published) >= 2:
        above = far_above(numbers.values, numbers.city)
        values = {
            "total": len(published),
            "city": numbers.city,
            "names": [numbers.names[i] for i in above],
        }
        if not above:
            key = "none_far_above"
        elif len(published) < total:
            key = "far_above_of_published"
        else:
            key = "far_above"
        findings.append(Finding(key, len(above), values))
    if len(published) >= 2:
        highest, high, lowest, low = extremes(numbers.names, numbers.values)
        if high != low:
            findings.append(
                Finding(
                    "extremes",
                    len(highest),
                    {"highest": highest, "high": high, "lowest": lowest, "low": low},
                )
            )
    findings.extend(change_findings(numbers))
    if numbers.withheld:
        findings.append(Finding("withheld", numbers.withheld, {}))
    return findings


def class_findings(classes: Mapping[str, int | None], class_order: Sequence[int]) -> list[Finding]:
    """How many areas (by name) fall into each class, for the classes in ``class_order``;
    areas with None are not classified (e.g. too few residents)."""
    total = sum(1 for c in classes.values() if c is not None)
    findings = []
    for number in class_order:
        names = sorted(name for name, c in classes.items() if c == number)
        findings.append(Finding(f"class_{number}", len(names), {"total": total, "names": names}))
    return findings


Template = str | tuple[str, str]  # one template, or (singular, plural)


def write(
    findings: Sequence[Finding],
    templates: Mapping[str, Template],
    prepare: Callable[[Finding], dict[str, Any]],
) -> list[str]:
    """Sentences from findings: ``prepare`` turns a finding's numbers and names into the
    texts the template needs (formatted numbers, joined names); a (singular, plural) template
    is chosen by ``Finding.count``. Findings without a template are left out."""
    sentences = []
    for finding in findings:
        template = templates.get(finding.key)
        if template is None:
            continue
        if isinstance(template, tuple):
            template = template[0] if finding.count == 1 else template[1]
        sentences.append(template % prepare(finding))
    return sentences


def join_names(names: Sequence[str], conjunction: str = "und") -> str:
    """ "A", "A und B", "A, B und C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"
