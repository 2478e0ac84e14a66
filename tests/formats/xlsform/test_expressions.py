"""The expression evaluator: hand-computed cases of XLSForm's XPath subset, German errors for
what it does not support, and a property: parsing never crashes."""

import contextlib
import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gemeinsinn.formats.xlsform.expressions import (
    Context,
    ExpressionError,
    parse_expression,
    to_string,
)

TODAY = dt.date(2026, 3, 15)


def evaluate(text, current=None, **values):
    expression = parse_expression(text)
    return expression.evaluate(Context(values=values, current=current, today=TODAY))


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        # comparisons of answers (integers arrive as int, text as str)
        ("${alter} >= 18", {"alter": 18}, True),
        ("${alter} >= 18", {"alter": 17}, False),
        ("${alter} >= 18", {"alter": None}, False),  # unanswered: NaN compares false
        ("${alter} = '18'", {"alter": 18}, True),  # number against string: as numbers
        ("${name} = 'Ada'", {"name": "Ada"}, True),
        ("${name} != ''", {"name": ""}, False),
        ("${name} != ''", {}, False),
        ("${a} < ${b}", {"a": "9", "b": "10"}, True),  # < compares numbers, not text
        # and / or / not, with precedence: and binds stronger than or
        ("${a} = 1 or ${b} = 1 and ${c} = 1", {"a": 1, "b": 1, "c": 0}, True),
        ("(${a} = 1 or ${b} = 1) and ${c} = 1", {"a": 1, "b": 1, "c": 0}, False),
        ("not(${a} = 1)", {"a": 2}, True),
        ("true() and not(false())", {}, True),
        # selections
        ("selected(${farben}, 'rot')", {"farben": ["rot", "gruen"]}, True),
        ("selected(${farben}, 'blau')", {"farben": ["rot", "gruen"]}, False),
        ("selected(${farben}, 'rot')", {"farben": "gruen rot"}, True),
        ("count-selected(${farben})", {"farben": ["rot", "gruen"]}, 2.0),
        ("count-selected(${farben})", {"farben": None}, 0.0),
        ("selected-at(${farben}, 1)", {"farben": ["rot", "gruen"]}, "gruen"),
        ("${geschlecht} = 'divers'", {"geschlecht": "divers"}, True),
        # arithmetic as XPath: div, mod, unary minus, left associativity
        ("1 + 2 * 3", {}, 7.0),
        ("(1 + 2) * 3", {}, 9.0),
        ("10 - 4 - 3", {}, 3.0),
        ("7 div 2", {}, 3.5),
        ("7 mod 3", {}, 1.0),
        ("-7 mod 3", {}, -1.0),
        ("-${a} + 1", {"a": 3}, -2.0),
        ("${a} * ${b}", {"a": 2.5, "b": 4}, 10.0),
        ("${a}-1", {"a": 3}, 2.0),
        # strings
        ("string-length(${t})", {"t": "Straße"}, 6.0),
        ("concat(${a}, '-', ${b})", {"a": "x", "b": 2}, "x-2"),
        ("normalize-space('  a   b ')", {}, "a b"),
        ("contains(${t}, 'ab')", {"t": "xaby"}, True),
        ("starts-with(${t}, 'x')", {"t": "xaby"}, True),
        ("substring('abcdef', 2, 3)", {}, "bcd"),
        ("substr('abcdef', 1, 3)", {}, "bc"),
        ("regex(${plz}, '^[0-9]{5}$')", {"plz": "52222"}, True),
        ("regex(${plz}, '^[0-9]{5}$')", {"plz": "5222"}, False),
        # Java-style class ranges as ODK Collect reads them
        (r"regex(${m}, '^[\w-\.]+@([\w-]+\.)+[\w-]{2,}$')", {"m": "a.b@stadt.de"}, True),
        (r"regex(${m}, '^[\w-\.]+@([\w-]+\.)+[\w-]{2,}$')", {"m": "kein at"}, False),
        # conditions and numbers
        ("if(${a} > 1, 'viel', 'wenig')", {"a": 2}, "viel"),
        ("if(${a} > 1, 'viel', 'wenig')", {"a": None}, "wenig"),
        ("coalesce(${a}, 'leer')", {"a": ""}, "leer"),
        ("int(-3.7)", {}, -3.0),
        ("round(2.5)", {}, 3.0),
        ("round(3.14159, 2)", {}, 3.14),
        ("floor(-1.5) + ceiling(1.2)", {}, 0.0),
        ("abs(-2) + pow(2, 3)", {}, 10.0),
        ("max(1, ${a}, 3)", {"a": 7}, 7.0),
        ("number('1.5') + 1", {}, 2.5),
        ("string(4)", {}, "4"),
        ("boolean('')", {}, False),
        # dates: compared and subtracted as days
        ("today() - date('2026-03-01')", {}, 14.0),
        ("${geburt} < today()", {"geburt": dt.date(1990, 1, 1)}, True),
        ("${geburt} < today()", {"geburt": "2030-01-01"}, False),
        ("${geburt} = date('1990-01-01')", {"geburt": dt.date(1990, 1, 1)}, True),
        ("(today() - ${geburt}) div 365.25 >= 18", {"geburt": dt.date(2000, 1, 1)}, True),
    ],
)
def test_hand_computed_cases(text, values, expected):
    assert evaluate(text, **values) == expected


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        (". >= 18 and . <= 120", 30, True),
        (". >= 18 and . <= 120", 121, False),
        (". > 0", 0.5, True),
        ("string-length(.) <= 5", "abcdef", False),
        ("string-length() <= 5", "abc", True),
        ("not(selected(., 'ja') and selected (., 'nein'))", ["ja", "nein"], False),
        ("not(selected(., 'ja') and selected (., 'nein'))", ["ja"], True),
        ("count-selected(.) <= 3", ["a", "b", "c", "d"], False),
        (". != 'x'", "y", True),
    ],
)
def test_current_answer(text, current, expected):
    assert evaluate(text, current=current) is expected


def test_division_by_zero_and_invalid_numbers_follow_xpath():
    assert evaluate("1 div 0") == math.inf
    assert evaluate("-1 div 0") == -math.inf
    assert math.isnan(evaluate("0 div 0"))
    assert math.isnan(evaluate("5 mod 0"))
    assert math.isnan(evaluate("number('abc')"))
    assert to_string(evaluate("1 div 0")) == "Infinity"
    assert evaluate("'abc' > 1") is False


def test_references_and_current_are_known_after_parsing():
    expression = parse_expression("selected(${a}, 'x') and ${b} > . and ${a} != ''")

    assert expression.references == {"a", "b"}
    assert expression.uses_current
    assert str(expression) == "selected(${a}, 'x') and ${b} > . and ${a} != ''"


def test_operator_words_are_names_where_an_operand_is_expected():
    # "div" after an operator is not division; in XPath it would be a path step
    with pytest.raises(ExpressionError):
        parse_expression("1 + div")
    assert evaluate("${and} = 1", **{"and": 1}) is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${a} >", "Der Ausdruck endet unerwartet."),
        ("${a} = 'x", "Die Zeichenkette ab Stelle 8 wird nicht mit ' beendet."),
        ("${a = 1", "Der Verweis ab Stelle 1 wird nicht mit } geschlossen."),
        ("${1a} = 1", "„${1a}“ an Stelle 1 ist kein gültiger Verweis."),
        ("$a = 1", "Das Zeichen $ an Stelle 1 gehört zu keinem Verweis."),
        ("../a = 1", "Pfadangaben wie „../a“ (Stelle 1) werden nicht unterstützt."),
        ("/data/a = 1", "Pfadangaben wie „/data/a“ (Stelle 1) werden nicht unterstützt."),
        ("${a}[1] = 1", "„[“ an Stelle 5 wird nicht unterstützt"),
        ("${a} = 1 | ${b}", "„|“ an Stelle 10 wird nicht unterstützt"),
        ("jr:choice-name(${a}, '${a}')", "Die Funktion „jr:choice-name()“ (Stelle 1)"),
        ("uuid()", "Die Funktion „uuid()“ (Stelle 1) wird von gemeinsinn nicht unterstützt."),
        ("not(${a}, ${b})", "Die Funktion „not()“ erwartet 1 Argument, hier stehen 2."),
        ("today(1)", "Die Funktion „today()“ erwartet keine Argumente, hier steht 1."),
        ("regex(${a}, '(')", "Der reguläre Ausdruck „(“ ist fehlerhaft"),
        ("${a} = “ja”", "Typografisches Anführungszeichen „““ an Stelle 8."),
        ("${a} && ${b}", "„&&“ an Stelle 6 ist hier nicht erlaubt."),
        ("!${a}", "„!“ an Stelle 1 ist kein Operator."),
        ("${a} > 1,5", "Unerwartetes „,“ an Stelle 9."),
        ("(${a} = 1", "Eine schließende Klammer „)“ fehlt."),
        ("${a} = 1)", "Unerwartetes „)“ an Stelle 9."),
        ("ja = 1", "„ja“ an Stelle 1 ist weder Funktion noch Verweis."),
        ("* 2", "„*“ an Stelle 1 steht ohne Zahl davor."),
        ("   ", "Der Ausdruck ist leer."),
        ("#", "Unerwartetes Zeichen „#“ an Stelle 1."),
    ],
)
def test_german_errors_for_unsupported_syntax(text, message):
    with pytest.raises(ExpressionError) as raised:
        parse_expression(text)

    assert str(raised.value).startswith(message)
    assert raised.value.hint  # and how to fix it


def test_decimal_comma_gets_a_hint():
    with pytest.raises(ExpressionError) as raised:
        parse_expression("${a} > 1,5")
    assert "Dezimalzahlen bitte mit Punkt" in raised.value.hint


def test_deep_nesting_is_refused_not_a_crash():
    with pytest.raises(ExpressionError, match="zu tief verschachtelt"):
        parse_expression("(" * 500 + "1" + ")" * 500)
    with pytest.raises(ExpressionError, match="zu tief verschachtelt"):
        parse_expression("-" * 500 + "1")
    assert parse_expression("(" * 20 + "1" + ")" * 20).evaluate(Context()) == 1.0


ALPHABET = st.sampled_from(
    list("${}()[]'\",.=!<>+-*/|&#@ _:")
    + ["and", "or", "div", "mod", "selected", "not"]
    + list("abcxyz0123456789")
    + ["${a}", "${b}", "'x'", "today()", "count-selected("]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_parser_never_crashes(text):
    """Any text gives an expression or the German ExpressionError, nothing else; an
    expression that parses also evaluates without raising."""
    try:
        expression = parse_expression(text)
    except ExpressionError as error:
        assert error.message
        return
    context = Context(values={"a": "1", "b": ["x", "y"]}, current=2, today=TODAY)
    expression.evaluate(context)
    expression.is_true(context)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parser_never_crashes_on_any_unicode(text):
    with contextlib.suppress(ExpressionError):
        parse_expression(text)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-1000, max_value=1000),
    st.integers(min_value=-1000, max_value=1000),
)
def test_arithmetic_matches_python(a, b):
    assert evaluate("${a} + ${b} * 2", a=a, b=b) == a + b * 2
    assert evaluate("${a} < ${b}", a=a, b=b) is (a < b)
    assert evaluate("${a} = ${b}", a=a, b=b) is (a == b)
