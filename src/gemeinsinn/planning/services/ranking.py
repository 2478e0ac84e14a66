"""The need ranking ("Verdichtung") of the areas of a level and year from the social index,
chosen indicators and the ideas of the citizens; saving it."""

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from gemeinsinn.analysis import ranking as core
from gemeinsinn.analysis.confidentiality import format_published
from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.core.models import CityProfile, record
from gemeinsinn.ideas.models import Category
from gemeinsinn.ideas.services import public_ideas
from gemeinsinn.monitoring.default_catalogue import POPULATION
from gemeinsinn.monitoring.models import IndexRun, Indicator, Value
from gemeinsinn.monitoring.publication import _stored as stored_values
from gemeinsinn.monitoring.publication import decimals, protected_values
from gemeinsinn.planning.models import RankedArea, SavedRanking

STATUS = "index:status"
DYNAMICS = "index:dynamics"
IDEAS = "ideas:per_1000"
IDEAS_INDICATOR = "ideen_je_1000"  # used instead of counting when the monitoring holds it
INDICATOR = "indicator:"


class PlanningError(Exception):
    """A planning action that cannot be done; the message (German) says why and what to do."""


@dataclass(frozen=True)
class Source:
    """A component the planner can weigh: the social index, an indicator or the ideas."""

    code: str
    label: str
    group: str  # "Sozialindex", "Indikatoren", "Beteiligung"
    default_weight: float
    higher_is_worse: bool
    unit: str = ""
    decimals: int = 1
    indicator: Indicator | None = None


@dataclass(frozen=True)
class Choice:
    code: str
    weight: float
    higher_is_worse: bool

    def as_json(self) -> dict:
        return {"code": self.code, "weight": self.weight, "higher_is_worse": self.higher_is_worse}


@dataclass
class RankedRow:
    area: Area
    rank: int | None
    score: float | None
    explanation: str
    cells: list[str]  # shown values (confidentiality applied), aligned with the sources


@dataclass
class NeedRanking:
    level: SpatialLevel
    year: int
    sources: list[Source]  # the active components, in the order of the table
    rows: list[RankedRow]  # ranked areas first (by rank), then the others
    left_out: list[tuple[Area, str]]  # areas not ranked and why
    index_run: IndexRun | None
    input_checksum: str
    warnings: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)


def levels_query():
    """The levels of the hierarchy that can be ranked (not the free target areas)."""
    return SpatialLevel.objects.filter(is_target_area=False).order_by("order")


def years(level: SpatialLevel) -> list[int]:
    return sorted(
        Value.objects.filter(area__level=level, indicator__code=POPULATION)
        .values_list("year", flat=True)
        .distinct()
    )


def index_run_for(level: SpatialLevel, year: int) -> IndexRun | None:
    """The latest stored index run of the level for the year."""
    return (
        IndexRun.objects.filter(definition__level=level, year=year)
        .select_related("definition")
        .order_by("-created_at", "-pk")
        .first()
    )


def sources(level: SpatialLevel, year: int) -> list[Source]:
    """Everything that can enter the ranking for the level and year."""
    found = []
    run = index_run_for(level, year)
    if run is not None:
        found.append(Source(STATUS, _("Sozialindex Status"), _("Sozialindex"), 1.0, True, "", 2))
        if run.results.filter(dynamics_index__isnull=False).exists():
            found.append(
                Source(DYNAMICS, _("Sozialindex Dynamik"), _("Sozialindex"), 1.0, True, "", 2)
            )
    with_values = set(
        Value.objects.filter(area__level=level, year=year, value__isnull=False)
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    indicators = Indicator.objects.filter(pk__in=with_values).exclude(kind="count")
    for indicator in indicators.order_by("topic", "name"):
        if indicator.code == IDEAS_INDICATOR:
            continue
        found.append(
            Source(
                INDICATOR + indicator.code,
                indicator.name,
                _("Indikatoren"),
                0.0,
                indicator.higher_is_worse is not False,
                indicator.unit,
                decimals(indicator),
                indicator,
            )
        )
    found.append(Source(IDEAS, _("Ideen je 1 000 Einwohnende"), _("Beteiligung"), 0.0, True))
    for category in Category.objects.filter(is_active=True):
        found.append(
            Source(
                f"{IDEAS}:{category.pk}",
                _("Ideen zu %(field)s je 1 000 Einwohnende") % {"field": category.name},
                _("Beteiligung"),
                0.0,
                True,
            )
        )
    return found


def default_choices(available: list[Source]) -> list[Choice]:
    return [Choice(s.code, s.default_weight, s.higher_is_worse) for s in available]


def ideas_per_1000(
    level: SpatialLevel, year: int, areas: list[Area], category: Category | None = None
) -> np.ndarray:
    """Visible ideas (of one field of action, or all) submitted since the start of the year per
    1 000 residents of the year: statistics come a year late, the ideas of the months since
    belong to the same picture. Ideas of finer areas count for the area of the level that
    contains them. The total comes from the monitoring when it holds ``ideen_je_1000``."""
    if category is None:
        stored = _stored(IDEAS_INDICATOR, year, areas)
        if np.isfinite(stored).any():
            return stored
    ideas = public_ideas().filter(created_at__year__gte=year, area__isnull=False)
    if category is not None:
        ideas = ideas.filter(category=category)
    parent_of = dict(Area.objects.values_list("id", "parent_id"))
    positions = {area.pk: i for i, area in enumerate(areas)}
    counts = np.zeros(len(areas))
    for row in ideas.values("area_id").annotate(n=Count("id")).order_by():
        area_id = row["area_id"]
        while area_id is not None and area_id not in positions:
            area_id = parent_of.get(area_id)
        if area_id is not None:
            counts[positions[area_id]] += row["n"]
    population = _stored(POPULATION, year, areas)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(population > 0, counts / population * 1000, np.nan)


def _stored(code: str, year: int, areas: list[Area]) -> np.ndarray:
    return stored_values([code], year, areas)[code]


def _index_values(run: IndexRun, areas: list[Area], field_name: str) -> np.ndarray:
    positions = {area.pk: i for i, area in enumerate(areas)}
    result = np.full(len(areas), np.nan)
    for area_id, value in run.results.values_list("area_id", field_name):
        if value is not None and area_id in positions:
            result[positions[area_id]] = value
    return result


def _raw_values(source: Source, level, year, areas, run) -> np.ndarray:
    if source.code == STATUS:
        return _index_values(run, areas, "status_index")
    if source.code == DYNAMICS:
        return _index_values(run, areas, "dynamics_index")
    if source.code == IDEAS:
        return ideas_per_1000(level, year, areas)
    if source.code.startswith(IDEAS + ":"):
        category = Category.objects.get(pk=source.code.rsplit(":", 1)[1])
        return ideas_per_1000(level, year, areas, category)
    return _stored(source.indicator.code, year, areas)


def _shown_values(source: Source, raw: np.ndarray, year, areas, rules) -> np.ndarray:
    """What may be shown: indicators through the monitoring's confidentiality rules."""
    if source.indicator is None:
        return raw
    shown, _withheld = protected_values(source.indicator, year, areas, rules)
    return shown


def _text(value: float, source: Source, rules) -> str:
    if not np.isfinite(value):
        return rules.mark
    text = format_published(value, rules, source.decimals)
    return f"{text} {source.unit}".strip() if source.unit else text


def _checksum(area_keys: list[str], matrix: dict[str, np.ndarray], choices: list[Choice]) -> str:
    payload = {
        "areas": area_keys,
        "choices": [c.as_json() for c in choices],
        "values": {
            code: [None if np.isnan(v) else repr(float(v)) for v in values]
            for code, values in sorted(matrix.items())
        },
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def checked_choices(available: list[Source], choices: list[Choice]) -> list[Choice]:
    known = {s.code for s in available}
    unknown = [c.code for c in choices if c.code not in known]
    if unknown:
        raise PlanningError(
            _(
                "Für diese Ebene und dieses Jahr gibt es keine Werte zu: %(codes)s. Bitte die "
                "Auswahl prüfen oder zuerst die Daten einspielen."
            )
            % {"codes": ", ".join(unknown)}
        )
    return [c for c in choices if c.weight > 0]


def need_ranking(level: SpatialLevel, year: int, choices: list[Choice]) -> NeedRanking:
    """Rank the areas of the level for the year; areas below the city's minimum population
    (confidentiality rules) are listed but not ranked."""
    available = sources(level, year)
    active = checked_choices(available, choices)
    by_code = {s.code: s for s in available}
    rules = CityProfile.current().confidentiality_rules()
    run = index_run_for(level, year)
    all_areas = list(Area.objects.filter(level=level).order_by("key"))
    if not all_areas:
        raise PlanningError(_("Die Ebene „%(level)s“ hat keine Gebiete.") % {"level": level})
    population = _stored(POPULATION, year, all_areas)
    eligible = population >= rules.min_population
    areas = [a for a, ok in zip(all_areas, eligible, strict=True) if ok]
    left_out = [
        (a, _("weniger als %(min)s Einwohnende oder Einwohnerzahl unbekannt")
         % {"min": rules.min_population})
        for a, ok in zip(all_areas, eligible, strict=True) if not ok
    ]  # fmt: skip
    if len(areas) < 2:
        raise PlanningError(
            _("Für %(year)s haben weniger als zwei Gebiete der Ebene „%(level)s“ Einwohnerzahlen "
              "über der Mindestgröße: eine Rangfolge ist nicht möglich.")
            % {"year": year, "level": level}
        )  # fmt: skip
    selected = [by_code[c.code] for c in active]
    matrix = {s.code: _raw_values(s, level, year, areas, run) for s in selected}
    try:
        result = core.compute_ranking(
            [a.key for a in areas],
            [
                core.Component(c.code, by_code[c.code].label, matrix[c.code], c.weight,
                               c.higher_is_worse)
                for c in active
            ],
        )  # fmt: skip
    except core.RankingInputError as error:
        raise PlanningError(str(error)) from error
    shown = {s.code: _shown_values(s, matrix[s.code], year, areas, rules) for s in selected}
    # With exactly one value withheld, the mean and the other values would give it away
    # (the secondary suppression rule of the monitoring); the index needs no mean (it is 0).
    means = {
        code: _text(result.standards[code].mean, by_code[code], rules)
        if result.standards[code]
        and code not in (STATUS, DYNAMICS)
        and (np.isfinite(matrix[code]) & ~np.isfinite(values)).sum() != 1
        else ""
        for code, values in shown.items()
    }
    rows = []
    for row, area in enumerate(areas):
        parts = [
            (
                part,
                core.Shown(
                    by_code[part.code].label,
                    _text(shown[part.code][row], by_code[part.code], rules)
                    if np.isfinite(shown[part.code][row])
                    else "",
                    means[part.code],
                ),
            )
            for part in result.top(row)
        ]
        rank = int(result.rank[row]) or None
        explanation = core.explain(rank or 0, parts)
        missing = [by_code[code].label for code in result.missing(row)]
        if missing and rank:
            explanation += _("; ohne Wert (als Mittel gezählt): %(labels)s") % {
                "labels": ", ".join(missing)
            }
        rows.append(
            RankedRow(
                area,
                rank,
                None if np.isnan(result.score[row]) else float(result.score[row]),
                explanation,
                [_text(shown[s.code][row], s, rules) for s in selected],
            )
        )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.area.key))
    return NeedRanking(
        level=level,
        year=year,
        sources=selected,
        rows=rows,
        left_out=left_out,
        index_run=run,
        input_checksum=_checksum([a.key for a in areas], matrix, active),
        warnings=list(result.warnings),
        choices=active,
    )


def save_ranking(name: str, ranking: NeedRanking, user=None) -> SavedRanking:
    name = (name or "").strip()
    if not name:
        raise PlanningError(_("Bitte der Rangfolge einen Namen geben, z. B. „Verdichtung 2025“."))
    if len(name) > 200:
        raise PlanningError(_("Der Name ist zu lang: höchstens 200 Zeichen."))
    with transaction.atomic():
        saved = SavedRanking.objects.create(
            name=name,
            level=ranking.level,
            year=ranking.year,
            components=[
                {**c.as_json(), "label": source.label}
                for c, source in zip(ranking.choices, ranking.sources, strict=True)
            ],
            index_run=ranking.index_run,
            input_checksum=ranking.input_checksum,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        RankedArea.objects.bulk_create(
            RankedArea(
                ranking=saved, area=row.area, rank=row.rank, score=row.score,
                explanation=row.explanation,
            )
            for row in ranking.rows
        )  # fmt: skip
        record(
            "planning.ranking",
            _("Rangfolge „%(name)s“ gespeichert (%(level)s, %(year)s)")
            % {"name": name, "level": ranking.level, "year": ranking.year},
            actor=user,
            ranking=saved.pk,
            input_checksum=saved.input_checksum,
        )
    return saved


def saved_choices(saved: SavedRanking) -> list[Choice]:
    return [
        Choice(entry["code"], float(entry["weight"]), bool(entry["higher_is_worse"]))
        for entry in saved.components
    ]
