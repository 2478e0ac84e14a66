"""The integrated action plan: statuses with their default progress, progress rolled up the
tree (programme → measure → step), status changes with history and e-mails to the supporters
of the ideas that inspired a measure, budget and funding tables, and goal monitoring."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from gemeinsinn.analysis.trends import trend_slopes
from gemeinsinn.areas.models import Area
from gemeinsinn.areas.services import finest_level
from gemeinsinn.core.models import CityProfile, record
from gemeinsinn.ideas.models import Category
from gemeinsinn.ideas.services import send_after_commit, staff_name, supporter_addresses
from gemeinsinn.monitoring.publication import protected_values
from gemeinsinn.planning.models import Funding, Goal, Measure, MeasureChange, MeasureStatus
from gemeinsinn.planning.services.ranking import PlanningError

DEFAULT_STATUSES = [
    ("geplant", 0),
    ("in Vorbereitung", 20),
    ("in Umsetzung", 50),
    ("weit fortgeschritten", 80),
    ("abgeschlossen", 100),
]
PARENT_KIND = {Measure.PROGRAMME: None, Measure.MEASURE: Measure.PROGRAMME,
               Measure.STEP: Measure.MEASURE}  # fmt: skip


def ensure_default_statuses() -> int:
    created = 0
    for order, (name, progress) in enumerate(DEFAULT_STATUSES, start=1):
        _status, new = MeasureStatus.objects.get_or_create(
            name=name, defaults={"progress": progress, "order": order}
        )
        created += int(new)
    return created


def fields_of_action():
    """The fields of action are the ideas app's categories (Saarlouis' five by default)."""
    return Category.objects.filter(is_active=True)


def check_parent(kind: str, parent: Measure | None) -> str:
    """A German problem when the measure may not hang there; "" when it may."""
    wanted = PARENT_KIND[kind]
    if wanted is None and parent is not None:
        return _("Ein Programm steht oben im Baum und gehört zu keinem anderen Eintrag.")
    if wanted is not None and (parent is None or parent.kind != wanted):
        return _("Eine Maßnahme gehört zu einem Programm, ein Schritt zu einer Maßnahme.")
    return ""


# --- progress ----------------------------------------------------------------------------


def own_progress(measure: Measure) -> int:
    return measure.progress if measure.progress is not None else measure.status.progress


def rolled_up(measures: list[Measure]) -> dict[int, float]:
    """Progress per measure: a leaf its own (or its status's) value, a parent the mean of its
    children's rolled-up values (Decidim's accountability does the same)."""
    children = defaultdict(list)
    for measure in measures:
        children[measure.parent_id].append(measure)
    result: dict[int, float] = {}

    def visit(measure: Measure) -> float:
        parts = children.get(measure.pk)
        value = (
            sum(visit(child) for child in parts) / len(parts) if parts else own_progress(measure)
        )
        result[measure.pk] = value
        return value

    for root in children.get(None, []):
        visit(root)
    return result


def progress_of(measure: Measure) -> float:
    measures = list(Measure.objects.select_related("status"))
    return rolled_up(measures)[measure.pk]


@dataclass
class Node:
    measure: Measure
    progress: float
    depth: int
    children: list["Node"]


def plan_tree(public_only: bool = False) -> list[Node]:
    """The whole plan as a tree with rolled-up progress, programmes in number order."""
    query = Measure.objects.select_related("status", "field")
    if public_only:
        query = query.filter(is_public=True)
    measures = list(query.order_by("number"))
    known = {m.pk for m in measures}
    measures = [m for m in measures if m.parent_id is None or m.parent_id in known]
    progress = rolled_up(measures)
    children = defaultdict(list)
    for measure in measures:
        children[measure.parent_id].append(measure)

    def build(measure: Measure, depth: int) -> Node:
        kids = [build(child, depth + 1) for child in children.get(measure.pk, [])]
        return Node(measure, progress[measure.pk], depth, kids)

    return [build(root, 0) for root in children.get(None, [])]


def flatten(nodes: list[Node]) -> list[Node]:
    return [item for node in nodes for item in (node, *flatten(node.children))]


# --- changes and notifications -------------------------------------------------------------


def update_progress(
    measure: Measure,
    user,
    *,
    status: MeasureStatus,
    progress: int | None,
    note: str = "",
    base_url: str = "",
) -> MeasureChange:
    """Set status and progress, keep the change in the history; when the status changes, the
    citizens who supported an idea linked to the measure get an e-mail."""
    if progress is not None and not 0 <= progress <= 100:
        raise PlanningError(_("Der Fortschritt ist ein Prozentwert von 0 bis 100."))
    note = (note or "").strip()
    status_changed = status.pk != measure.status_id
    if not status_changed and progress == measure.progress and not note:
        raise PlanningError(_("Nichts zu speichern: Stand und Fortschritt sind unverändert."))
    old_status = measure.status.name
    with transaction.atomic():
        measure.status = status
        measure.progress = progress
        measure.save(update_fields=["status", "progress", "updated_at"])
        parts = []
        if status_changed:
            parts.append(_("Stand: %(old)s → %(new)s") % {"old": old_status, "new": status.name})
        parts.append(_("Fortschritt: %(value)s %%") % {"value": own_progress(measure)})
        if note:
            parts.append(note)
        change = _record(measure, user, "; ".join(parts))
        if status_changed:
            notify_status_change(measure, old_status, note, base_url)
    return change


def record_edit(measure: Measure, user, changed: list[str]) -> MeasureChange:
    """History entry for an edit elsewhere (admin, import): which fields changed."""
    return _record(measure, user, _("Geändert: %(fields)s") % {"fields": ", ".join(changed)})


def record_created(measure: Measure, user, source: str = "") -> MeasureChange:
    summary = _("Angelegt")
    if source:
        summary = _("Angelegt (Import aus %(file)s)") % {"file": source}
    return _record(measure, user, summary)


def _record(measure: Measure, user, summary: str) -> MeasureChange:
    change = MeasureChange.objects.create(
        measure=measure,
        by=user if getattr(user, "is_authenticated", False) else None,
        by_name=staff_name(user) if getattr(user, "is_authenticated", False) else "",
        summary=summary,
        status_name=measure.status.name,
        progress=own_progress(measure),
    )
    record(
        "planning.measure",
        _("Maßnahme %(number)s: %(summary)s") % {"number": measure.number, "summary": summary},
        actor=user,
        measure=measure.pk,
    )
    return change


def notify_status_change(measure: Measure, old_status: str, note: str, base_url: str = "") -> None:
    """E-mail the supporters of the visible ideas linked to a public measure."""
    ideas = list(measure.ideas.filter(is_hidden=False))
    if not ideas or not measure.is_public:
        return
    link = base_url.rstrip("/") + reverse("planning:public_measure", args=[measure.pk])
    titles = ", ".join(f"„{idea.title}“" for idea in ideas)
    lines = [
        _("Guten Tag,"),
        "",
        _("die Maßnahme „%(title)s“ geht auf Ideen zurück, die Sie unterstützt haben (%(ideas)s).")
        % {"title": measure.title, "ideas": titles},
        _("Ihr Stand hat sich geändert: %(old)s → %(new)s.")
        % {"old": old_status, "new": measure.status.name},
    ]
    if note:
        lines += ["", note]
    lines += [
        "",
        _("Zur Maßnahme: %(link)s") % {"link": link},
        "",
        _("Sie erhalten diese Nachricht, weil Sie eine dieser Ideen unterstützt haben."),
    ]
    subject = _("Neuer Stand der Maßnahme „%(title)s“") % {"title": measure.title}
    send_after_commit(supporter_addresses(ideas), subject, "\n".join(lines))


def changes_between(start, end, public_only: bool = True):
    """The history entries of [start, end) (datetimes), oldest first, with their measures:
    what progressed in a period, e.g. for the half-yearly Kompass."""
    query = MeasureChange.objects.filter(at__gte=start, at__lt=end).select_related(
        "measure", "measure__field"
    )
    if public_only:
        query = query.filter(measure__is_public=True)
    return list(query.order_by("at", "pk"))


# --- budget and funding ----------------------------------------------------------------------


@dataclass
class MoneyTable:
    years: list[int]
    rows: list[tuple[str, list[Decimal], Decimal]]  # label, amount per year, total
    totals: list[Decimal]
    total: Decimal


def _table(entries: list[tuple[str, int, Decimal]], labels: list[str]) -> MoneyTable:
    years = sorted({year for _label, year, _amount in entries})
    sums: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for label, year, amount in entries:
        sums[(label, year)] += amount
    rows = []
    for label in labels:
        amounts = [sums.get((label, year), Decimal(0)) for year in years]
        if any(amounts):
            rows.append((label, amounts, sum(amounts, Decimal(0))))
    totals = [sum((row[1][i] for row in rows), Decimal(0)) for i in range(len(years))]
    return MoneyTable(years, rows, totals, sum(totals, Decimal(0)))


def budget_by_field() -> MoneyTable:
    """Budget per field of action and year (measures and steps; programmes hold no money of
    their own when their measures have budgets, so all levels are summed as entered)."""
    entries = [
        (b.measure.field.name, b.year, b.amount)
        for m in Measure.objects.select_related("field").prefetch_related("budgets")
        for b in m.budgets.all()
    ]
    return _table(entries, [f.name for f in Category.objects.all()])


def funding_by_source(approval: str | None = None) -> MoneyTable:
    query = Funding.objects.all()
    if approval:
        query = query.filter(approval=approval)
    labels = dict(Funding.SOURCES)
    entries = [(str(labels[f.source]), f.year, f.amount) for f in query]
    return _table(entries, [str(label) for label in labels.values()])


# --- goal monitoring ------------------------------------------------------------------------


@dataclass
class GoalPoint:
    year: int
    target_areas: float | None  # mean over the target area's member areas (population-weighted)
    rest: float | None  # the same over the other areas of their level


@dataclass
class GoalProgress:
    goal: Goal
    points: list[GoalPoint]
    latest: float | None
    met: bool | None  # None: no value yet or no target

    def trends(self) -> tuple[float | None, float | None]:
        """Least-squares change per year in the target area and in the rest of the city."""
        if len(self.points) < 2:
            return None, None
        rows = np.array(
            [
                [np.nan if p.target_areas is None else p.target_areas for p in self.points],
                [np.nan if p.rest is None else p.rest for p in self.points],
            ]
        )
        slopes = trend_slopes([p.year for p in self.points], rows)
        inside, rest = (None if np.isnan(v) else float(v) for v in slopes)
        return inside, rest

    @property
    def gap(self) -> float | None:
        if self.latest is None or self.goal.target_value is None:
            return None
        return self.latest - self.goal.target_value


def _met(goal: Goal, value: float | None) -> bool | None:
    if value is None or goal.target_value is None:
        return None
    return {
        Goal.BELOW: value < goal.target_value,
        Goal.AT_MOST: value <= goal.target_value,
        Goal.ABOVE: value > goal.target_value,
        Goal.AT_LEAST: value >= goal.target_value,
    }[goal.comparison]


def goal_progress(goal: Goal, years: list[int]) -> GoalProgress:
    """The goal's indicator over the years in its target area (the member areas together,
    weighted by population) against the rest of the city on the same level. Only published
    values enter (the monitoring's confidentiality rules)."""
    if goal.indicator is None:
        return GoalProgress(goal, [], None, None)
    members = list(goal.target_area.members.all()) if goal.target_area else []
    level = members[0].level if members else None
    if level is None:
        level = finest_level()
    areas = list(Area.objects.filter(level=level).order_by("key")) if level else []
    inside = np.array([a.pk in {m.pk for m in members} for a in areas], dtype=bool)
    weights = np.array([a.population or 0 for a in areas], dtype=float)
    rules = CityProfile.current().confidentiality_rules()
    points = []
    for year in years:
        values, _withheld = protected_values(goal.indicator, year, areas, rules)
        points.append(
            GoalPoint(
                year,
                _weighted(values[inside], weights[inside]),
                _weighted(values[~inside], weights[~inside]),
            )
        )
    own = [p.target_areas if members else p.rest for p in points]
    latest = next((v for v in reversed(own) if v is not None), None)
    return GoalProgress(goal, points, latest, _met(goal, latest))


def _weighted(values: np.ndarray, weights: np.ndarray) -> float | None:
    known = np.isfinite(values)
    if not known.any():
        return None
    if weights[known].sum() == 0:
        return float(values[known].mean())
    return float(np.average(values[known], weights=weights[known]))
