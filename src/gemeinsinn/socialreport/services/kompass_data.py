"""What the Kompass reports for a period, as plain data: decisions (target areas, new
measures, plan changes, funding decisions), the measures that moved (status, progress before →
after, milestones reached), ideas and defect reports in total and per district, and the
participation that comes next. The web page and the printed Bürgerjournal render the same
data."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from gemeinsinn.areas.models import Area
from gemeinsinn.areas.services import hierarchy_levels
from gemeinsinn.core.models import CityProfile
from gemeinsinn.events.services import public_events
from gemeinsinn.ideas import models as ideas
from gemeinsinn.ideas.services import current_process, public_ideas
from gemeinsinn.planning.models import Funding, Measure, MeasureChange, Milestone, TargetArea
from gemeinsinn.planning.services import rolled_up
from gemeinsinn.servicerequests import models as reports
from gemeinsinn.socialreport.services.periods import Period
from gemeinsinn.surveys.models import Survey

DAY = 86400.0
ANSWERS = 6  # answers to ideas quoted in the journal
JOURNAL_FUNDINGS = 8  # funding decisions printed in the journal (the largest amounts)
# who gives the money, as the subject of a sentence in Leichte Sprache
EASY_GIVERS = {
    "kommune": pgettext_lazy("Leichte Sprache", "Die Stadt"),
    "land": pgettext_lazy("Leichte Sprache", "Das Land"),
    "bund": pgettext_lazy("Leichte Sprache", "Der Bund"),
    "eu": pgettext_lazy("Leichte Sprache", "Die EU"),
    "dritte": pgettext_lazy("Leichte Sprache", "Ein anderer Geld-Geber"),
}


@dataclass
class MovedMeasure:
    measure: Measure
    status_before: str | None  # None: created in the period
    status_after: str
    progress_before: int | None
    progress_after: int
    milestones: list[Milestone]

    @property
    def is_new(self) -> bool:
        return self.status_before is None

    @property
    def status_changed(self) -> bool:
        return self.status_before is not None and self.status_before != self.status_after


@dataclass
class DistrictRow:
    district: Area | None  # None: without a district
    ideas_new: int = 0
    ideas_answered: int = 0
    reports_received: int = 0
    reports_solved: int = 0
    days: list[float] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None


@dataclass
class FieldState:
    """A field of action at the end of the period: its measures and their mean progress."""

    name: str
    measures: int
    finished: int
    progress: float


@dataclass
class KompassData:
    period: Period
    city: str
    reference: dt.datetime  # "upcoming" starts here: the period's end, or now while it runs
    target_areas: list[TargetArea]
    withdrawn: list[TargetArea]
    new_programmes: list[Measure]
    new_measures: list[Measure]
    plan_changes: list[MeasureChange]
    fundings: list[Funding]  # funding decisions (Bescheide) of the period, by date
    moved: list[MovedMeasure]
    fields: list[FieldState]
    milestones: list[Milestone]
    ideas_new: int
    ideas_answered: int
    idea_statuses: list[tuple[str, int]]  # label, number of changes to it
    answers: list[ideas.Idea]  # the most supported ideas answered in the period
    reports_received: int
    reports_solved: int
    median_days: float | None
    districts: list[DistrictRow]
    district_level: str
    events: list
    surveys: list[Survey]
    process: ideas.Process | None

    @property
    def is_running(self) -> bool:
        return self.period.is_running()

    @property
    def status_changes(self) -> list[MovedMeasure]:
        return [m for m in self.moved if m.status_changed]

    @property
    def progressed(self) -> list[MovedMeasure]:
        return [m for m in self.moved if not m.is_new]

    @property
    def journal_fundings(self) -> list[Funding]:
        """The funding decisions the journal prints: the largest amounts, by date."""
        largest = sorted(self.fundings, key=lambda f: -f.amount)[:JOURNAL_FUNDINGS]
        return [f for f in self.fundings if f in largest]

    @property
    def granted_total(self) -> Decimal:
        return sum((f.amount for f in self.fundings if f.is_granted), Decimal(0))

    @property
    def refused_total(self) -> Decimal:
        return sum((f.amount for f in self.fundings if not f.is_granted), Decimal(0))

    @property
    def fundings_not_in_journal(self) -> int:
        return len(self.fundings) - len(self.journal_fundings)

    @property
    def decided_anything(self) -> bool:
        return bool(
            self.target_areas
            or self.withdrawn
            or self.new_measures
            or self.plan_changes
            or self.fundings
        )


def collect(period: Period, now: dt.datetime | None = None) -> KompassData:
    now = now or timezone.now()
    start, end = period.start, period.end
    reference = min(end, now)
    decided = TargetArea.objects.filter(chosen_at__gte=start, chosen_at__lt=end)
    withdrawn = TargetArea.objects.filter(withdrawn_at__gte=start, withdrawn_at__lt=end)
    moved, created, changes, fields = _measures(start, end)
    idea_rows = public_ideas()
    new_ideas = idea_rows.filter(created_at__gte=start, created_at__lt=end)
    answered = idea_rows.filter(answered_at__gte=start, answered_at__lt=end)
    status_counts = Counter(
        ideas.StatusChange.objects.filter(
            created_at__gte=start, created_at__lt=end, idea__is_hidden=False
        ).values_list("new_status", flat=True)
    )
    labels = dict(ideas.STATUSES)
    received = reports.ServiceRequest.objects.filter(requested_at__gte=start, requested_at__lt=end)
    solved = reports.ServiceRequest.objects.filter(
        status=reports.DONE, closed_at__gte=start, closed_at__lt=end
    )
    solved_rows = list(solved.values_list("area_id", "requested_at", "closed_at"))
    districts, level_name = _districts(
        new_ideas.values_list("area_id", flat=True),
        answered.values_list("area_id", flat=True),
        received.values_list("area_id", flat=True),
        solved_rows,
    )
    all_days = [(closed - requested).total_seconds() / DAY for _a, requested, closed in solved_rows]
    return KompassData(
        period=period,
        city=CityProfile.current().name,
        reference=reference,
        target_areas=list(decided.select_related("area").prefetch_related("members")),
        withdrawn=list(withdrawn.select_related("area")),
        new_programmes=[m for m in created if m.kind == Measure.PROGRAMME],
        new_measures=[m for m in created if m.kind == Measure.MEASURE],
        plan_changes=changes,
        fundings=_fundings(period),
        moved=moved,
        fields=fields,
        milestones=list(
            Milestone.objects.filter(
                reached__gte=period.first_day,
                reached__lte=period.last_day,
                measure__is_public=True,
            ).select_related("measure")
        ),
        ideas_new=new_ideas.count(),
        ideas_answered=answered.count(),
        answers=list(answered.order_by("-support_count", "answered_at", "pk")[:ANSWERS]),
        idea_statuses=[
            (str(labels[code]), status_counts[code]) for code in labels if status_counts[code]
        ],
        reports_received=received.count(),
        reports_solved=len(solved_rows),
        median_days=statistics.median(all_days) if all_days else None,
        districts=districts,
        district_level=level_name,
        events=list(public_events().filter(starts_at__gte=reference).order_by("starts_at")[:8]),
        surveys=_surveys(reference.date()),
        process=_collecting(reference),
    )


def first_year() -> int:
    """The year of the earliest idea, defect report, plan entry or funding decision (this
    year when none)."""
    moments = (
        public_ideas().aggregate(first=Min("created_at"))["first"],
        reports.ServiceRequest.objects.aggregate(first=Min("requested_at"))["first"],
        MeasureChange.objects.aggregate(first=Min("at"))["first"],
    )
    years = [timezone.localtime(moment).year for moment in moments if moment is not None]
    public = Funding.objects.filter(measure__is_public=True)
    decided = public.aggregate(first=Min("decided_on"))["first"]
    if decided is not None:
        years.append(decided.year)
    return min(years) if years else timezone.localdate().year


def _measures(start, end):
    """Public measures (not steps) whose status or progress changed in the period or that
    reached a milestone in it; the measures created in it; the other edits of the plan; and
    the fields of action as they stood at the end of the period (progress from the history,
    rolled up the tree as on the plan's page)."""
    history = defaultdict(list)
    for entry in MeasureChange.objects.filter(at__lt=end, measure__is_public=True).order_by(
        "at", "pk"
    ):
        history[entry.measure_id].append(entry)
    measures = list(
        Measure.objects.filter(pk__in=history, is_public=True)
        .select_related("field", "status", "parent")
        .order_by("number")
    )
    reached = defaultdict(list)
    for milestone in Milestone.objects.filter(
        reached__gte=start.date(), reached__lt=end.date(), measure__in=measures
    ):
        reached[milestone.measure_id].append(milestone)
    moved, created, changes = [], [], []
    for measure in measures:
        entries = history[measure.pk]
        before = [e for e in entries if e.at < start]
        inside = [e for e in entries if e.at >= start]
        if not before and inside:
            created.append(measure)
        changes += [
            e
            for previous, e in zip(entries, entries[1:], strict=False)
            if e.at >= start
            and (e.status_name, e.progress) == (previous.status_name, previous.progress)
        ]
        if measure.kind == Measure.STEP or not (inside or reached[measure.pk]):
            continue
        first, last = (before[-1] if before else None), entries[-1]
        same = first and (first.status_name, first.progress) == (last.status_name, last.progress)
        if same and not reached[measure.pk]:
            continue
        moved.append(
            MovedMeasure(
                measure,
                first.status_name if first else None,
                last.status_name,
                first.progress if first else None,
                last.progress or 0,
                reached[measure.pk],
            )
        )
    changes.sort(key=lambda e: (e.at, e.pk))
    return moved, created, changes, _field_states(measures, history)


def _fundings(period: Period) -> list[Funding]:
    """The funding decisions dated in the period, of public measures (steps included)."""
    fundings = Funding.objects.filter(
        approval__in=Funding.DECIDED,
        decided_on__gte=period.first_day,
        decided_on__lte=period.last_day,
        measure__is_public=True,
    ).select_related("measure")
    for funding in fundings:
        funding.easy_giver = EASY_GIVERS[funding.source]  # the subject in Leichte Sprache
    return sorted(fundings, key=lambda f: (f.decided_on, f.measure.number, f.source, f.pk))


def _field_states(measures: list[Measure], history) -> list[FieldState]:
    known = {m.pk for m in measures}
    as_of_end = []
    for measure in measures:
        if measure.parent_id is not None and measure.parent_id not in known:
            continue
        measure.progress = history[measure.pk][-1].progress  # own progress at the end
        as_of_end.append(measure)
    progress = rolled_up(as_of_end)
    states = {}
    for measure in as_of_end:
        if measure.kind != Measure.MEASURE:
            continue
        state = states.setdefault(measure.field_id, [measure.field, []])
        state[1].append(progress[measure.pk])
    return [
        FieldState(field.name, len(values), sum(v >= 100 for v in values), mean(values))
        for field, values in sorted(states.values(), key=lambda s: (s[0].order, s[0].name))
    ]


def _districts(new_ideas, answered, received, solved) -> tuple[list[DistrictRow], str]:
    """Counts per district: the second level of the hierarchy (e.g. Stadtteil), else the
    finest; areas further down count for the district they lie in."""
    levels = hierarchy_levels()
    if not levels:
        return [], ""
    level = levels[1] if len(levels) > 1 else levels[0]
    areas = {a.pk: a for a in Area.objects.filter(level__in=levels).select_related("level")}
    district_of: dict[int | None, int | None] = {None: None}

    def district(area_id: int | None) -> int | None:
        if area_id not in district_of:
            area = areas.get(area_id)
            while area is not None and area.level_id != level.pk:
                area = areas.get(area.parent_id)
            district_of[area_id] = area.pk if area else None
        return district_of[area_id]

    rows = {
        a.pk: DistrictRow(a)
        for a in sorted(areas.values(), key=lambda a: a.key)
        if a.level_id == level.pk
    }
    rows[None] = DistrictRow(None)
    for area_id in new_ideas:
        rows[district(area_id)].ideas_new += 1
    for area_id in answered:
        rows[district(area_id)].ideas_answered += 1
    for area_id in received:
        rows[district(area_id)].reports_received += 1
    for area_id, requested, closed in solved:
        row = rows[district(area_id)]
        row.reports_solved += 1
        row.days.append((closed - requested).total_seconds() / DAY)
    result = [row for pk, row in rows.items() if pk is not None]
    other = rows[None]
    if other.ideas_new or other.ideas_answered or other.reports_received or other.reports_solved:
        result.append(other)
    return result, level.name


def _surveys(day: dt.date) -> list[Survey]:
    """Surveys open on the day or opening later."""
    return list(
        Survey.objects.filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day)).order_by(
            "opens_on", "title"
        )
    )


def _collecting(moment: dt.datetime) -> ideas.Process | None:
    process = current_process(now=moment)
    if process is not None and process.phase(moment) == ideas.COLLECT:
        return process
    return None
