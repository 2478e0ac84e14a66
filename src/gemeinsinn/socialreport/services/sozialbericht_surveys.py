"""The survey chapter of the Sozialbericht: the surveys that ended in the report year (or the
latest one before it) with their key questions per area; areas with fewer than
surveys.results.MIN_GROUP answers show no breakdown (surveys/results.py applies the rule).
The edition of the latest statistics year also shows the interim results of a survey that is
running now (marked as such): it is the survey of the current planning cycle."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from gemeinsinn.surveys import results as survey_results
from gemeinsinn.surveys.models import Survey

KEY_QUESTIONS = 4  # the first single-choice questions of a form are its key questions


@dataclass
class QuestionTable:
    label: str
    options: list[str]
    total: survey_results.GroupResult
    total_shares: list[str] | None  # None when too few answered
    rows: list[tuple[str, int, list[str] | None]]  # area, respondents, shares or None


@dataclass
class SurveySection:
    survey: Survey
    responses: int
    questions: list[QuestionTable] = field(default_factory=list)
    running: bool = False  # interim results of a survey that has not ended yet


def surveys_of(year: int) -> list[Survey]:
    """The surveys that closed in the year; without one, the latest that closed before."""
    ended = Survey.objects.filter(closes_on__year__lte=year).select_related("area_level")
    in_year = list(ended.filter(closes_on__year=year).order_by("closes_on", "title"))
    if in_year:
        return in_year
    latest = ended.order_by("-closes_on").first()
    return [latest] if latest else []


def running_surveys() -> list[Survey]:
    """Surveys open today that already have answers."""
    today = timezone.localdate()
    return list(
        Survey.objects.filter(Q(closes_on__gte=today) | Q(closes_on__isnull=True))
        .filter(Q(opens_on__lte=today) | Q(opens_on__isnull=True), responses__isnull=False)
        .distinct()
        .select_related("area_level")
        .order_by("closes_on", "title")
    )


def later_surveys(year: int) -> list[Survey]:
    """Surveys that close after the year (or have no end): named when none has ended."""
    return list(
        Survey.objects.filter(Q(closes_on__year__gt=year) | Q(closes_on__isnull=True)).order_by(
            "closes_on", "title"
        )
    )


def survey_sections(year: int, language: str, *, with_running: bool) -> list[SurveySection]:
    chosen = [(survey, False) for survey in surveys_of(year)]
    if with_running:
        chosen += [(survey, True) for survey in running_surveys()]
    sections = []
    for survey, running in chosen:
        frame = survey_results.prepare(survey)
        section = SurveySection(survey, frame.height, running=running)
        form = survey.form
        key = [q for q in survey_results.result_questions(form) if q.type == "select_one"]
        for question in key[:KEY_QUESTIONS]:
            result = survey_results.results(
                survey, question.name, survey_results.AREA, frame=frame, language=language
            )
            section.questions.append(
                QuestionTable(
                    label=result.label,
                    options=[label for _name, label in result.options],
                    total=result.total,
                    total_shares=None
                    if result.total.suppressed
                    else [cell.share_text for cell in result.total.cells],
                    rows=[
                        (group.label, group.respondents, shares)
                        for group, shares in result.group_rows()
                        if group.respondents
                    ],
                )
            )
        sections.append(section)
    return sections
