"""The Handlungskonzept document: the integrated action plan as a report, suitable as an annex
to a funding application — summary, target areas with map and recorded reasons, per field of
action its goals (targets, SDGs, progress and trend) and its tree of measures, budget and
funding tables by year, the funding programmes with their approval and the milestones.

All measures of the plan are printed (also those not shown on the public pages, marked as
such), so that every table adds up to the plan's budget and funding."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gemeinsinn.areas.models import Area
from gemeinsinn.areas.services import finest_level
from gemeinsinn.core.models import CityProfile
from gemeinsinn.ideas.models import Category
from gemeinsinn.monitoring.maps import MapData, class_map
from gemeinsinn.planning.models import Funding, Goal, Measure, Milestone, TargetArea
from gemeinsinn.planning.services import (
    GoalProgress,
    MoneyTable,
    Node,
    active_target_areas,
    budget_by_field,
    flatten,
    funding_by_source,
    goal_progress,
    plan_tree,
)
from gemeinsinn.socialreport.services import Document, Progress, ReportRequest
from gemeinsinn.socialreport.services.periods import PLAN_LANGUAGES, check_language

GOAL_YEARS = 5  # the goals' indicators over the last five years up to the report's year
REJECTED = "abgelehnt"
MUNICIPAL = "kommune"


@dataclass
class GoalRow:
    progress: GoalProgress
    trend_inside: float | None
    trend_rest: float | None

    @property
    def goal(self) -> Goal:
        return self.progress.goal

    @property
    def points(self):
        return [p for p in self.progress.points if p.target_areas is not None or p.rest is not None]


@dataclass
class FieldChapter:
    field: Category
    anchor: str
    goals: list[GoalRow]
    nodes: list[Node]  # programmes, measures and steps of the field, depth first
    budget: Decimal


@dataclass
class ProgrammeRow:
    source: str
    programme: str
    approval: str
    amounts: list[Decimal]
    total: Decimal


@dataclass
class Summary:
    programmes: int
    measures: int
    steps: int
    budget: Decimal
    funding: Decimal  # all funding that is not rejected
    external: Decimal  # of it: Land, Bund, EU and third parties
    approved: Decimal  # of all funding: approved

    @property
    def external_share(self) -> float | None:
        return float(self.external / self.funding * 100) if self.funding else None


def compose(request: ReportRequest, progress: Progress) -> Document:
    language = check_language(request.language, PLAN_LANGUAGES)
    city = CityProfile.current().name
    fields = list(Category.objects.filter(measures__isnull=False).distinct().order_by("order"))
    steps = len(fields) + 2
    progress(0, steps, _("Handlungskonzept: Fördergebiete"))
    targets = list(active_target_areas().select_related("index_run", "ranking"))
    nodes = _prefetched(flatten(plan_tree()))
    budget = budget_by_field()
    years = list(range(request.year - GOAL_YEARS + 1, request.year + 1))
    chapters = []
    for number, field in enumerate(fields, start=1):
        progress(number, steps, _("Handlungskonzept: %(field)s") % {"field": field.name})
        chapters.append(_chapter(field, number, nodes, years))
    progress(steps - 1, steps, _("Handlungskonzept: Finanzierung"))
    funding = funding_by_source()
    context = {
        "city": city,
        "year": request.year,
        "generated": timezone.localtime(),
        "summary": _summary(nodes, budget),
        "targets": targets,
        "target_map": _target_map(targets),
        "chapters": chapters,
        "budget": budget,
        "funding": funding,
        "programmes": _programmes(funding.years),
        "approvals": _approvals(),
        "milestones": list(Milestone.objects.select_related("measure").order_by("due", "pk")),
        "today": timezone.localdate(),
        "toc": _toc(chapters),
    }
    progress(steps, steps, _("Handlungskonzept: fertig zusammengestellt"))
    return Document(
        template="socialreport/handlungskonzept.html",
        context=context,
        title=_("Integriertes Handlungskonzept %(city)s") % {"city": city},
        language=language,
        author=city,
    )


def _prefetched(nodes: list[Node]) -> list[Node]:
    """The nodes with their measures' goals, target areas, ideas, money and milestones."""
    measures = Measure.objects.filter(pk__in=[n.measure.pk for n in nodes]).prefetch_related(
        "target_areas__area", "budgets", "fundings", "milestones", "ideas__event", "goals"
    )
    loaded = {m.pk: m for m in measures.select_related("status", "field", "parent")}
    for node in nodes:
        node.measure = loaded[node.measure.pk]
        node.budget = sum((b.amount for b in node.measure.budgets.all()), Decimal(0))
    return nodes


def _chapter(field: Category, number: int, nodes: list[Node], years: list[int]) -> FieldChapter:
    goals = []
    for goal in Goal.objects.filter(field=field).select_related("indicator", "target_area__area"):
        result = goal_progress(goal, years)
        inside, rest = result.trends()
        goals.append(GoalRow(result, inside, rest))
    own = [n for n in nodes if n.measure.field_id == field.pk]
    return FieldChapter(
        field=field,
        anchor=f"handlungsfeld-{number}",
        goals=goals,
        nodes=own,
        budget=sum((n.budget for n in own), Decimal(0)),
    )


def _summary(nodes: list[Node], budget: MoneyTable) -> Summary:
    kinds = defaultdict(int)
    for node in nodes:
        kinds[node.measure.kind] += 1
    funding = external = approved = Decimal(0)
    for source, approval, amount in Funding.objects.values_list("source", "approval", "amount"):
        if approval == "bewilligt":
            approved += amount
        if approval == REJECTED:
            continue
        funding += amount
        if source != MUNICIPAL:
            external += amount
    return Summary(
        programmes=kinds[Measure.PROGRAMME],
        measures=kinds[Measure.MEASURE],
        steps=kinds[Measure.STEP],
        budget=budget.total,
        funding=funding,
        external=external,
        approved=approved,
    )


def _target_map(targets: list[TargetArea]) -> MapData | None:
    """The target areas on the map of the finest level (their members highlighted)."""
    level = finest_level()
    if level is None or not targets:
        return None
    areas = list(Area.objects.filter(level=level).select_related("level", "parent"))
    names = {}
    for target in targets:
        for member in target.members.all():
            names[member.pk] = target.area.name
    return class_map(
        areas,
        {a.pk: 1 if a.pk in names else 2 for a in areas},
        {1: _("Fördergebiet"), 2: _("übrige Gebiete")},
        {pk: name for pk, name in names.items()},
        palette="highlight",
        caption=_("Fördergebiete: ihre %(level)s") % {"level": level.plural},
        id_prefix="foerdergebiete",
    )


def _programmes(years: list[int]) -> list[ProgrammeRow]:
    """Funding per source, programme and approval, with amounts per year."""
    sources = dict(Funding.SOURCES)
    approvals = dict(Funding.APPROVALS)
    sums: dict[tuple[str, str, str], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for item in Funding.objects.all():
        sums[(item.source, item.programme, item.approval)][item.year] += item.amount
    order = {code: index for index, code in enumerate(sources)}
    rows = []
    for (source, programme, approval), amounts in sorted(
        sums.items(), key=lambda kv: (order[kv[0][0]], kv[0][1], list(approvals).index(kv[0][2]))
    ):
        values = [amounts.get(year, Decimal(0)) for year in years]
        rows.append(
            ProgrammeRow(
                str(sources[source]), programme, str(approvals[approval]), values, sum(values)
            )
        )
    return rows


def _approvals() -> MoneyTable:
    """Funding per source (rows) and approval status (columns, in the table's year slots)."""
    approvals = [code for code, _label in Funding.APPROVALS]
    labels = dict(Funding.SOURCES)
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for source, approval, amount in Funding.objects.values_list("source", "approval", "amount"):
        sums[(source, approval)] += amount
    rows = []
    for code, label in labels.items():
        amounts = [sums.get((code, a), Decimal(0)) for a in approvals]
        if any(amounts):
            rows.append((str(label), amounts, sum(amounts, Decimal(0))))
    totals = [sum((r[1][i] for r in rows), Decimal(0)) for i in range(len(approvals))]
    return MoneyTable([str(label) for _c, label in Funding.APPROVALS], rows, totals, sum(totals))


def _toc(chapters: list[FieldChapter]) -> list[dict]:
    toc = [
        {"anchor": "zusammenfassung", "title": _("Zusammenfassung"), "depth": 1},
        {"anchor": "foerdergebiete", "title": _("Fördergebiete"), "depth": 1},
        {
            "anchor": "handlungsfelder",
            "title": _("Handlungsfelder, Ziele und Maßnahmen"),
            "depth": 1,
        },
    ]
    toc += [{"anchor": c.anchor, "title": c.field.name, "depth": 2} for c in chapters]
    toc += [
        {"anchor": "budget", "title": _("Budget nach Handlungsfeld und Jahr"), "depth": 1},
        {"anchor": "finanzierung", "title": _("Finanzierung nach Geldgeber und Jahr"), "depth": 1},
        {"anchor": "meilensteine", "title": _("Meilensteine"), "depth": 1},
    ]
    return toc
