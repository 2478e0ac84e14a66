"""The XPath-like expressions of XLSForm (``relevant``, ``constraint``, ``required``,
``calculation``, ``repeat_count``), parsed by a small recursive-descent parser and evaluated
without ``eval``.

The supported subset is what survey teams commonly write:

- references ``${name}`` and the current answer ``.``;
- numbers (``1``, ``2.5``), strings in straight single or double quotes;
- ``or``, ``and``, ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``+``, ``-``, ``*``,
  ``div``, ``mod``, unary minus and parentheses;
- the functions in ``FUNCTIONS`` (``selected()``, ``count-selected()``, ``not()``,
  ``string-length()``, ``regex()``, ``today()``, ``if()``, ``concat()`` …).

Paths (``/data/q``, ``../q``), predicates, unions, ``instance()``, ``pulldata()`` and other
functions are refused when the form is imported, with a German message that says where and
what to write instead — so that a form fails early, never while a citizen answers.

Values follow XPath 1.0 as JavaRosa (ODK Collect) applies it: strings, numbers (floats),
booleans, and dates (compared and subtracted as days since 1970-01-01). An unanswered
question is the empty string. Evaluation never raises: a division by zero gives Infinity or
NaN, a regular expression that cannot be compiled at run time matches nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 60  # nesting of parentheses and operators; deeper is refused, never a RecursionError
MAX_LENGTH = 10_000  # characters of one expression

Value = str | float | bool | dt.date | dt.datetime

_EPOCH = dt.date(1970, 1, 1)
_EPOCH_TIME = dt.datetime(1970, 1, 1)
_NAME = r"[^\W\d][\w.\-]*"  # a letter or _, then letters, digits, _ . -
_NAME_RE = re.compile(rf"{_NAME}(?::{_NAME})?")
_QUESTION_NAME_RE = re.compile(_NAME)
_DIGITS = "0123456789"
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_XPATH_NUMBER_RE = re.compile(r"\s*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*")
_DATE_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
_DATETIME_RE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*")
_TYPOGRAPHIC_QUOTES = "„“”‚‘’«»"
_OPERATOR_NAMES = {"and", "or", "div", "mod"}


class ExpressionError(ValueError):
    """An expression gemeinsinn cannot run; the message is German and says how to fix it."""

    def __init__(self, message: str, hint: str = "", position: int | None = None):
        self.message = message
        self.hint = hint
        self.position = position  # 1-based character position, when known
        super().__init__(f"{message} {hint}".strip())


# --- syntax tree --------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: str | float


@dataclass(frozen=True)
class Reference:
    name: str


@dataclass(frozen=True)
class Current:
    pass


@dataclass(frozen=True)
class Negate:
    operand: Node


@dataclass(frozen=True)
class Binary:
    operator: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Node, ...]


Node = Literal | Reference | Current | Negate | Binary | Call


@dataclass(frozen=True)
class Expression:
    """A parsed expression; ``source`` is the text as written in the form."""

    source: str
    tree: Node = field(repr=False)
    references: frozenset[str] = frozenset()
    uses_current: bool = False

    def evaluate(self, context: Context) -> Value:
        return _evaluate(self.tree, context)

    def is_true(self, context: Context) -> bool:
        return to_boolean(self.evaluate(context))

    def __str__(self) -> str:
        return self.source


@dataclass
class Context:
    """What an expression sees: the answers so far (by question name) and the current answer.

    Answer values may be Python values as a response carries them (str, int, float, Decimal,
    list of choice names, date); they are converted as XPath would see them.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    current: Any = None
    today: dt.date | None = None
    now: dt.datetime | None = None

    def value_of(self, name: str) -> Value:
        return from_answer(self.values.get(name))


# --- tokens -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # number, string, ref, current, name, op, lparen, rparen, comma, end
    text: str
    position: int  # 0-based


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    length = len(text)

    def previous_is_operand() -> bool:
        if not tokens:
            return False
        last = tokens[-1]
        return last.kind in {"number", "string", "ref", "current", "rparen"} or (
            last.kind == "name" and last.text not in _OPERATOR_NAMES
        )

    while index < length:
        char = text[index]
        if char.isspace():
            index += 1
            continue
        start = index
        if char in "'\"":
            end = text.find(char, index + 1)
            if end < 0:
                raise ExpressionError(
                    f"Die Zeichenkette ab Stelle {start + 1} wird nicht mit {char} beendet.",
                    f"Bitte das schließende {char} ergänzen.",
                    start + 1,
                )
            tokens.append(_Token("string", text[index + 1 : end], start))
            index = end + 1
            continue
        if char in _TYPOGRAPHIC_QUOTES:
            raise ExpressionError(
                f"Typografisches Anführungszeichen „{char}“ an Stelle {start + 1}.",
                "In Ausdrücken bitte gerade Anführungszeichen verwenden: ' oder \" "
                "(Excel ersetzt sie beim Tippen manchmal automatisch).",
                start + 1,
            )
        if char == "$":
            if text.startswith("${", index):
                end = text.find("}", index + 2)
                if end < 0:
                    raise ExpressionError(
                        f"Der Verweis ab Stelle {start + 1} wird nicht mit }} geschlossen.",
                        "Verweise auf Fragen schreibt man ${name}.",
                        start + 1,
                    )
                name = text[index + 2 : end].strip()
                if not _QUESTION_NAME_RE.fullmatch(name):
                    raise ExpressionError(
                        f"„${{{name}}}“ an Stelle {start + 1} ist kein gültiger Verweis.",
                        "In ${…} steht der Name einer Frage aus dem Blatt survey "
                        "(Buchstaben, Ziffern, _ - .; am Anfang ein Buchstabe oder _).",
                        start + 1,
                    )
                tokens.append(_Token("ref", name, start))
                index = end + 1
                continue
            raise ExpressionError(
                f"Das Zeichen $ an Stelle {start + 1} gehört zu keinem Verweis.",
                "Verweise auf Fragen schreibt man ${name}.",
                start + 1,
            )
        if char in _DIGITS or (char == "." and index + 1 < length and text[index + 1] in _DIGITS):
            match = _NUMBER_RE.match(text, index)
            assert match is not None
            tokens.append(_Token("number", match.group(), start))
            index = match.end()
            continue
        if char == ".":
            if text.startswith("..", index) or text.startswith("./", index):
                raise _path_error(text, start)
            tokens.append(_Token("current", ".", start))
            index += 1
            continue
        if char in "/@[]|":
            if char in "/@":
                raise _path_error(text, start)
            raise ExpressionError(
                f"„{char}“ an Stelle {start + 1} wird nicht unterstützt "
                "(Prädikate und Vereinigungen von Knotenmengen).",
                "Bitte die Bedingung mit ${name}, Vergleichen, and/or und Funktionen wie "
                "selected() schreiben.",
                start + 1,
            )
        two = text[index : index + 2]
        if two in {"!=", "<=", ">="}:
            tokens.append(_Token("op", two, start))
            index += 2
            continue
        if char in "=<>+-":
            tokens.append(_Token("op", char, start))
            index += 1
            continue
        if char == "*":
            if not previous_is_operand():
                raise ExpressionError(
                    f"„*“ an Stelle {start + 1} steht ohne Zahl davor.",
                    "Platzhalter wie * werden nicht unterstützt; * multipliziert zwei Zahlen.",
                    start + 1,
                )
            tokens.append(_Token("op", "*", start))
            index += 1
            continue
        if char == "(":
            tokens.append(_Token("lparen", char, start))
            index += 1
            continue
        if char == ")":
            tokens.append(_Token("rparen", char, start))
            index += 1
            continue
        if char == ",":
            tokens.append(_Token("comma", char, start))
            index += 1
            continue
        match = _NAME_RE.match(text, index)
        if match:
            word = match.group()
            if word in _OPERATOR_NAMES and previous_is_operand():
                tokens.append(_Token("op", word, start))
            else:
                tokens.append(_Token("name", word, start))
            index = match.end()
            continue
        if char == "!":
            raise ExpressionError(
                f"„!“ an Stelle {start + 1} ist kein Operator.",
                "Für „nicht“ bitte not(…) schreiben, für „ungleich“ !=.",
                start + 1,
            )
        if char == "&" and text.startswith(("&&", "&lt;", "&gt;", "&amp;"), index):
            shown = (
                "&&" if text.startswith("&&", index) else text[index : text.index(";", index) + 1]
            )
            raise ExpressionError(
                f"„{shown}“ an Stelle {start + 1} ist hier nicht erlaubt.",
                "Bitte and, or, < oder > direkt schreiben.",
                start + 1,
            )
        raise ExpressionError(
            f"Unerwartetes Zeichen „{char}“ an Stelle {start + 1}.",
            "Erlaubt sind ${name}, ., Zahlen, Text in Anführungszeichen, Vergleiche, "
            "Rechenzeichen, and, or und Funktionen wie selected().",
            start + 1,
        )
    tokens.append(_Token("end", "", length))
    return tokens


def _path_error(text: str, start: int) -> ExpressionError:
    end = start
    while end < len(text) and not text[end].isspace() and text[end] not in "()=!<>,":
        end += 1
    path = text[start:end] or text[start]
    return ExpressionError(
        f"Pfadangaben wie „{path}“ (Stelle {start + 1}) werden nicht unterstützt.",
        "Bitte Fragen mit ${name} ansprechen und die aktuelle Antwort mit „.“.",
        start + 1,
    )


# --- functions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Function:
    minimum: int
    maximum: int | None  # None: any number
    implementation: Callable[..., Value]
    lazy: bool = False  # receives unevaluated nodes and the context (if, and-like functions)


def _function_names() -> str:
    return ", ".join(f"{name}()" for name in sorted(FUNCTIONS))


# --- parser -------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.references: set[str] = set()
        self.uses_current = False

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        tree = self.expression()
        if self.token.kind != "end":
            raise self.unexpected()
        return tree

    def descend(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                f"Der Ausdruck ist zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen).",
                "Bitte den Ausdruck vereinfachen oder auf mehrere calculate-Zeilen aufteilen.",
            )

    def expression(self) -> Node:
        self.descend()
        try:
            return self.binary(0)
        finally:
            self.depth -= 1

    _LEVELS: tuple[frozenset[str], ...] = (
        frozenset({"or"}),
        frozenset({"and"}),
        frozenset({"=", "!="}),
        frozenset({"<", "<=", ">", ">="}),
        frozenset({"+", "-"}),
        frozenset({"*", "div", "mod"}),
    )

    def binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.token.kind == "op" and self.token.text in self._LEVELS[level]:
            operator = self.advance().text
            self.descend()
            right = self.binary(level + 1)
            left = Binary(operator, left, right)
        return left

    def unary(self) -> Node:
        if self.token.kind == "op" and self.token.text == "-":
            self.advance()
            self.descend()
            return Negate(self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Literal(float(token.text))
        if token.kind == "string":
            self.advance()
            return Literal(token.text)
        if token.kind == "ref":
            self.advance()
            self.references.add(token.text)
            return Reference(token.text)
        if token.kind == "current":
            self.advance()
            self.uses_current = True
            return Current()
        if token.kind == "lparen":
            self.advance()
            inner = self.expression()
            if self.token.kind != "rparen":
                raise self.unexpected("Eine schließende Klammer „)“ fehlt.")
            self.advance()
            return inner
        if token.kind == "name":
            return self.call()
        raise self.unexpected()

    def call(self) -> Node:
        token = self.advance()
        name = token.text
        if self.token.kind != "lparen":
            raise ExpressionError(
                f"„{name}“ an Stelle {token.position + 1} ist weder Funktion noch Verweis.",
                f"Fragen werden mit ${{{name}}} angesprochen, Text steht in Anführungszeichen "
                f"('{name}'), Funktionen haben Klammern ({name}()).",
                token.position + 1,
            )
        function = FUNCTIONS.get(name)
        if function is None:
            hint = f"Unterstützt werden: {_function_names()}."
            if name in _UNSUPPORTED_HINTS:
                hint = f"{_UNSUPPORTED_HINTS[name]} {hint}"
            raise ExpressionError(
                f"Die Funktion „{name}()“ (Stelle {token.position + 1}) wird von gemeinsinn "
                "nicht unterstützt.",
                hint,
                token.position + 1,
            )
        self.advance()  # (
        arguments: list[Node] = []
        if self.token.kind != "rparen":
            while True:
                arguments.append(self.expression())
                if self.token.kind == "comma":
                    self.advance()
                    continue
                break
        if self.token.kind != "rparen":
            raise self.unexpected(f"Die Klammer von „{name}(“ wird nicht geschlossen.")
        self.advance()
        count = len(arguments)
        if count < function.minimum or (function.maximum is not None and count > function.maximum):
            raise ExpressionError(
                f"Die Funktion „{name}()“ erwartet {_arity(function)}, "
                f"hier {'steht' if count == 1 else 'stehen'} {count}.",
                "Argumente werden mit Komma getrennt; Dezimalzahlen mit Punkt schreiben (1.5).",
                token.position + 1,
            )
        if name == "regex" and isinstance(arguments[1], Literal):
            _compile_regex(str(arguments[1].value), strict=True)
        if name in {"string-length", "normalize-space"} and not arguments:
            self.uses_current = True
        return Call(name, tuple(arguments))

    def unexpected(self, message: str = "") -> ExpressionError:
        token = self.token
        if token.kind == "end":
            return ExpressionError(
                message or "Der Ausdruck endet unerwartet.",
                "Vermutlich fehlt hinter einem Operator oder Komma noch ein Wert.",
                len(self.text),
            )
        shown = token.text if token.kind != "string" else f"'{token.text}'"
        hint = "Bitte den Ausdruck an dieser Stelle prüfen."
        if token.kind == "comma":
            hint = (
                "Ein Komma trennt nur Argumente einer Funktion; Dezimalzahlen bitte mit Punkt "
                "schreiben (1.5)."
            )
        elif token.kind == "op" and token.text == "=" and self.index > 0:
            hint = "Für Vergleiche steht auf beiden Seiten von = ein Wert."
        return ExpressionError(
            message or f"Unerwartetes „{shown}“ an Stelle {token.position + 1}.",
            hint,
            token.position + 1,
        )


def _arity(function: _Function) -> str:
    low, high = function.minimum, function.maximum
    if high is None:
        return f"mindestens {low} Argument{'e' if low != 1 else ''}"
    if low == high:
        return "keine Argumente" if low == 0 else f"{low} Argument{'e' if low != 1 else ''}"
    return f"{low} bis {high} Argumente"


def parse_expression(text: str) -> Expression:
    """The parsed expression, or ExpressionError with a German message; never anything else."""
    if not isinstance(text, str):
        raise ExpressionError("Ein Ausdruck muss Text sein.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"Der Ausdruck ist länger als {MAX_LENGTH} Zeichen.",
            "Bitte den Ausdruck kürzen oder auf mehrere calculate-Zeilen aufteilen.",
        )
    if not text.strip():
        raise ExpressionError(
            "Der Ausdruck ist leer.", "Bitte einen Ausdruck eintragen oder die Zelle leeren."
        )
    parser = _Parser(text)
    tree = parser.parse()
    return Expression(
        source=text.strip(),
        tree=tree,
        references=frozenset(parser.references),
        uses_current=parser.uses_current,
    )


# --- conversions --------------------------------------------------------------------------


def from_answer(value: Any) -> Value:
    """An answer as XPath sees it: numbers as floats, choice lists as "a b", missing as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:  # an int beyond the range of floats
            return math.inf if value > 0 else -math.inf
    if isinstance(value, str | dt.date):  # dt.datetime is a dt.date too
        return value
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    try:  # Decimal and other numbers
        return float(value)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return str(value)


def to_boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True  # a date


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) - _EPOCH_TIME).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    match = _XPATH_NUMBER_RE.fullmatch(value)
    if match:
        return float(match.group(1))
    as_date = _parse_date(value)
    if as_date is not None:
        return to_number(as_date)
    return math.nan


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _parse_date(text: str) -> dt.date | dt.datetime | None:
    match = _DATE_RE.fullmatch(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    match = _DATETIME_RE.fullmatch(text)
    if match:
        try:
            return dt.datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}")
        except ValueError:
            return None
    return None


# --- evaluation ---------------------------------------------------------------------------


def _evaluate(node: Node, context: Context) -> Value:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Reference):
        return context.value_of(node.name)
    if isinstance(node, Current):
        return from_answer(context.current)
    if isinstance(node, Negate):
        return -to_number(_evaluate(node.operand, context))
    if isinstance(node, Binary):
        return _binary(node, context)
    function = FUNCTIONS[node.function]
    if function.lazy:
        return function.implementation(context, *node.arguments)
    arguments = [_evaluate(argument, context) for argument in node.arguments]
    return function.implementation(context, *arguments)


def _binary(node: Binary, context: Context) -> Value:
    operator = node.operator
    if operator == "or":
        return to_boolean(_evaluate(node.left, context)) or to_boolean(
            _evaluate(node.right, context)
        )
    if operator == "and":
        return to_boolean(_evaluate(node.left, context)) and to_boolean(
            _evaluate(node.right, context)
        )
    left = _evaluate(node.left, context)
    right = _evaluate(node.right, context)
    if operator in {"=", "!="}:
        equal = _equal(left, right)
        return equal if operator == "=" else not equal
    if operator in {"<", "<=", ">", ">="}:
        a, b = to_number(left), to_number(right)
        if operator == "<":
            return a < b
        if operator == "<=":
            return a <= b
        if operator == ">":
            return a > b
        return a >= b
    return _arithmetic(operator, to_number(left), to_number(right))


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if isinstance(left, float | dt.date) or isinstance(right, float | dt.date):
        return to_number(left) == to_number(right)
    return left == right


def _arithmetic(operator: str, a: float, b: float) -> float:
    try:
        if operator == "+":
            return a + b
        if operator == "-":
            return a - b
        if operator == "*":
            return a * b
        if operator == "div":
            if b == 0:
                if a == 0 or math.isnan(a):
                    return math.nan
                return math.copysign(math.inf, a) * math.copysign(1, b)
            return a / b
        # mod: the sign of the dividend, as XPath's mod (and Java's %)
        if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
            return math.nan
        return math.fmod(a, b)
    except OverflowError:
        return math.nan


def _compile_regex(pattern: str, *, strict: bool) -> re.Pattern[str] | None:
    """XML-Schema-like regular expressions as Python ones: ``[\\w-\\.]`` means a literal hyphen,
    as Java (ODK Collect) reads it."""
    translated = re.sub(r"(?<!\\)(\\[wdsWDS])-(?!\])", r"\1\\-", pattern)
    try:
        return re.compile(translated)
    except (re.error, RecursionError, OverflowError) as error:
        if strict:
            raise ExpressionError(
                f"Der reguläre Ausdruck „{pattern}“ ist fehlerhaft ({error}).",
                "Bitte das Muster in regex(…, '…') prüfen.",
            ) from None
        return None


_REGEX_CACHE: dict[str, re.Pattern[str] | None] = {}


def _regex(context: Context, text: Value, pattern: Value) -> bool:
    key = to_string(pattern)
    if key not in _REGEX_CACHE:
        if len(_REGEX_CACHE) > 512:
            _REGEX_CACHE.clear()
        _REGEX_CACHE[key] = _compile_regex(key, strict=False)
    compiled = _REGEX_CACHE[key]
    if compiled is None:
        return False
    return compiled.search(to_string(text)) is not None


def _if(context: Context, condition: Node, then: Node, otherwise: Node) -> Value:
    if to_boolean(_evaluate(condition, context)):
        return _evaluate(then, context)
    return _evaluate(otherwise, context)


def _selected(context: Context, answer: Value, choice: Value) -> bool:
    return to_string(choice).strip() in to_string(answer).split()


def _count_selected(context: Context, answer: Value) -> float:
    return float(len(to_string(answer).split()))


def _selected_at(context: Context, answer: Value, index: Value) -> str:
    names = to_string(answer).split()
    position = to_number(index)
    if math.isnan(position) or math.isinf(position):
        return ""
    position = int(position)
    return names[position] if 0 <= position < len(names) else ""


def _string_length(context: Context, *value: Value) -> float:
    text = to_string(value[0]) if value else to_string(from_answer(context.current))
    return float(len(text))


def _normalize_space(context: Context, *value: Value) -> str:
    text = to_string(value[0]) if value else to_string(from_answer(context.current))
    return " ".join(text.split())


def _substring(context: Context, text: Value, start: Value, *length: Value) -> str:
    """XPath's substring(): 1-based, positions rounded."""
    string = to_string(text)
    first = _xpath_round(to_number(start))
    last = first + _xpath_round(to_number(length[0])) if length else math.inf
    if math.isnan(first) or math.isnan(last):
        return ""
    return "".join(char for i, char in enumerate(string, 1) if first <= i < last)


def _substr(context: Context, text: Value, start: Value, *end: Value) -> str:
    """ODK's substr(): 0-based start, exclusive end."""
    string = to_string(text)
    begin = to_number(start)
    stop = to_number(end[0]) if end else float(len(string))
    if math.isnan(begin) or math.isnan(stop):
        return ""
    begin_index = max(0, int(max(min(begin, len(string)), -1)))
    stop_index = int(max(min(stop, len(string)), 0))
    return string[begin_index:stop_index]


def _xpath_round(number: float) -> float:
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.floor(number + 0.5))


def _round(context: Context, value: Value, *digits: Value) -> float:
    number = to_number(value)
    places = to_number(digits[0]) if digits else 0.0
    if math.isnan(number) or math.isinf(number) or math.isnan(places) or math.isinf(places):
        return number if not math.isnan(places) else math.nan
    places = int(places)
    if abs(places) > 300:
        return number
    factor = 10.0**places
    try:
        scaled = number * factor
        if math.isinf(scaled):
            return number
        return math.floor(scaled + 0.5) / factor  # half up, as JavaRosa
    except OverflowError:
        return number


def _int(context: Context, value: Value) -> float:
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.trunc(number))


def _pow(context: Context, base: Value, exponent: Value) -> float:
    try:
        result = math.pow(to_number(base), to_number(exponent))
    except (OverflowError, ValueError):
        return math.nan
    return result


def _extreme(pick: Callable[..., float]) -> Callable[..., float]:
    def function(context: Context, *values: Value) -> float:
        numbers = [to_number(value) for value in values]
        if any(math.isnan(number) for number in numbers):
            return math.nan
        return pick(numbers)

    return function


def _date(context: Context, value: Value) -> Value:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | bool):
        number = to_number(value)
        if math.isnan(number) or math.isinf(number) or abs(number) > 2_000_000:
            return ""
        return _EPOCH + dt.timedelta(days=math.floor(number))
    parsed = _parse_date(to_string(value))
    return parsed if parsed is not None else ""


def _today(context: Context) -> dt.date:
    return context.today or dt.date.today()


def _now(context: Context) -> dt.datetime:
    return context.now or dt.datetime.now()


def _coalesce(context: Context, first: Value, second: Value) -> Value:
    return first if to_string(first) != "" else second


def _numeric(operation: Callable[[float], float]) -> Callable[[Context, Value], float]:
    def function(context: Context, value: Value) -> float:
        number = to_number(value)
        if math.isnan(number) or math.isinf(number):
            return number
        return float(operation(number))

    return function


FUNCTIONS: dict[str, _Function] = {
    "true": _Function(0, 0, lambda context: True),
    "false": _Function(0, 0, lambda context: False),
    "not": _Function(1, 1, lambda context, value: not to_boolean(value)),
    "boolean": _Function(1, 1, lambda context, value: to_boolean(value)),
    "number": _Function(1, 1, lambda context, value: to_number(value)),
    "string": _Function(1, 1, lambda context, value: to_string(value)),
    "int": _Function(1, 1, _int),
    "round": _Function(1, 2, _round),
    "floor": _Function(1, 1, _numeric(math.floor)),
    "ceiling": _Function(1, 1, _numeric(math.ceil)),
    "abs": _Function(1, 1, _numeric(abs)),
    "pow": _Function(2, 2, _pow),
    "min": _Function(1, None, _extreme(min)),
    "max": _Function(1, None, _extreme(max)),
    "string-length": _Function(0, 1, _string_length),
    "normalize-space": _Function(0, 1, _normalize_space),
    "concat": _Function(1, None, lambda context, *values: "".join(map(to_string, values))),
    "contains": _Function(2, 2, lambda context, a, b: to_string(b) in to_string(a)),
    "starts-with": _Function(2, 2, lambda context, a, b: to_string(a).startswith(to_string(b))),
    "ends-with": _Function(2, 2, lambda context, a, b: to_string(a).endswith(to_string(b))),
    "substring": _Function(2, 3, _substring),
    "substr": _Function(2, 3, _substr),
    "regex": _Function(2, 2, _regex),
    "coalesce": _Function(2, 2, _coalesce),
    "if": _Function(3, 3, _if, lazy=True),
    "selected": _Function(2, 2, _selected),
    "count-selected": _Function(1, 1, _count_selected),
    "selected-at": _Function(2, 2, _selected_at),
    "today": _Function(0, 0, _today),
    "now": _Function(0, 0, _now),
    "date": _Function(1, 1, _date),
    "once": _Function(1, 1, lambda context, value: value),
}

_UNSUPPORTED_HINTS = {
    "pulldata": "Daten aus angehängten CSV-Dateien gibt es in gemeinsinn nicht.",
    "instance": "Sekundäre Instanzen (instance(…)) gibt es in gemeinsinn nicht.",
    "jr:choice-name": "Die Beschriftung einer Auswahl zeigt gemeinsinn ohnehin an.",
    "indexed-repeat": "Zugriffe auf einzelne Wiederholungen werden nicht unterstützt.",
    "count": "Knotenmengen (etwa Wiederholungen zählen) werden nicht unterstützt; "
    "für Mehrfachauswahlen gibt es count-selected().",
    "sum": "Knotenmengen (Summen über Wiederholungen) werden nicht unterstützt.",
    "position": "Positionen in Wiederholungen werden nicht unterstützt.",
    "uuid": "Kennungen vergibt gemeinsinn selbst.",
    "random": "Zufallswerte würden die Auswertung unwiederholbar machen.",
    "format-date": "Datumsformate stellt gemeinsinn selbst ein.",
    "format-date-time": "Datumsformate stellt gemeinsinn selbst ein.",
    "decimal-date-time": "Bitte Datumsangaben direkt vergleichen oder voneinander abziehen.",
    "lower-case": "Vergleiche bitte mit den Namen der Auswahlmöglichkeiten schreiben.",
    "upper-case": "Vergleiche bitte mit den Namen der Auswahlmöglichkeiten schreiben.",
}


def is_question_name(text: str) -> bool:
    """Whether ``text`` can be referenced as ``${text}``."""
    return bool(_QUESTION_NAME_RE.fullmatch(text))
