"""Results of a survey: counts and shares per question, overall, per area or per group of
another question, optionally weighted to the areas' population; survey questions as monitoring
indicators. The answers are read once into a polars frame (one column per question) and every
table is computed from it.

No breakdown is shown for a group with fewer than MIN_GROUP respondents.

Questions inside a repeat (e.g. the age of every child in the household) are counted per
entry: their shares are over all entries that answered them, their means over the entries'
answers. Each entry inherits the weight of its response and its response's group (area, age
group of the respondent …). The MIN_GROUP rule counts respondents, not entries: three
households with eight children between them are still fewer than five respondents."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils.translation import gettext as _

from gemeinsinn.analysis.number_text import format_decimal
from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area
from gemeinsinn.core.models import record
from gemeinsinn.formats.problems import InputError, Problem
from gemeinsinn.formats.xlsform import Group, Question, SurveyDefinition

MIN_GROUP = 5
AREA = "area"
CHOICE_TYPES = {"select_one", "select_multiple"}
NUMBER_TYPES = {"integer", "decimal"}


def result_questions(form: SurveyDefinition) -> list[Question]:
    """Questions with answers of their own, outside repeats, in the order of the form."""
    inside_repeats = {
        q.name for g in form.groups() if g.repeat for q in g.walk() if isinstance(q, Question)
    }
    return [q for q in form.questions() if q.answered and q.name not in inside_repeats]


def repeat_groups(form: SurveyDefinition) -> list[Group]:
    """The repeats of the form in its order (the reader refuses repeats inside repeats)."""
    return [g for g in form.groups() if g.repeat]


def _repeat(form: SurveyDefinition, name: str) -> Group:
    return next(g for g in repeat_groups(form) if g.name == name)


def repeat_label(group: Group, form: SurveyDefinition, language: str | None = None) -> str:
    return _label(group.labels, language, form) or group.name


def entry_questions(group: Group) -> list[Question]:
    """The questions with answers of their own in each entry of a repeat."""
    return [q for q in group.walk() if isinstance(q, Question) and q.answered]


def question_repeats(form: SurveyDefinition) -> dict[str, str]:
    """Name of every question inside a repeat -> the name of its repeat."""
    return {q.name: g.name for g in repeat_groups(form) for q in entry_questions(g)}


def _dtype(question: Question) -> pl.DataType:
    if question.type in {"select_multiple", "rank"}:
        return pl.List(pl.Utf8)
    if question.type == "integer":
        return pl.Int64
    if question.type == "decimal":
        return pl.Float64
    return pl.Utf8


def frame_schema(form: SurveyDefinition) -> dict[str, pl.DataType]:
    """One column per question outside repeats; one per repeat with its list of entries."""
    schema = {q.name: _dtype(q) for q in result_questions(form)}
    for group in repeat_groups(form):
        fields = {q.name: _dtype(q) for q in entry_questions(group)}
        if fields:
            schema[group.name] = pl.List(pl.Struct(fields))
    return schema


_FRAMES: dict[int, tuple[tuple, pl.DataFrame]] = {}  # survey id -> (state, frame)
_FRAMES_KEPT = 8


def answers_frame(survey) -> pl.DataFrame:
    """All responses of the survey: area_id plus one column per question. Submitted answers
    never change, so the frame is read once and kept in the process while the number of
    responses and the highest response id stay the same."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), MAX(id) FROM surveys_response WHERE survey_id = %s", [survey.pk]
        )
        state = (*cursor.fetchone(), survey.checksum)
        kept = _FRAMES.get(survey.pk)
        if kept is not None and kept[0] == state:
            return kept[1]
        cursor.execute(
            "SELECT area_id, answers FROM surveys_response WHERE survey_id = %s ORDER BY id",
            [survey.pk],
        )
        rows = cursor.fetchall()
    frame = frame_from_rows(survey.form, rows)
    if len(_FRAMES) >= _FRAMES_KEPT:
        _FRAMES.pop(next(iter(_FRAMES)))
    _FRAMES[survey.pk] = (state, frame)
    return frame


def frame_from_rows(form: SurveyDefinition, rows: list[tuple[int, Any]]) -> pl.DataFrame:
    schema = frame_schema(form)
    areas = pl.Series("area_id", [row[0] for row in rows], dtype=pl.Int64)
    if not rows:
        return pl.DataFrame(
            {"area_id": areas, **{k: pl.Series(k, [], dtype=v) for k, v in schema.items()}}
        )
    texts = [row[1] if isinstance(row[1], str) else json.dumps(row[1]) for row in rows]
    payload = ("\n".join(texts)).encode()
    answers = pl.read_ndjson(payload, schema=schema) if schema else pl.DataFrame()
    return answers.with_columns(areas) if schema else pl.DataFrame({"area_id": areas})


@dataclass
class Cell:
    count: float  # weighted when the result is weighted
    share: float  # percent of the group's respondents

    @property
    def count_text(self) -> str:
        return german_number(self.count, 0)

    @property
    def share_text(self) -> str:
        return german_number(self.share, 1)


def german_number(value: float | None, decimals: int) -> str:
    """A number as German texts show it ("12,5", "1 234"), fast enough for big tables."""
    if value is None:
        return ""
    return format_decimal(value, decimals, group_mark=" ")


@dataclass
class GroupResult:
    key: str
    label: str
    respondents: int  # respondents in the group who answered the question
    suppressed: bool  # fewer than MIN_GROUP respondents
    cells: list[Cell] = field(default_factory=list)  # one per option (choice questions)
    mean: float | None = None  # number questions
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    entries: int | None = None  # questions in a repeat: entries that answered the question


@dataclass
class QuestionResult:
    question: Question
    label: str
    kind: str  # "choice", "number", "text"
    options: list[tuple[str, str]]  # (choice name, label)
    total: GroupResult
    groups: list[GroupResult]
    by: str | None
    weighted: bool
    multiple: bool = False
    repeat: str | None = None  # name of the repeat the question is asked in
    repeat_label: str = ""

    def option_rows(self) -> list[tuple[str, Cell | None]]:
        """(choice label, overall cell or None when suppressed) per choice."""
        cells = self.total.cells if not self.total.suppressed else [None] * len(self.options)
        return [(label, cell) for (_name, label), cell in zip(self.options, cells, strict=True)]

    def group_rows(self) -> list[tuple[GroupResult, list[str] | None]]:
        """(group, shares per choice as text, or None when suppressed) per group."""
        return [
            (group, None if group.suppressed else [cell.share_text for cell in group.cells])
            for group in self.groups
        ]


def area_weights(survey, frame: pl.DataFrame) -> pl.DataFrame:
    """Weight per area: its share of the population divided by its share of the responses,
    over the areas with responses and a known population (else weight 1)."""
    counted = frame.group_by("area_id").agg(pl.len().alias("n"))
    population = dict(
        Area.objects.filter(pk__in=counted["area_id"].to_list()).values_list("id", "population")
    )
    known = counted.filter(
        pl.col("area_id").map_elements(lambda a: bool(population.get(a)), return_dtype=pl.Boolean)
    )
    if known.is_empty():
        return counted.select("area_id", pl.lit(1.0).alias("weight"))
    total_n = known["n"].sum()
    total_population = sum(population[a] for a in known["area_id"].to_list())
    weights = {
        a: (population[a] / total_population) / (n / total_n)
        for a, n in zip(known["area_id"].to_list(), known["n"].to_list(), strict=True)
    }
    return counted.select(
        "area_id",
        pl.col("area_id")
        .map_elements(lambda a: weights.get(a, 1.0), return_dtype=pl.Float64)
        .alias("weight"),
    )


def prepare(survey, frame: pl.DataFrame | None = None, weighted: bool = False) -> pl.DataFrame:
    frame = answers_frame(survey) if frame is None else frame
    if "weight" in frame.columns:
        return frame
    if weighted and frame.height:
        return frame.join(area_weights(survey, frame), on="area_id", how="left")
    return frame.with_columns(pl.lit(1.0).alias("weight"))


def _group_labels(survey, frame: pl.DataFrame, by: str | None) -> tuple[str | None, dict]:
    if by is None:
        return None, {}
    if by == AREA:
        names = dict(
            Area.objects.filter(level=survey.area_level).values_list("id", "name").order_by("key")
        )
        return "area_id", {str(k): v for k, v in names.items()}
    question = survey.form.question(by)
    if question.type != "select_one" or question.choices is None:
        raise ValueError(by)
    if by in question_repeats(survey.form):
        raise ValueError(by)  # a group is a property of the respondent, not of an entry
    language = survey.form.default_language
    labels = {c.name: _label(c.labels, language, survey.form) for c in question.choices.choices}
    return by, labels


def choice_text(choice, form: SurveyDefinition, language: str | None = None) -> str:
    return _label(choice.labels, language, form) or choice.name


def _label(texts: dict[str, str], language: str | None, form: SurveyDefinition) -> str:
    from gemeinsinn.formats.xlsform import translate

    return translate(texts, language, form.default_language)


def results(
    survey,
    question: str,
    by: str | None = None,
    weighted: bool = False,
    frame: pl.DataFrame | None = None,
    language: str | None = None,
    labels: tuple[str | None, dict] | None = None,
) -> QuestionResult:
    """Counts and shares of one question, overall and per group (``by``: None, "area" or the
    name of a select_one question such as the age group)."""
    frame = prepare(survey, frame, weighted)
    form: SurveyDefinition = survey.form
    q = form.question(question)
    group_column, group_labels = labels if labels is not None else _group_labels(survey, frame, by)
    if q.type in CHOICE_TYPES and q.choices is not None:
        kind = "choice"
        options = [(c.name, _label(c.labels, language, form)) for c in q.choices.choices]
    elif q.type in NUMBER_TYPES:
        kind, options = "number", []
    else:
        kind, options = "text", []
    keep = ["weight", *([group_column] if group_column not in (None, q.name) else [])]
    repeat = question_repeats(form).get(q.name)
    if repeat is None:
        answered = frame.select(q.name, *keep)
    else:
        answered = _entry_answers(frame, repeat, q.name, keep)
    answered = answered.filter(pl.col(q.name).is_not_null())
    if q.type == "select_multiple":
        answered = answered.filter(pl.col(q.name).list.len() > 0)
    total = _groups(answered.with_columns(pl.lit("").alias("__group")), q, kind, options)
    total_result = total.get("") or GroupResult("", _("Alle"), 0, True)
    total_result.key, total_result.label = "", _("Alle")
    if repeat is not None and total_result.entries is None:
        total_result.entries = 0
    groups: list[GroupResult] = []
    if group_column is not None:
        keyed = answered.filter(pl.col(group_column).is_not_null()).with_columns(
            pl.col(group_column).cast(pl.Utf8).alias("__group")
        )
        computed = _groups(keyed, q, kind, options)
        for key, label in group_labels.items():
            group = computed.get(key) or GroupResult(key, label, 0, True)
            group.key, group.label = key, label
            groups.append(group)
    return QuestionResult(
        q,
        q.label(language, form.default_language),
        kind,
        options,
        total_result,
        groups,
        by,
        weighted,
        q.type == "select_multiple",
        repeat,
        repeat_label(_repeat(form, repeat), form, language) if repeat else "",
    )


def _entry_answers(frame: pl.DataFrame, repeat: str, question: str, keep: list[str]):
    """One row per entry of the repeat: the entry's answer to ``question``, the columns
    ``keep`` of its response (weight, group) and ``__response``, the response's row."""
    entries = pl.col(repeat)
    return (
        frame.with_row_index("__response")
        .filter(entries.list.len() > 0)
        .select(
            "__response",
            *keep,
            entries.list.eval(pl.element().struct.field(question)).alias(question),
        )
        .explode(question)
    )


def _groups(part: pl.DataFrame, q: Question, kind: str, options) -> dict[str, GroupResult]:
    """Results per value of the column "__group", computed for all groups at once. With
    "__response" (the entries of a repeat), shares and means are over the entries and the
    respondents are the distinct responses."""
    per_entry = "__response" in part.columns
    people = pl.col("__response").n_unique() if per_entry else pl.len()
    sizes = part.group_by("__group").agg(
        people.alias("people"), pl.len().alias("n"), pl.col("weight").sum().alias("w")
    )
    result: dict[str, GroupResult] = {}
    weights: dict[str, float] = {}
    for key, people_count, n, weight in sizes.iter_rows():
        result[key] = GroupResult(key, key, people_count, people_count < MIN_GROUP)
        result[key].entries = n if per_entry else None
        weights[key] = float(weight) or 1.0
    if kind == "choice":
        values = part.select("__group", q.name, "weight")
        if q.type == "select_multiple":
            values = values.explode(q.name)
        sums = {
            (key, name): float(weight)
            for key, name, weight in values.group_by("__group", q.name)
            .agg(pl.col("weight").sum())
            .iter_rows()
        }
        for key, group in result.items():
            if group.suppressed:
                continue
            total = weights[key]
            for name, _label_text in options:
                count = sums.get((key, name), 0.0)
                group.cells.append(Cell(count, 100.0 * count / total))
    elif kind == "number":
        value = pl.col(q.name).cast(pl.Float64)
        stats = part.group_by("__group").agg(
            (value * pl.col("weight")).sum().alias("weighted"),
            value.median().alias("median"),
            value.min().alias("min"),
            value.max().alias("max"),
        )
        for key, weighted, median, minimum, maximum in stats.iter_rows():
            group = result[key]
            if group.suppressed:
                continue
            group.mean = weighted / weights[key]
            group.median, group.minimum, group.maximum = median, minimum, maximum
    return result


def results_all(
    survey, by: str | None = None, weighted: bool = False, language: str | None = None
) -> list[QuestionResult]:
    """Results of every question (those in repeats per entry), from one read of the answers."""
    frame = prepare(survey, None, weighted)
    labels = _group_labels(survey, frame, by)
    return [
        results(survey, q.name, by, weighted, frame, language, labels)
        for q in survey.form.questions()
        if q.answered and q.name != by
    ]


# --- survey questions as indicators -------------------------------------------------------------


def question_to_indicator(
    survey,
    question: str,
    values: list[str],
    *,
    code: str,
    name: str,
    year: int | None = None,
    topic: str | None = None,
    direction: str = "better",
    user=None,
):
    """Write, per area of the survey's level (and summed up to the city), how many respondents
    answered the question and how many chose one of ``values``; the indicator ``code`` is
    their share in percent. The monitoring's confidentiality rules apply on publication.
    Returns the share indicator."""
    from gemeinsinn.monitoring import services as monitoring
    from gemeinsinn.monitoring.default_catalogue import WOHNEN
    from gemeinsinn.monitoring.models import Indicator

    form: SurveyDefinition = survey.form
    problems = []
    try:
        q = form.question(question)
    except KeyError:
        raise InputError([Problem(_("Diese Frage gibt es im Fragebogen nicht."))]) from None
    if q.name in question_repeats(form):
        problems.append(
            Problem(
                _(
                    "Fragen in einer Wiederholung werden je Eintrag gezählt, nicht je Befragten; "
                    "sie können kein Indikator werden. Bitte eine Frage außerhalb wählen."
                )
            )
        )
    elif q.type not in CHOICE_TYPES or q.choices is None:
        problems.append(Problem(_("Nur Auswahlfragen können ein Indikator werden.")))
    else:
        unknown = [v for v in values if v not in q.choices.names()]
        if not values or unknown:
            problems.append(Problem(_("Bitte eine oder mehrere Antworten der Frage wählen.")))
    code = (code or "").strip().lower()
    if not code or not code.replace("_", "").isalnum() or len(code) > 50:
        problems.append(Problem(_("Das Kürzel darf nur Kleinbuchstaben, Ziffern und _ enthalten.")))
    if problems:
        raise InputError(problems)
    level = survey.area_level
    if year is None:
        years = monitoring.available_years(level)
        year = years[-1] if years else (survey.opens_on or survey.created_at).year
    frame = answers_frame(survey)
    column = pl.col(q.name)
    if q.type == "select_multiple":
        hit = column.list.eval(pl.element().is_in(values)).list.any()
    else:
        hit = column.is_in(values)
    counted = (
        frame.filter(column.is_not_null())
        .group_by("area_id")
        .agg(pl.len().alias("n"), hit.sum().alias("hits"))
    )
    by_area = {row[0]: (row[1], row[2]) for row in counted.iter_rows()}
    areas = list(Area.objects.filter(level=level).values_list("id", flat=True))
    label = name.strip()[:150] or q.label()
    chosen = ", ".join(
        _label(q.choices.get(v).labels, None, form) for v in values if q.choices.get(v)
    )
    description = _(
        "Aus der Umfrage „%(survey)s“, Frage „%(question)s“: Anteil der Befragten, die "
        "%(values)s geantwortet haben, an allen, die die Frage beantwortet haben."
    ) % {"survey": survey.title, "question": q.label(), "values": chosen}
    with transaction.atomic():
        respondents, _created = Indicator.objects.update_or_create(
            code=f"{code}_n"[:60],
            defaults={
                "name": _("Befragte: %(name)s") % {"name": label},
                "topic": topic or WOHNEN,
                "kind": "count",
                "unit": _("Personen"),
                "source": survey.title[:300],
            },
        )
        hits, _created = Indicator.objects.update_or_create(
            code=f"{code}_ja"[:60],
            defaults={
                "name": _("Befragte mit Antwort: %(name)s") % {"name": label},
                "topic": topic or WOHNEN,
                "kind": "count",
                "unit": _("Personen"),
                "source": survey.title[:300],
            },
        )
        share, _created = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": label,
                "topic": topic or WOHNEN,
                "kind": "share",
                "unit": "%",
                "numerator": hits.code,
                "denominator": respondents.code,
                "factor": 100.0,
                "direction": direction,
                "description": description,
                "source": _("Umfrage „%(survey)s“") % {"survey": survey.title[:250]},
            },
        )
        rows = []
        for area_id in areas:
            n, k = by_area.get(area_id, (0, 0))
            rows.append((respondents.pk, area_id, year, float(n), "", None))
            rows.append((hits.pk, area_id, year, float(k), "", None))
        written = monitoring.value_frame(rows)
        monitoring.upsert_values(written)
        monitoring.aggregate_upwards(level, written)
        for spatial_level in area_services.hierarchy_levels():
            monitoring.recompute_derived(spatial_level, [year])
        record(
            "surveys.indicator",
            _("Frage „%(question)s“ der Umfrage „%(survey)s“ als Indikator %(code)s %(year)d")
            % {"question": q.name, "survey": survey.title, "code": code, "year": year},
            actor=user,
            survey=survey.pk,
        )
    return share
