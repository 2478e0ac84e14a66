"""Check one response (the answers of one respondent) against a survey definition.

``validate_response`` applies, question by question in the order of the form:

- skip logic: a question whose ``relevant`` (or whose group's) is false is not asked; an
  answer given to it anyway is dropped, and later expressions see it as unanswered;
- types: whole numbers, decimals (decimal comma or point), dates (ISO or TT.MM.JJJJ), times,
  choices that exist in the question's list, a complete order for ``rank``;
- ``required`` (also as an expression) and ``constraint`` (only on given answers, as in ODK);
- calculations, evaluated in order, so that later conditions can use them.

The result holds the cleaned answers (typed: int, float, str, list of choice names, date,
datetime; repeats as lists of dicts) and the problems per question, in German or with the
form's own messages in the requested language.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import ChainMap
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gemeinsinn.formats.xlsform.expressions import (
    Context,
    Expression,
    from_answer,
    to_number,
    to_string,
)
from gemeinsinn.formats.xlsform.model import (
    ANSWERED_TYPES,
    Group,
    Item,
    Question,
    SurveyDefinition,
    translate,
)

REQUIRED = "Diese Frage muss beantwortet werden."
NOT_ALLOWED = "Diese Antwort ist nicht zulässig."
INT_LIMIT = 2**31 - 1  # XForms int
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_PIPED = re.compile(r"\$\{\s*([^}\s]+)\s*\}")
_ACKNOWLEDGED = frozenset({"ok", "true", "yes", "ja", "1"})
_NOT_ACKNOWLEDGED = frozenset({"false", "no", "nein", "0"})


@dataclass(frozen=True)
class AnswerProblem:
    question: str  # name of the question
    message: str
    code: str  # required, constraint, type, choice, unknown_question, repeat, repeat_count
    instance: int | None = None  # 1-based entry of a repeat

    def __str__(self) -> str:
        where = self.question if self.instance is None else f"{self.question} [{self.instance}]"
        return f"{where}: {self.message}"


@dataclass
class ResponseCheck:
    answers: dict[str, Any] = field(default_factory=dict)
    problems: list[AnswerProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_question(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.question, []).append(problem.message)
        return grouped


def validate_response(
    survey: SurveyDefinition,
    answers: Mapping[str, Any],
    *,
    language: str | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ResponseCheck:
    """Check ``answers`` (question name -> answer; a repeat's name -> list of dicts)."""
    check = ResponseCheck()
    run = _Run(survey, language, today or dt.date.today(), now or dt.datetime.now(), check)
    check.answers = run.scope(survey.items, answers, {}, None)
    return check


def interpolate(text: str, values: Mapping[str, Any]) -> str:
    """A label or message with every ``${name}`` replaced by that answer."""
    return _PIPED.sub(lambda match: to_string(from_answer(values.get(match.group(1)))), text)


class _Run:
    def __init__(
        self,
        survey: SurveyDefinition,
        language: str | None,
        today: dt.date,
        now: dt.datetime,
        check: ResponseCheck,
    ):
        self.survey = survey
        self.language = language
        self.today = today
        self.now = now
        self.check = check

    def problem(self, question: str, message: str, code: str, instance: int | None = None) -> None:
        self.check.problems.append(AnswerProblem(question, message, code, instance))

    def context(self, values: Mapping[str, Any], current: Any = None) -> Context:
        return Context(values=values, current=current, today=self.today, now=self.now)

    def holds(self, expression: Expression | None, values: Mapping[str, Any]) -> bool:
        return expression is None or expression.is_true(self.context(values))

    # -- one scope: the whole form, or one entry of a repeat

    def scope(
        self,
        items: Sequence[Item],
        raw: Mapping[str, Any],
        outer: Mapping[str, Any],
        instance: int | None,
    ) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise TypeError("answers must be a mapping of question names to answers")
        own: dict[str, Any] = {}
        parsed: dict[str, tuple[Any, str]] = {}
        known: set[str] = set()
        for question in questions_outside_repeats(items):
            known.add(question.name)
            if question.answered and question.name in raw:
                parsed[question.name] = parse_answer(question, raw[question.name])
                own[question.name] = parsed[question.name][0]
        for item in _repeats(items):
            known.add(item.name)
        for name in raw:
            if name not in known:
                self.problem(
                    str(name),
                    "Diese Frage gibt es im Fragebogen nicht.",
                    "unknown_question",
                    instance,
                )
        values: MutableMapping[str, Any] = ChainMap(own, dict(outer)) if outer else own
        cleaned: dict[str, Any] = {}
        self.items(items, raw, values, parsed, cleaned, True, instance)
        return cleaned

    def items(
        self,
        items: Sequence[Item],
        raw: Mapping[str, Any],
        values: MutableMapping[str, Any],
        parsed: dict[str, tuple[Any, str]],
        cleaned: dict[str, Any],
        relevant: bool,
        instance: int | None,
    ) -> None:
        for item in items:
            if isinstance(item, Group):
                shown = relevant and self.holds(item.relevant, values)
                if item.repeat:
                    self.repeat(item, raw.get(item.name), values, cleaned, shown, instance)
                else:
                    self.items(item.children, raw, values, parsed, cleaned, shown, instance)
                continue
            shown = relevant and self.holds(item.relevant, values)
            if not shown:
                values[item.name] = None
                continue
            self.question(item, values, parsed, cleaned, instance)

    def question(
        self,
        question: Question,
        values: MutableMapping[str, Any],
        parsed: dict[str, tuple[Any, str]],
        cleaned: dict[str, Any],
        instance: int | None,
    ) -> None:
        if question.type == "calculate" or (
            question.type == "hidden" and question.calculation is not None
        ):
            if question.calculation is None:
                return
            result = _as_answer(question.calculation.evaluate(self.context(values)))
            values[question.name] = result
            cleaned[question.name] = result
            return
        if question.type == "hidden":
            if question.default:
                values[question.name] = question.default
                cleaned[question.name] = question.default
            return
        if question.type not in ANSWERED_TYPES:
            return  # notes; start, end and today are recorded by the platform
        value, error = parsed.get(question.name, (None, ""))
        if error:
            values[question.name] = None
            self.problem(question.name, error, "type", instance)
            return
        if _empty(value):
            values[question.name] = None
            required = question.required or (
                question.required_condition is not None
                and question.required_condition.is_true(self.context(values))
            )
            if required:
                message = self.message(question.required_messages, REQUIRED, values)
                self.problem(question.name, message, "required", instance)
            return
        values[question.name] = value
        if question.constraint is not None and not question.constraint.is_true(
            self.context(values, current=value)
        ):
            message = self.message(question.constraint_messages, NOT_ALLOWED, values)
            self.problem(question.name, message, "constraint", instance)
            return
        cleaned[question.name] = value

    def repeat(
        self,
        group: Group,
        raw: Any,
        values: MutableMapping[str, Any],
        cleaned: dict[str, Any],
        shown: bool,
        instance: int | None,
    ) -> None:
        if not shown:
            return
        entries = [] if raw is None else raw
        if not isinstance(entries, Sequence) or isinstance(entries, str | bytes):
            self.problem(
                group.name,
                "Die Antworten einer Wiederholung müssen eine Liste von Einträgen sein.",
                "repeat",
                instance,
            )
            return
        if group.repeat_count is not None:
            expected = to_number(group.repeat_count.evaluate(self.context(values)))
            if math.isfinite(expected) and expected >= 0 and int(expected) != len(entries):
                self.problem(
                    group.name,
                    f"Erwartet {'wird' if int(expected) == 1 else 'werden'} {int(expected)} "
                    f"{'Eintrag' if int(expected) == 1 else 'Einträge'}, "
                    f"gegeben {'ist' if len(entries) == 1 else 'sind'} {len(entries)}.",
                    "repeat_count",
                    instance,
                )
        results = []
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, Mapping):
                self.problem(
                    group.name,
                    f"Eintrag {number} der Wiederholung enthält keine Antworten.",
                    "repeat",
                    number,
                )
                continue
            results.append(self.scope(group.children, entry, values, number))
        cleaned[group.name] = results

    def message(self, texts: dict[str, str], fallback: str, values: Mapping[str, Any]) -> str:
        text = translate(texts, self.language, self.survey.default_language)
        return interpolate(text, values) if text else fallback


def questions_outside_repeats(items: Sequence[Item]) -> list[Question]:
    """Questions of this scope: inside groups, but not inside repeats (they have their own)."""
    found: list[Question] = []
    for item in items:
        if isinstance(item, Question):
            found.append(item)
        elif not item.repeat:
            found.extend(questions_outside_repeats(item.children))
    return found


def _repeats(items: Sequence[Item]) -> list[Group]:
    found: list[Group] = []
    for item in items:
        if isinstance(item, Group):
            if item.repeat:
                found.append(item)
            else:
                found.extend(_repeats(item.children))
    return found


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list) and not value)


def _as_answer(value: Any) -> Any:
    """A calculation's result as an answer: whole numbers as int, booleans as "true"/"false"."""
    if isinstance(value, bool):
        return to_string(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return value


# --- answers by type ----------------------------------------------------------------------


def parse_answer(question: Question, raw: Any) -> tuple[Any, str]:
    """(typed value, "") or (None, German message); None for an empty answer."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if isinstance(raw, list | tuple | set | frozenset) and not raw:
        return None, ""
    parser = _PARSERS.get(question.type)
    if parser is None:
        return None, ""
    return parser(question, raw)


def _text(question: Question, raw: Any) -> tuple[Any, str]:
    if isinstance(raw, str):
        return raw.strip(), ""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return None, "Bitte einen Text eingeben."
    if isinstance(raw, int):
        return str(raw), ""
    return to_string(from_answer(raw)), ""


def _integer(question: Question, raw: Any) -> tuple[Any, str]:
    message = "Bitte eine ganze Zahl eingeben (z. B. 42)."
    if isinstance(raw, bool):
        return None, message
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float | Decimal):
        try:
            if not math.isfinite(raw) or raw != int(raw):
                return None, message
        except (ValueError, ArithmeticError):  # signalling NaN and the like
            return None, message
        value = int(raw)
    elif isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        return None, message
    if abs(value) > INT_LIMIT:
        return None, "Die Zahl ist zu groß."
    return value, ""


def _decimal(question: Question, raw: Any) -> tuple[Any, str]:
    message = "Bitte eine Zahl eingeben (z. B. 3,5)."
    if isinstance(raw, bool):
        return None, message
    if isinstance(raw, int | float | Decimal):
        try:
            value = float(raw)
        except (ValueError, OverflowError, ArithmeticError):
            return None, message
    elif isinstance(raw, str) and _DECIMAL.fullmatch(raw.strip()):
        value = float(raw.strip().replace(",", "."))
    else:
        return None, message
    if not math.isfinite(value):
        return None, message
    return value, ""


def _date(question: Question, raw: Any) -> tuple[Any, str]:
    message = "Bitte ein Datum eingeben (TT.MM.JJJJ)."
    if isinstance(raw, dt.datetime):
        return raw.date(), ""
    if isinstance(raw, dt.date):
        return raw, ""
    if not isinstance(raw, str):
        return None, message
    text = raw.strip()
    german = _GERMAN_DATE.fullmatch(text)
    try:
        if german:
            day, month, year = (int(part) for part in german.groups())
            return dt.date(year, month, day), ""
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return None, message


def _time(question: Question, raw: Any) -> tuple[Any, str]:
    message = "Bitte eine Uhrzeit eingeben (HH:MM)."
    if isinstance(raw, dt.time):
        return raw.isoformat(timespec="minutes" if not raw.second else "seconds"), ""
    if not isinstance(raw, str):
        return None, message
    match = _TIME.fullmatch(raw.strip())
    if not match:
        return None, message
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    try:
        value = dt.time(hour, minute, second)
    except ValueError:
        return None, message
    return value.isoformat(timespec="seconds" if match.group(3) else "minutes"), ""


def _datetime(question: Question, raw: Any) -> tuple[Any, str]:
    message = "Bitte Datum und Uhrzeit eingeben (TT.MM.JJJJ HH:MM)."
    if isinstance(raw, dt.datetime):
        return raw, ""
    if not isinstance(raw, str):
        return None, message
    text = raw.strip()
    parts = text.replace("T", " ", 1).split(" ", 1)
    if len(parts) == 2 and _GERMAN_DATE.fullmatch(parts[0]):
        day_value, error = _date(question, parts[0])
        time_value, time_error = _time(question, parts[1])
        if error or time_error:
            return None, message
        return dt.datetime.combine(day_value, dt.time.fromisoformat(time_value)), ""
    try:
        return dt.datetime.fromisoformat(text), ""
    except ValueError:
        return None, message


def _choice_names(question: Question) -> tuple[str, ...]:
    return question.choices.names() if question.choices is not None else ()


def _unknown_choice(name: str) -> str:
    return f"„{name}“ ist keine Auswahlmöglichkeit dieser Frage."


def _select_one(question: Question, raw: Any) -> tuple[Any, str]:
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return None, "Bitte eine der Möglichkeiten auswählen."
    name = str(raw).strip()
    if name not in _choice_names(question):
        return None, _unknown_choice(name)
    return name, ""


def _selection(raw: Any) -> list[str] | None:
    if isinstance(raw, str):
        return raw.split()
    if isinstance(raw, list | tuple | set | frozenset) and all(
        isinstance(item, str | int) and not isinstance(item, bool) for item in raw
    ):
        return [str(item).strip() for item in raw]
    return None


def _select_multiple(question: Question, raw: Any) -> tuple[Any, str]:
    selected = _selection(raw)
    if selected is None:
        return None, "Bitte eine oder mehrere der Möglichkeiten auswählen."
    names = _choice_names(question)
    for name in selected:
        if name not in names:
            return None, _unknown_choice(name)
    chosen = set(selected)
    return [name for name in names if name in chosen], ""


def _rank(question: Question, raw: Any) -> tuple[Any, str]:
    order = _selection(raw)
    names = _choice_names(question)
    message = "Bitte alle Möglichkeiten in eine Reihenfolge bringen, jede genau einmal."
    if order is None:
        return None, message
    for name in order:
        if name not in names:
            return None, _unknown_choice(name)
    if len(order) != len(names) or set(order) != set(names):
        return None, message
    return order, ""


def _acknowledge(question: Question, raw: Any) -> tuple[Any, str]:
    if raw is True:
        return "OK", ""
    if raw is False:
        return None, ""
    if isinstance(raw, str):
        text = raw.strip().lower()
        if text in _ACKNOWLEDGED:
            return "OK", ""
        if text in _NOT_ACKNOWLEDGED:
            return None, ""
    return None, "Bitte bestätigen oder leer lassen."


_PARSERS = {
    "text": _text,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "time": _time,
    "datetime": _datetime,
    "select_one": _select_one,
    "select_multiple": _select_multiple,
    "rank": _rank,
    "acknowledge": _acknowledge,
}
