"""Use cases of surveys: importing an XLSForm, answering online (drafts, submission),
invitation codes, paper entry with double entry, results and survey questions as monitoring
indicators. Views, the demo and commands call these functions, never each other."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gemeinsinn.areas import services as area_services
from gemeinsinn.areas.models import Area, SpatialLevel
from gemeinsinn.core import ratelimit, rows
from gemeinsinn.core.clients import client_bucket
from gemeinsinn.core.models import record
from gemeinsinn.formats.problems import InputError, Problem  # noqa: F401 - Problem for views
from gemeinsinn.formats.xlsform import (
    AnswerProblem,
    Context,
    Group,
    Item,
    Question,
    SurveyDefinition,
    check_xlsform,
    validate_response,
)
from gemeinsinn.formats.xlsform.expressions import to_number
from gemeinsinn.formats.xlsform.responses import questions_outside_repeats
from gemeinsinn.surveys.models import (
    INVITATION,
    ONLINE,
    OPEN,
    PAPER,
    Draft,
    InvitationCode,
    PaperBatch,
    PaperEntry,
    Response,
    Survey,
)
from gemeinsinn.surveys.results import (  # noqa: F401 - use cases of results
    MIN_GROUP,
    QuestionResult,
    answers_frame,
    entry_questions,
    question_repeats,
    question_to_indicator,
    repeat_groups,
    repeat_label,
    result_questions,
    results,
    results_all,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
MAX_FORM_BYTES = 5 * 1024 * 1024
_CODE_CLEAN = re.compile(r"[\s\-_.]")


class SurveyError(Exception):
    """A problem the respondent or the staff member can fix; nothing has been stored.

    ``messages``: German sentences; ``problems``: problems of single answers;
    ``status``: the HTTP status a page answers with (400, 404, 409, 429)."""

    def __init__(
        self,
        messages: Iterable[str] = (),
        problems: Iterable[AnswerProblem] = (),
        status: int = 400,
    ):
        self.messages = list(messages)
        self.problems = list(problems)
        self.status = status
        super().__init__("; ".join(self.messages + [str(p) for p in self.problems]))

    def by_question(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.question, []).append(problem.message)
        return grouped


# --- settings ----------------------------------------------------------------------------


def submit_limit() -> tuple[int, int]:
    """(responses, seconds) one client may submit; SURVEYS_SUBMIT_LIMIT (default 20/hour)."""
    return int(getattr(settings, "SURVEYS_SUBMIT_LIMIT", 20)), 3600


def draft_days() -> int:
    """Days unfinished answers are kept after their last change; SURVEYS_DRAFT_DAYS (90)."""
    return int(getattr(settings, "SURVEYS_DRAFT_DAYS", 90))


def code_attempt_limit() -> tuple[int, int]:
    """(wrong codes, seconds) one client may try; SURVEYS_CODE_ATTEMPTS (default 10/15 min)."""
    return int(getattr(settings, "SURVEYS_CODE_ATTEMPTS", 10)), 900


# --- import ------------------------------------------------------------------------------


def import_survey(
    data: bytes,
    filename: str,
    *,
    access: str = OPEN,
    area_level: SpatialLevel | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    slug: str = "",
    user=None,
) -> Survey:
    """Read and check the XLSForm and store the survey. Raises InputError with every problem
    (German, with sheet, row and column) and stores nothing when the form has errors."""
    form = _read_form(data, filename)
    level = area_level or area_services.finest_level()
    if level is None:
        raise InputError(
            [Problem(_("Es gibt noch keine Gebiete; zuerst Gebietsgrenzen importieren."))]
        )
    _check_settings(access, opens_on, closes_on)
    with transaction.atomic():
        survey = Survey.objects.create(
            title=form.title[:200] or filename[:200],
            slug=_free_slug(slug or form.form_id or form.title),
            definition=form.to_dict(),
            file_name=filename[:300],
            checksum=hashlib.sha256(data).hexdigest(),
            languages=list(form.languages),
            opens_on=opens_on,
            closes_on=closes_on,
            access=access,
            area_level=level,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        record(
            "surveys.import",
            _("Umfrage „%(title)s“ aus %(file)s angelegt")
            % {"title": survey.title, "file": filename},
            actor=user,
            survey=survey.pk,
            checksum=survey.checksum,
        )
    return survey


def _read_form(data: bytes, filename: str) -> SurveyDefinition:
    if len(data) > MAX_FORM_BYTES:
        raise InputError(
            [
                Problem(
                    _("Die Datei ist größer als 5 MB; ein Fragebogen ist viel kleiner."), filename
                )
            ]
        )
    check = check_xlsform(data, filename)
    if not check.ok or check.survey is None:
        raise InputError(check.errors or check.problems)
    return check.survey


def _check_settings(access: str, opens_on: dt.date | None, closes_on: dt.date | None) -> None:
    if access not in (OPEN, INVITATION):
        raise InputError([Problem(_("Unbekannte Zugangsart."))])
    if opens_on and closes_on and closes_on < opens_on:
        raise InputError([Problem(_("Das Ende der Befragung liegt vor ihrem Beginn."))])


def update_survey(
    survey: Survey,
    *,
    title: str,
    access: str,
    opens_on: dt.date | None,
    closes_on: dt.date | None,
    data: bytes | None = None,
    filename: str = "",
    user=None,
) -> Survey:
    """Change a survey's title, access and time window, and optionally replace its form by a
    corrected XLSForm. Once there are answers, the new form must keep every answered question
    with its type and its choices (texts, hints, checks and new questions may change), so
    that the stored answers still fit; otherwise nothing is changed."""
    title = (title or "").strip()
    if not title:
        raise InputError([Problem(_("Bitte geben Sie der Umfrage einen Titel."))])
    _check_settings(access, opens_on, closes_on)
    form = _read_form(data, filename) if data is not None else None
    if form is not None and survey.responses.exists():
        problems = [Problem(text, filename) for text in _incompatible(survey.form, form)]
        if problems:
            raise InputError(problems)
    with transaction.atomic():
        survey.title = title[:200]
        survey.access, survey.opens_on, survey.closes_on = access, opens_on, closes_on
        if form is not None:
            survey.definition = form.to_dict()
            survey.file_name = filename[:300]
            survey.checksum = hashlib.sha256(data).hexdigest()
            survey.languages = list(form.languages)
        survey.save()
        record(
            "surveys.update",
            _("Umfrage „%(title)s“ geändert") % {"title": survey.title}
            + (f" ({filename})" if form is not None else ""),
            actor=user,
            survey=survey.pk,
            checksum=survey.checksum,
        )
    return survey


def _incompatible(old: SurveyDefinition, new: SurveyDefinition) -> list[str]:
    """Why the answers to ``old`` would not fit ``new`` (empty when they do)."""
    found = []
    old_places, new_places = question_repeats(old), question_repeats(new)
    for question in [q for q in old.questions() if q.answered]:
        try:
            other = new.question(question.name)
        except KeyError:
            found.append(
                _(
                    "Die Frage „%(name)s“ fehlt im neuen Fragebogen, hat aber schon Antworten. "
                    "Bitte lassen Sie sie stehen (Texte dürfen sich ändern)."
                )
                % {"name": question.name}
            )
            continue
        if old_places.get(question.name) != new_places.get(question.name):
            found.append(
                _(
                    "Die Frage „%(name)s“ steht im neuen Fragebogen in einer anderen "
                    "Wiederholung (oder nicht mehr in ihrer); die gespeicherten Antworten passen "
                    "dann nicht mehr. Bitte lassen Sie sie, wo sie war."
                )
                % {"name": question.name}
            )
        elif other.type != question.type:
            found.append(
                _(
                    "Die Frage „%(name)s“ hat einen anderen Typ (%(old)s → %(new)s); die "
                    "gespeicherten Antworten passen nicht mehr dazu."
                )
                % {"name": question.name, "old": question.type, "new": other.type}
            )
        elif question.choices is not None and other.choices is not None:
            missing = [n for n in question.choices.names() if n not in other.choices.names()]
            if missing:
                found.append(
                    _(
                        "Bei der Frage „%(name)s“ fehlen die Antwortmöglichkeiten %(choices)s, "
                        "die schon gewählt werden konnten. Bitte behalten Sie deren Namen bei."
                    )
                    % {"name": question.name, "choices": ", ".join(missing)}
                )
    return found


def _free_slug(text: str) -> str:
    base = (slugify(text.replace("_", "-")) or "umfrage")[:70]
    slug, number = base, 2
    while Survey.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# --- pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    group: Group | None  # the top-level group shown on this page, or None for loose items
    items: tuple[Item, ...]

    def questions(self) -> list[Question]:
        """The questions of the page outside repeats."""
        found: list[Question] = []
        for item in self.items:
            if isinstance(item, Question):
                found.append(item)
            elif not item.repeat:
                found.extend(questions_outside_repeats(item.children))
        return found

    def repeats(self) -> list[Group]:
        """The repeats on the page (not nested: the reader refuses repeats in repeats)."""
        found: list[Group] = []
        for item in self.items:
            if isinstance(item, Group):
                if item.repeat:
                    found.append(item)
                else:
                    found.extend(g for g in item.walk() if isinstance(g, Group) and g.repeat)
        return found


def repeat_questions(group: Group) -> list[Question]:
    """The questions asked in each entry of a repeat."""
    return [q for q in group.walk() if isinstance(q, Question)]


MAX_REPEAT_ENTRIES = 20


def repeat_size(survey: Survey, group: Group, answers: Mapping[str, Any], today=None) -> int:
    """How many entries of the repeat to show: its repeat_count evaluated with the answers
    (at most MAX_REPEAT_ENTRIES), else the entries given so far, at least one."""
    if group.repeat_count is None:
        given = answers.get(group.name)
        return max(1, min(MAX_REPEAT_ENTRIES, len(given) if isinstance(given, list) else 0))
    number = to_number(group.repeat_count.evaluate(_context(survey, answers, today)))
    return int(number) if math.isfinite(number) and 0 <= number <= MAX_REPEAT_ENTRIES else 0


def answer_key(problem: AnswerProblem, repeats: Iterable[Group]) -> str:
    """Where a problem is shown: the question, or ``repeat-entry-question`` inside a repeat."""
    if problem.instance is None:
        return problem.question
    for group in repeats:
        if problem.question in {q.name for q in repeat_questions(group)}:
            return f"{group.name}-{problem.instance}-{problem.question}"
    return problem.question


def pages(form: SurveyDefinition) -> list[Page]:
    """One page per top-level group; questions between groups share a page."""
    result: list[Page] = []
    loose: list[Item] = []

    def flush() -> None:
        if loose:
            result.append(Page(len(result) + 1, None, tuple(loose)))
            loose.clear()

    for item in form.items:
        if isinstance(item, Group) and not item.repeat:
            flush()
            result.append(Page(len(result) + 1, item, item.children))
        elif isinstance(item, Question) and item.type in {"calculate", "hidden", "start", "end"}:
            continue
        else:
            loose.append(item)
    flush()
    return result


def _raw_for_check(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in answers.items() if value not in (None, "", [])}


def check_answers(
    survey: Survey, answers: Mapping[str, Any], *, language: str = "", today=None
) -> tuple[dict[str, Any], list[AnswerProblem]]:
    check = validate_response(
        survey.form, _raw_for_check(answers), language=language or None, today=today
    )
    return check.answers, check.problems


def _context(survey: Survey, answers: Mapping[str, Any], today=None, checked=None) -> Context:
    cleaned, _problems = checked or check_answers(survey, answers, today=today)
    values: dict[str, Any] = {q.name: None for q in survey.form.questions()}
    values.update(cleaned)
    return Context(values=values, today=today or dt.date.today(), now=dt.datetime.now())


def relevant_names(
    survey: Survey, answers: Mapping[str, Any], today=None, checked=None
) -> set[str]:
    """Names of the questions and groups that are asked with these answers (skip logic).
    ``checked``: the result of ``check_answers`` for these answers, when the caller has it."""
    context = _context(survey, answers, today, checked)
    shown: set[str] = set()

    def visit(items, parent_shown: bool) -> None:
        for item in items:
            holds = parent_shown and (item.relevant is None or item.relevant.is_true(context))
            if holds:
                shown.add(item.name)
            if isinstance(item, Group) and not item.repeat:
                visit(item.children, holds)

    visit(survey.form.items, True)
    return shown


def page_problems(
    survey: Survey, page: Page, answers: Mapping[str, Any], *, language: str = ""
) -> list[AnswerProblem]:
    """Problems of the answers on one page (later pages are not checked yet)."""
    names = {q.name for q in page.questions()}
    for group in page.repeats():
        names |= {group.name, *(q.name for q in repeat_questions(group))}
    _cleaned, problems = check_answers(survey, answers, language=language)
    return [p for p in problems if p.question in names]


# --- drafts and submission -----------------------------------------------------------------


def normalise_code(text: str) -> str:
    return _CODE_CLEAN.sub("", text or "").upper()[:40]


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def redeem_code(survey: Survey, text: str, client: str = "") -> InvitationCode:
    """The unused invitation code of the survey; wrong codes are counted per client."""
    now = timezone.now()
    limit, window = code_attempt_limit()
    bucket = client_bucket(f"surveycode{survey.pk}", client) if client else ""
    if bucket:
        _check_rate(bucket, limit, window, now, _too_many_codes)
    code = InvitationCode.objects.filter(survey=survey, code=normalise_code(text)).first()
    if code is None:
        if bucket:
            ratelimit.count(bucket, now)
        raise SurveyError(
            [
                _(
                    "Diesen Code kennen wir nicht. Bitte prüfen Sie die Schreibweise: acht "
                    "Zeichen, zum Beispiel ABCD-EFGH, wie im Einladungsbrief."
                )
            ],
            status=404,
        )
    if code.used:
        raise SurveyError([_used_code_message()], status=409)
    return code


def _used_code_message() -> str:
    return _(
        "Mit diesem Code wurde bereits geantwortet. Jeder Code gilt für eine Antwort; "
        "Ihre Antwort ist gespeichert."
    )


def start(
    survey: Survey,
    *,
    area: Area | None = None,
    code: InvitationCode | None = None,
    language: str = "",
) -> Draft:
    """A draft for new answers; with a code, the code's draft if one was saved before.
    Drafts left alone for more than draft_days() are deleted here (data minimisation)."""
    Draft.objects.filter(updated_at__lt=timezone.now() - dt.timedelta(days=draft_days())).delete()
    if survey.access == INVITATION and code is None:
        raise SurveyError([_("Für diese Umfrage brauchen Sie den Code aus Ihrem Brief.")])
    if code is not None:
        existing = Draft.objects.filter(code=code).first()
        if existing is not None:
            return existing
        area = code.area
    if area is not None and area.level_id != survey.area_level_id:
        raise SurveyError([_choose_area_message()])
    return Draft.objects.create(
        survey=survey,
        token=secrets.token_urlsafe(24),
        code=code,
        area=area,
        language=language[:50],
        submission_key=secrets.token_urlsafe(24),
    )


def _choose_area_message() -> str:
    return _("Bitte wählen Sie Ihren Stadtteil aus der Liste.")


def save_draft(
    draft: Draft,
    answers: Mapping[str, Any],
    *,
    clear: Iterable[str] = (),
    area: Area | None = None,
    language: str | None = None,
) -> Draft:
    """Keep the given answers (raw, as typed); names in ``clear`` are removed."""
    form = draft.survey.form
    known = {q.name for q in form.questions()} | {g.name for g in form.groups() if g.repeat}
    merged = {k: v for k, v in draft.answers.items() if k not in set(clear)}
    for name, value in answers.items():
        if name in known:
            merged[name] = value
    draft.answers = merged
    fields = ["answers", "updated_at"]
    if area is not None and draft.code_id is None:
        if area.level_id != draft.survey.area_level_id:
            raise SurveyError([_choose_area_message()])
        draft.area = area
        fields.append("area")
    if language is not None:
        draft.language = language[:50]
        fields.append("language")
    draft.save(update_fields=fields)
    return draft


def submit_draft(draft: Draft, *, submission_key: str, client: str = "", today=None) -> Response:
    return submit_response(
        draft.survey,
        draft.answers,
        area=draft.area,
        code=draft.code,
        draft=draft,
        submission_key=submission_key,
        client=client,
        language=draft.language,
        today=today,
    )


def _store_in_transaction(
    response: Response, code: InvitationCode | None, draft: Draft | None
) -> None:
    """The response, its invitation code marked as used and the drafts deleted: all or none."""
    with transaction.atomic():
        if code is not None:
            taken = InvitationCode.objects.filter(pk=code.pk, used=False).update(used=True)
            if not taken:
                raise SurveyError([_used_code_message()], status=409)
        rows.insert(response)  # plain SQL: see core.rows
        if draft is not None and draft.pk:
            Draft.objects.filter(pk=draft.pk).delete()
        if code is not None:
            Draft.objects.filter(code=code).delete()


def submit_response(
    survey: Survey,
    answers: Mapping[str, Any],
    *,
    area: Area | None = None,
    code: InvitationCode | None = None,
    draft: Draft | None = None,
    submission_key: str = "",
    channel: str = ONLINE,
    client: str = "",
    language: str = "",
    today: dt.date | None = None,
    paper_batch: PaperBatch | None = None,
    questionnaire_number: int | None = None,
    checked: tuple[dict[str, Any], list[AnswerProblem]] | None = None,
) -> Response:
    """Check and store one response. The same ``submission_key`` (the key of the submitted
    form) gives the response already stored instead of a second one. Raises SurveyError
    (nothing stored) for wrong answers, a used code, a closed survey or a flood. ``checked``:
    the result of ``check_answers`` for these answers, when the caller has it already."""
    now = timezone.now()
    today = today or timezone.localdate()
    # A form sent twice fails at the latest on the unique key; only then is the key looked
    # up (instead of a query before every submission).
    try:
        limit, window = submit_limit()
        bucket = client_bucket(f"surveysubmit{survey.pk}", client) if client else ""
        if bucket:
            _check_rate(bucket, limit, window, now, _too_many_responses)
        if channel == ONLINE and not survey.is_open(today):
            raise SurveyError([_("Diese Umfrage ist nicht geöffnet.")], status=409)
        if survey.access == INVITATION and channel == ONLINE and code is None:
            raise SurveyError([_("Für diese Umfrage brauchen Sie den Code aus Ihrem Brief.")])
        if code is not None:
            area = code.area
        if area is None or area.level_id != survey.area_level_id:
            raise SurveyError([_choose_area_message()])
        cleaned, problems = checked or check_answers(
            survey, answers, language=language, today=today
        )
        if problems:
            raise SurveyError(
                [_("Bitte prüfen Sie Ihre Antworten; einige passen noch nicht.")], problems
            )
        response = Response(
            survey=survey,
            area=area,
            answers=cleaned,
            channel=channel,
            paper_batch=paper_batch,
            questionnaire_number=questionnaire_number,
            language=(language or "")[:50],
            submitted_at=now,
            submission_key=submission_key or None,
        )
        if code is None and draft is None and not transaction.get_connection().in_atomic_block:
            # A single INSERT commits by itself, so the database's write lock is held only
            # inside SQLite: in a transaction of several statements, the thread holding the
            # lock waits for its process's GIL between them while the others wait for it.
            rows.insert(response)  # plain SQL: see core.rows
        else:  # within a caller's transaction: a savepoint, so a form sent twice undoes only this
            _store_in_transaction(response, code, draft)
    except IntegrityError:
        error = SurveyError([_("Dieser Fragebogen wurde bereits erfasst.")], status=409)
    except SurveyError as refused:
        error = refused
    else:
        if bucket:  # after the response: a refused double submission is not counted
            ratelimit.count(bucket, now)
        return response
    existing = None
    if submission_key:
        existing = Response.objects.filter(survey=survey, submission_key=submission_key).first()
    if existing is None:
        raise error
    return existing


SURVEY_KEPT_SECONDS = 5
_kept_surveys: dict[str, tuple[float, Survey]] = {}


def survey_for_form(slug: str) -> Survey:
    """The survey (without its stored definition) for the one-page form, kept per process
    for a few seconds: during a survey wave looking it up cost as much as storing a response.
    A change saved in this process applies at once, one saved in another process within
    SURVEY_KEPT_SECONDS. Raises Survey.DoesNotExist."""
    now = time.monotonic()
    kept = _kept_surveys.get(slug)
    if kept is None or now - kept[0] > SURVEY_KEPT_SECONDS:
        kept = _kept_surveys[slug] = (now, Survey.objects.defer("definition").get(slug=slug))
    return kept[1]


@receiver([post_save, post_delete], sender=Survey)
def _forget_kept_surveys(sender, **kwargs) -> None:
    _kept_surveys.clear()


def _too_many_responses(limit: int, window: int, minutes: int) -> str:
    return _(
        "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Antworten (höchstens %(limit)d in "
        "%(window)d Minuten). Bitte versuchen Sie es in %(minutes)d Minuten noch einmal."
    ) % {"limit": limit, "window": max(1, window // 60), "minutes": minutes}


def _too_many_codes(limit: int, window: int, minutes: int) -> str:
    return _(
        "Sie haben zu oft einen falschen Code eingegeben (höchstens %(limit)d in %(window)d "
        "Minuten). Bitte versuchen Sie es in %(minutes)d Minuten noch einmal."
    ) % {"limit": limit, "window": max(1, window // 60), "minutes": minutes}


def _check_rate(bucket: str, limit: int, window: int, now, message) -> None:
    wait = ratelimit.wait_seconds(bucket, limit, window, now)
    if wait:
        raise SurveyError([message(limit, window, max(1, math.ceil(wait / 60)))], status=429)


# --- invitation codes ------------------------------------------------------------------------


def code_distribution(
    survey: Survey, total: int, weights: Mapping[int, float] | None = None
) -> dict[int, int]:
    """Codes per area (id): proportional to the weights (default: the areas' population;
    equal when it is unknown), whole numbers by largest remainder."""
    areas = list(Area.objects.filter(level=survey.area_level).order_by("key"))
    if not areas or total <= 0:
        return {}
    if weights is None:
        weights = {a.pk: float(a.population or 0) for a in areas}
        if not any(weights.values()):
            weights = {a.pk: 1.0 for a in areas}
    known = {a.pk for a in areas}
    weights = {k: max(0.0, float(v)) for k, v in weights.items() if k in known}
    whole = sum(weights.values())
    if whole <= 0:
        return {}
    exact = {k: total * v / whole for k, v in weights.items()}
    result = {k: int(math.floor(v)) for k, v in exact.items()}
    rest = total - sum(result.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - result[k]), k))[:rest]:
        result[k] += 1
    return {k: v for k, v in result.items() if v}


def generate_codes(
    survey: Survey, total: int, weights: Mapping[int, float] | None = None, user=None
) -> list[InvitationCode]:
    """``total`` new codes for a random sample of households, spread over the areas (see
    code_distribution). The codes come from a cryptographic random source."""
    if total <= 0 or total > 100_000:
        raise SurveyError([_("Bitte eine Anzahl zwischen 1 und 100 000 angeben.")])
    plan = code_distribution(survey, total, weights)
    if not plan:
        raise SurveyError([_("Es gibt keine Gebiete, auf die Codes verteilt werden können.")])
    wanted = sum(plan.values())
    codes: set[str] = set()
    while len(codes) < wanted:
        batch = {
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            for _ in range(wanted - len(codes))
        }
        taken = set(InvitationCode.objects.filter(code__in=batch).values_list("code", flat=True))
        codes |= batch - taken
    ordered = sorted(codes)
    secrets.SystemRandom().shuffle(ordered)
    objects, position = [], 0
    for area_id, count in sorted(plan.items()):
        for text in ordered[position : position + count]:
            objects.append(InvitationCode(survey=survey, code=text, area_id=area_id))
        position += count
    with transaction.atomic():
        created = InvitationCode.objects.bulk_create(objects, batch_size=2000)
        record(
            "surveys.codes",
            _("%(count)d Einladungscodes für „%(title)s“ erzeugt")
            % {"count": len(created), "title": survey.title},
            actor=user,
            survey=survey.pk,
        )
    return created


# --- paper entry -----------------------------------------------------------------------------


def create_batch(survey: Survey, name: str, user=None) -> PaperBatch:
    name = (name or "").strip()
    if not name:
        raise SurveyError([_("Bitte geben Sie dem Stapel eine Bezeichnung.")])
    return PaperBatch.objects.create(
        survey=survey, name=name[:200], created_by=user if getattr(user, "pk", None) else None
    )


_TYPING_CODES = {"type", "unknown_question"}


def enter_paper(
    batch: PaperBatch,
    number: int,
    entry_pass: int,
    area: Area | None,
    answers: Mapping[str, Any],
    user=None,
) -> PaperEntry:
    """Store one typing of a questionnaire (pass 1 or 2); typing errors (not a number, not
    a choice) are refused at once, answers that break the form's rules are kept as written
    and shown in the check."""
    survey = batch.survey
    messages = []
    if entry_pass not in (1, 2):
        messages.append(_("Erfassung 1 oder 2 angeben."))
    if not number or number < 1:
        messages.append(_("Bitte die Bogennummer angeben (eine ganze Zahl ab 1)."))
    if area is None or area.level_id != survey.area_level_id:
        messages.append(_("Bitte das Gebiet des Bogens angeben."))
    if Response.objects.filter(paper_batch=batch, questionnaire_number=number).exists():
        messages.append(
            _("Bogen %(number)d ist schon als Antwort übernommen.") % {"number": number}
        )
    raw = _raw_for_check(answers)
    _cleaned, problems = check_answers(survey, raw)
    typing = [
        p
        for p in problems
        if p.code in _TYPING_CODES or (p.code == "type" or "Auswahlmöglichkeit" in p.message)
    ]
    if messages or typing:
        raise SurveyError(messages, typing)
    entry, _created = PaperEntry.objects.update_or_create(
        batch=batch,
        number=number,
        entry_pass=entry_pass,
        defaults={
            "area": area,
            "answers": raw,
            "entered_by": user if getattr(user, "pk", None) else None,
        },
    )
    return entry


@dataclass
class Disagreement:
    number: int
    question: str  # question or repeat name, or "" for the area
    label: str
    first: Any
    second: Any
    entry: int | None = None  # 1-based entry of a repeat


@dataclass
class BatchCheck:
    agreed: list[int] = field(default_factory=list)  # both typings agree and are valid
    disagreements: list[Disagreement] = field(default_factory=list)
    single: list[int] = field(default_factory=list)  # typed once only
    invalid: dict[int, list[str]] = field(default_factory=dict)  # agree, but break rules
    accepted: list[int] = field(default_factory=list)  # already responses


def _same(a: Any, b: Any) -> bool:
    def norm(v):
        if isinstance(v, list):
            return sorted(str(x).strip() for x in v)
        return "" if v is None else str(v).strip()

    return norm(a) == norm(b)


def check_batch(batch: PaperBatch) -> BatchCheck:
    """Compare the two typings of every questionnaire of the batch."""
    survey = batch.survey
    questions = result_questions(survey.form)
    repeats = [(g, repeat_label(g, survey.form)) for g in repeat_groups(survey.form)]
    accepted = set(
        Response.objects.filter(paper_batch=batch).values_list("questionnaire_number", flat=True)
    )
    entries: dict[int, dict[int, PaperEntry]] = {}
    for entry in batch.entries.select_related("area"):
        entries.setdefault(entry.number, {})[entry.entry_pass] = entry
    result = BatchCheck(accepted=sorted(accepted))
    for number in sorted(entries):
        if number in accepted:
            continue
        typed = entries[number]
        if len(typed) < 2:
            result.single.append(number)
            continue
        first, second = typed[1], typed[2]
        found = []
        if first.area_id != second.area_id:
            found.append(Disagreement(number, "", _("Gebiet"), first.area.name, second.area.name))
        for question in questions:
            a, b = first.answers.get(question.name), second.answers.get(question.name)
            if not _same(a, b):
                found.append(Disagreement(number, question.name, question.label(), a, b))
        for group, label in repeats:
            found.extend(_repeat_disagreements(number, group, label, first.answers, second.answers))
        if found:
            result.disagreements.extend(found)
            continue
        _cleaned, problems = check_answers(survey, first.answers)
        if problems:
            result.invalid[number] = [str(p) for p in problems]
        else:
            result.agreed.append(number)
    return result


def _repeat_disagreements(
    number: int, group: Group, label: str, first: Mapping[str, Any], second: Mapping[str, Any]
) -> list[Disagreement]:
    """The number of entries of a repeat, then every answer of the entries both typed."""
    a, b = first.get(group.name) or [], second.get(group.name) or []
    if len(a) != len(b):
        text = _("%(repeat)s: Anzahl der Einträge") % {"repeat": label}
        return [Disagreement(number, group.name, text, len(a), len(b))]
    return [
        Disagreement(number, q.name, q.label(), x.get(q.name), y.get(q.name), entry)
        for entry, (x, y) in enumerate(zip(a, b, strict=True), 1)
        for q in entry_questions(group)
        if not _same(x.get(q.name), y.get(q.name))
    ]


def accept_batch(batch: PaperBatch, user=None) -> int:
    """Turn every questionnaire whose two typings agree (and are valid) into a response;
    returns how many. Disagreeing ones wait for a corrected typing."""
    check = check_batch(batch)
    entries = {e.number: e for e in batch.entries.filter(entry_pass=1, number__in=check.agreed)}
    created = 0
    with transaction.atomic():
        for number in check.agreed:
            entry = entries[number]
            submit_response(
                batch.survey,
                entry.answers,
                area=entry.area,
                channel=PAPER,
                paper_batch=batch,
                questionnaire_number=number,
            )
            created += 1
        if created:
            record(
                "surveys.paper",
                _("%(count)d Papierbögen aus „%(batch)s“ übernommen")
                % {"count": created, "batch": batch.name},
                actor=user,
                survey=batch.survey_id,
            )
    return created


# --- privacy and the district profile ----------------------------------------------------------


def descendant_ids(area: Area) -> list[int]:
    ids, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return ids


@dataclass(frozen=True)
class AreaSurvey:
    survey: Survey
    responses: int
    is_open: bool = False


def area_summary(area: Area) -> list[AreaSurvey]:
    """Surveys with responses from the area (or its sub-areas), newest first."""
    from django.db.models import Count

    counted = (
        Response.objects.filter(area_id__in=descendant_ids(area))
        .values("survey_id")
        .annotate(n=Count("id"))
    )
    numbers = {row["survey_id"]: row["n"] for row in counted}
    surveys = Survey.objects.filter(pk__in=numbers).order_by("-created_at")
    today = timezone.localdate()
    return [AreaSurvey(s, numbers[s.pk], s.is_open(today)) for s in surveys]
