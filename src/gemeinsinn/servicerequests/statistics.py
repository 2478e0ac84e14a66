"""The Mängelmelder as a district data source: reports per district and category, how fast
the administration answers and closes them, and how many are closed with an answer —
published as monitoring indicators so that they appear on every district profile.

Definitions (for the year in which a report was made, in the city's time zone):

- Duplicates are not counted: they are the same problem as another report.
- "Meldungen zu X je 1 000 Einwohnende": reports of category X per 1 000 residents.
- "Tage bis zur ersten Antwort" / "Tage bis zum Abschluss": the median over the reports
  that have an answer / are closed (erledigt or abgelehnt); at least MIN_FOR_MEDIAN reports,
  else no value.
- "Anteil mit Antwort abgeschlossen": reports closed with a public answer, in percent of all
  reports of the year.
"""

import datetime as dt
import re
import statistics as pystatistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area
from gemeinsinn.core.models import record
from gemeinsinn.formats.problems import InputError, Problem
from gemeinsinn.monitoring import services as monitoring
from gemeinsinn.monitoring.default_catalogue import POPULATION, WOHNEN
from gemeinsinn.monitoring.models import Indicator, Value
from gemeinsinn.servicerequests.models import DONE, DUPLICATE, REJECTED, Category, ServiceRequest

MIN_FOR_MEDIAN = 3
TOPIC = WOHNEN  # the catalogue has no topic of its own for the living environment yet
TOTAL = "mm_gesamt"
CLOSED_ANSWERED = "mm_mit_antwort_erledigt"
DAYS_FIRST_ANSWER = "mm_tage_erste_antwort"
DAYS_CLOSED = "mm_tage_abschluss"
SHARE_ANSWERED = "mm_anteil_mit_antwort_erledigt"
PER_1000 = "_je_1000"
SOURCE = "Mängelmelder der Stadt (gemeinsinn)"


@dataclass
class Tally:
    """What is known of the reports of one area (and one category, or all)."""

    reports: int = 0
    closed_answered: int = 0
    days_to_answer: list[float] = field(default_factory=list)
    days_to_close: list[float] = field(default_factory=list)

    def add(self, requested, first_answer, closed, status) -> None:
        self.reports += 1
        if first_answer is not None:
            self.days_to_answer.append((first_answer - requested).total_seconds() / 86400)
        if closed is not None and status in (DONE, REJECTED):
            self.days_to_close.append((closed - requested).total_seconds() / 86400)
            if first_answer is not None:
                self.closed_answered += 1

    @property
    def median_days_to_answer(self) -> float | None:
        return _median(self.days_to_answer)

    @property
    def median_days_to_close(self) -> float | None:
        return _median(self.days_to_close)

    @property
    def share_closed_answered(self) -> float | None:
        return 100.0 * self.closed_answered / self.reports if self.reports else None


def _median(values: list[float]) -> float | None:
    return float(pystatistics.median(values)) if len(values) >= MIN_FOR_MEDIAN else None


def category_slug(category: Category) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", category.code.lower()).strip("_")
    return (slug or f"k{category.pk}")[:40]


def count_code(category: Category) -> str:
    return f"mm_{category_slug(category)}"


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return start, end


def _ancestors() -> dict[int, list[int]]:
    """Every area of the hierarchy → itself and its parents up to the city."""
    parents = dict(Area.objects.filter(level__is_target_area=False).values_list("id", "parent_id"))
    chains = {}
    for area_id in parents:
        chain, current, seen = [], area_id, set()
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parents.get(current)
        chains[area_id] = chain
    return chains


def tallies(year: int) -> dict[tuple[int, int | None], Tally]:
    """(area id, category id or None for all categories) → Tally, for every area of the
    hierarchy that holds a report of the year (a report counts for its area and the areas
    above it)."""
    start, end = year_bounds(year)
    chains = _ancestors()
    result: dict[tuple[int, int | None], Tally] = defaultdict(Tally)
    rows = (
        ServiceRequest.objects.filter(
            requested_at__gte=start, requested_at__lt=end, area__isnull=False
        )
        .exclude(status=DUPLICATE)
        .values_list(
            "area_id", "category_id", "requested_at", "first_answer_at", "closed_at", "status"
        )  # fmt: skip
    )
    for area_id, category_id, requested, first_answer, closed, status in rows.iterator():
        for area in chains.get(area_id, [area_id]):
            result[(area, category_id)].add(requested, first_answer, closed, status)
            result[(area, None)].add(requested, first_answer, closed, status)
    return result


@dataclass(frozen=True)
class IndicatorPlan:
    code: str
    name: str
    kind: str
    unit: str
    numerator: str = ""
    denominator: str = ""
    factor: float = 100.0
    direction: str = "neutral"
    description: str = ""


def indicator_plans(categories: list[Category]) -> list[IndicatorPlan]:
    plans = []
    for category in [None, *categories]:
        code = TOTAL if category is None else count_code(category)
        subject = (
            _("Meldungen")
            if category is None
            else _("Meldungen zu %(name)s") % {"name": category.name}
        )
        plans.append(
            IndicatorPlan(
                code,
                subject if category is not None else _("Meldungen im Mängelmelder"),
                "count",
                _("Meldungen"),
                description=_("Meldungen im Mängelmelder im Jahr, ohne Duplikate."),
            )
        )
        plans.append(
            IndicatorPlan(
                code + PER_1000,
                _("%(subject)s je 1 000 Einwohnende") % {"subject": subject},
                "rate",
                _("je 1 000 EW"),
                numerator=code,
                denominator=POPULATION,
                factor=1000.0,
                direction="worse",
                description=_(
                    "Meldungen im Mängelmelder im Jahr (ohne Duplikate) je 1 000 Einwohnende."
                ),
            )
        )
    plans += [
        IndicatorPlan(
            CLOSED_ANSWERED,
            _("Mit Antwort abgeschlossene Meldungen"),
            "count",
            _("Meldungen"),
            description=_(
                "Meldungen des Jahres, die erledigt oder abgelehnt sind und eine "
                "öffentliche Antwort haben."
            ),  # fmt: skip
        ),
        IndicatorPlan(
            SHARE_ANSWERED,
            _("Anteil der Meldungen, die mit Antwort abgeschlossen sind"),
            "share",
            "%",
            numerator=CLOSED_ANSWERED,
            denominator=TOTAL,
            direction="better",
            description=_(
                "Mit öffentlicher Antwort erledigte oder abgelehnte Meldungen in Prozent aller "
                "Meldungen des Jahres (ohne Duplikate)."
            ),
        ),
        IndicatorPlan(
            DAYS_FIRST_ANSWER,
            _("Tage bis zur ersten Antwort auf eine Meldung (Median)"),
            "rate",
            _("Tage"),
            direction="worse",
            description=_(
                "Median der Tage von der Meldung bis zur ersten öffentlichen Antwort, über die "
                "beantworteten Meldungen des Jahres; erst ab %(min)d Meldungen."
            )
            % {"min": MIN_FOR_MEDIAN},
        ),
        IndicatorPlan(
            DAYS_CLOSED,
            _("Tage bis zum Abschluss einer Meldung (Median)"),
            "rate",
            _("Tage"),
            direction="worse",
            description=_(
                "Median der Tage von der Meldung bis „erledigt“ oder „abgelehnt“, über die "
                "abgeschlossenen Meldungen des Jahres; erst ab %(min)d Meldungen."
            )
            % {"min": MIN_FOR_MEDIAN},
        ),
    ]
    return plans


def ensure_indicators(categories: list[Category]) -> dict[str, Indicator]:
    """Create the Mängelmelder indicators that are missing; a planner's edits are kept."""
    indicators = {}
    for plan in indicator_plans(categories):
        indicators[plan.code], _created = Indicator.objects.get_or_create(
            code=plan.code,
            defaults={
                "name": plan.name[:200],
                "topic": TOPIC,
                "kind": plan.kind,
                "unit": plan.unit,
                "numerator": plan.numerator,
                "denominator": plan.denominator,
                "factor": plan.factor,
                "direction": plan.direction,
                "description": plan.description,
                "source": SOURCE,
            },
        )
    return indicators


def update_indicators(year: int, user=None) -> int:
    """Write the year's Mängelmelder indicators for every area of the hierarchy and compute
    the rates and shares; returns the number of values written. Needs the residents of the
    year at the finest level (the rates refer to them, and the district profile shows the
    latest year of the statistics)."""
    level = area_services.finest_level()
    if level is None:
        raise InputError([Problem(_("Es gibt noch keine Gebiete; zuerst Grenzen importieren."))])
    has_population = Value.objects.filter(
        indicator__code=POPULATION, year=year, area__level=level, value__isnull=False
    ).exists()
    if not has_population:
        raise InputError(
            [
                Problem(
                    _(
                        "Für %(year)d gibt es keine Einwohnerzahlen der Ebene %(level)s. Die "
                        "Kennzahlen des Mängelmelders werden je 1 000 Einwohnende gerechnet: "
                        "Importieren Sie zuerst die Statistik des Jahres %(year)d."
                    )
                    % {"year": year, "level": level.name}
                )
            ]
        )
    categories = list(Category.objects.order_by("order", "code"))
    counted = tallies(year)
    levels = area_services.hierarchy_levels()
    areas = list(Area.objects.filter(level__in=levels).values_list("id", flat=True))
    with transaction.atomic():
        indicators = ensure_indicators(categories)
        rows = []
        for area_id in areas:
            total = counted.get((area_id, None), Tally())
            rows.append((indicators[TOTAL].pk, area_id, year, float(total.reports), ""))
            rows.append(
                (indicators[CLOSED_ANSWERED].pk, area_id, year, float(total.closed_answered), "")
            )
            for code, value in (
                (DAYS_FIRST_ANSWER, total.median_days_to_answer),
                (DAYS_CLOSED, total.median_days_to_close),
            ):
                rows.append(
                    (
                        indicators[code].pk,
                        area_id,
                        year,
                        value,
                        "" if value is not None else "missing",
                    )  # fmt: skip
                )
            for category in categories:
                tally = counted.get((area_id, category.pk), Tally())
                rows.append(
                    (indicators[count_code(category)].pk, area_id, year, float(tally.reports), "")
                )
        monitoring.upsert_values(monitoring.value_frame([(*row, None) for row in rows]))
        for spatial_level in levels:
            monitoring.recompute_derived(spatial_level, [year])
        record(
            "servicerequests.indicators",
            _("Kennzahlen des Mängelmelders %(year)d für %(areas)d Gebiete geschrieben")
            % {"year": year, "areas": len(areas)},
            actor=user,
            year=year,
        )
    return len(rows)


@dataclass(frozen=True)
class DistrictRow:
    area: Area
    total: Tally
    by_category: dict[int, Tally]


def district_table(year: int, level=None) -> list[DistrictRow]:
    """One row per area of the level (default: the finest), for the statistics page."""
    level = level or area_services.finest_level()
    if level is None:
        return []
    counted = tallies(year)
    categories = list(Category.objects.values_list("id", flat=True))
    rows = []
    for area in Area.objects.filter(level=level).order_by("key"):
        rows.append(
            DistrictRow(
                area,
                counted.get((area.pk, None), Tally()),
                {c: counted.get((area.pk, c), Tally()) for c in categories},
            )
        )
    return rows
