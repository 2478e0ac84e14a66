"""A survey definition read from an XLSForm: plain, validated, immutable data.

Texts that can be translated (labels, hints, messages) are dictionaries from language to text.
The language is what the column header names after "::" (``label::Deutsch (de)`` gives
"Deutsch (de)"); a column without language (``label``) belongs to the form's default language
(the ``default_language`` setting, or "default" as pyxform calls it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gemeinsinn.formats.xlsform.expressions import Expression, parse_expression

NO_LANGUAGE = "default"  # pyxform's name for the language of columns without "::language"
OTHER = "other"  # name of the choice that "or_other" adds

# Types whose answer comes from the respondent (the others are computed or shown only).
ANSWERED_TYPES = frozenset(
    {
        "text",
        "integer",
        "decimal",
        "date",
        "time",
        "datetime",
        "select_one",
        "select_multiple",
        "rank",
        "acknowledge",
    }
)
COMPUTED_TYPES = frozenset({"calculate", "hidden", "start", "end", "today"})
SELECTS = frozenset({"select_one", "select_multiple", "rank"})

_CODE_IN_PARENTHESES = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\s*\)\s*$")
_BARE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]+)*$")


def language_code(language: str) -> str | None:
    """The language code of a language name: "Deutsch (de)" -> "de", "en" -> "en"."""
    match = _CODE_IN_PARENTHESES.search(language)
    if match:
        return match.group(1).lower()
    if _BARE_CODE.match(language):
        return language
    return None


def translate(texts: dict[str, str], language: str | None, default_language: str) -> str:
    """The text in ``language``, else in the default language, else the first one given."""
    if not texts:
        return ""
    if language and language in texts:
        return texts[language]
    code = language_code(language) if language else None
    if code:  # "en" finds "English (en)" and the other way round
        for name, text in texts.items():
            if language_code(name) == code:
                return text
    for candidate in (default_language, NO_LANGUAGE):
        if candidate in texts:
            return texts[candidate]
    return next(iter(texts.values()))


@dataclass(frozen=True)
class Choice:
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    row: int | None = None  # row in the choices sheet; None for a generated choice ("other")


def other_choice(languages: Iterable[str]) -> Choice:
    """The choice that "or_other" adds to a list: "Sonstiges", or "Other" for languages
    other than German."""
    labels = {
        language: "Other" if (language_code(language) or "") not in {"", "de"} else "Sonstiges"
        for language in languages
    }
    return Choice(OTHER, labels or {NO_LANGUAGE: "Sonstiges"}, None)


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]

    def names(self) -> tuple[str, ...]:
        return tuple(choice.name for choice in self.choices)

    def get(self, name: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.name == name), None)


@dataclass(frozen=True)
class Question:
    name: str
    type: str  # canonical type: see vocabulary.SUPPORTED_TYPES and select_one/..._multiple/rank
    row: int | None = None  # row in the survey sheet; None for a generated question
    labels: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    required: bool = False
    required_condition: Expression | None = None  # "required" written as an expression
    required_messages: dict[str, str] = field(default_factory=dict)
    constraint: Expression | None = None
    constraint_messages: dict[str, str] = field(default_factory=dict)
    relevant: Expression | None = None
    calculation: Expression | None = None
    appearance: str = ""
    choices: ChoiceList | None = None
    or_other: bool = False
    default: str = ""
    written_type: str = ""  # the type cell as written, e.g. "select_one yes_no"

    @property
    def is_likert(self) -> bool:
        return self.type == "select_one" and "likert" in self.appearance.lower().split()

    @property
    def answered(self) -> bool:
        """Whether the respondent gives this answer (not a note, calculation or metadata)."""
        return self.type in ANSWERED_TYPES

    def label(self, language: str | None = None, default_language: str = NO_LANGUAGE) -> str:
        return translate(self.labels, language, default_language)


@dataclass(frozen=True)
class Group:
    name: str
    row: int | None = None
    labels: dict[str, str] = field(default_factory=dict)
    relevant: Expression | None = None
    appearance: str = ""
    repeat: bool = False
    repeat_count: Expression | None = None
    children: tuple[Question | Group, ...] = ()

    def walk(self) -> Iterator[Question | Group]:
        for child in self.children:
            yield child
            if isinstance(child, Group):
                yield from child.walk()


Item = Question | Group


@dataclass(frozen=True)
class SurveyDefinition:
    title: str
    form_id: str
    version: str
    default_language: str
    languages: tuple[str, ...]
    items: tuple[Item, ...]
    choice_lists: dict[str, ChoiceList] = field(default_factory=dict)
    source: str = ""  # file name the definition was read from

    def walk(self) -> Iterator[Item]:
        """Every question and group, depth first, in the order of the form."""
        for item in self.items:
            yield item
            if isinstance(item, Group):
                yield from item.walk()

    def questions(self) -> list[Question]:
        return [item for item in self.walk() if isinstance(item, Question)]

    def groups(self) -> list[Group]:
        return [item for item in self.walk() if isinstance(item, Group)]

    def question(self, name: str) -> Question:
        for question in self.questions():
            if question.name == name:
                return question
        raise KeyError(name)

    def counts_by_type(self) -> dict[str, int]:
        """Number of questions per canonical type, in a stable order (most frequent first)."""
        counts = Counter(question.type for question in self.questions())
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the definition (expressions as their source text)."""
        return {
            "title": self.title,
            "form_id": self.form_id,
            "version": self.version,
            "default_language": self.default_language,
            "languages": list(self.languages),
            "choice_lists": {
                name: [_choice_dict(choice) for choice in choice_list.choices]
                for name, choice_list in self.choice_lists.items()
            },
            "items": [_item_dict(item) for item in self.items],
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SurveyDefinition:
        """The definition back from ``to_dict()`` (expressions parsed again)."""
        lists = {
            name: ChoiceList(
                name,
                tuple(
                    Choice(choice["name"], dict(choice.get("labels", {})), choice.get("row"))
                    for choice in choices
                ),
            )
            for name, choices in data.get("choice_lists", {}).items()
        }
        return cls(
            title=data["title"],
            form_id=data["form_id"],
            version=data.get("version", ""),
            default_language=data.get("default_language", NO_LANGUAGE),
            languages=tuple(data.get("languages", ())),
            items=tuple(
                _item_from_dict(item, lists, tuple(data.get("languages", ())))
                for item in data.get("items", ())
            ),
            choice_lists=lists,
            source=data.get("source", ""),
        )


def _choice_dict(choice: Choice) -> dict[str, Any]:
    return {"name": choice.name, "labels": dict(choice.labels), "row": choice.row}


def _source(expression: Expression | None) -> str | None:
    return expression.source if expression is not None else None


def _parsed(text: str | None) -> Expression | None:
    return parse_expression(text) if text else None


def _item_dict(item: Item) -> dict[str, Any]:
    if isinstance(item, Group):
        return {
            "kind": "repeat" if item.repeat else "group",
            "name": item.name,
            "row": item.row,
            "labels": dict(item.labels),
            "relevant": _source(item.relevant),
            "appearance": item.appearance,
            "repeat_count": _source(item.repeat_count),
            "children": [_item_dict(child) for child in item.children],
        }
    return {
        "kind": "question",
        "name": item.name,
        "type": item.type,
        "row": item.row,
        "labels": dict(item.labels),
        "hints": dict(item.hints),
        "required": item.required,
        "required_condition": _source(item.required_condition),
        "required_messages": dict(item.required_messages),
        "constraint": _source(item.constraint),
        "constraint_messages": dict(item.constraint_messages),
        "relevant": _source(item.relevant),
        "calculation": _source(item.calculation),
        "appearance": item.appearance,
        "choice_list": item.choices.name if item.choices is not None else None,
        "or_other": item.or_other,
        "default": item.default,
        "written_type": item.written_type,
    }


def _item_from_dict(
    data: dict[str, Any], lists: dict[str, ChoiceList], languages: tuple[str, ...]
) -> Item:
    if data["kind"] in {"group", "repeat"}:
        return Group(
            name=data["name"],
            row=data.get("row"),
            labels=dict(data.get("labels", {})),
            relevant=_parsed(data.get("relevant")),
            appearance=data.get("appearance", ""),
            repeat=data["kind"] == "repeat",
            repeat_count=_parsed(data.get("repeat_count")),
            children=tuple(
                _item_from_dict(child, lists, languages) for child in data.get("children", ())
            ),
        )
    choices = lists[data["choice_list"]] if data.get("choice_list") else None
    if choices is not None and data.get("or_other"):
        choices = ChoiceList(choices.name, (*choices.choices, other_choice(languages)))
    return Question(
        name=data["name"],
        type=data["type"],
        row=data.get("row"),
        labels=dict(data.get("labels", {})),
        hints=dict(data.get("hints", {})),
        required=bool(data.get("required")),
        required_condition=_parsed(data.get("required_condition")),
        required_messages=dict(data.get("required_messages", {})),
        constraint=_parsed(data.get("constraint")),
        constraint_messages=dict(data.get("constraint_messages", {})),
        relevant=_parsed(data.get("relevant")),
        calculation=_parsed(data.get("calculation")),
        appearance=data.get("appearance", ""),
        choices=choices,
        or_other=bool(data.get("or_other")),
        default=data.get("default", ""),
        written_type=data.get("written_type", ""),
    )
