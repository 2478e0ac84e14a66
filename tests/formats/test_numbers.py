import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gemeinsinn.formats.numbers import (
    QUICK_DECISION_ROWS,
    CellMarkers,
    cell_flag,
    detect_decimal_mark,
    number,
)


def parse(texts: list[str | None], mark: str) -> list[float | None]:
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String})
    return frame.select(number(pl.col("text"), mark)).to_series().to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4,5", 4.5),
        ("-4,25", -4.25),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("1 234,5", 1234.5),
        ("1\u00a0234", 1234.0),
        ("1\u202f234,75", 1234.75),
        ("1.234", 1234.0),  # with a decimal comma a point only groups thousands
        ("0", 0.0),
        (",5", 0.5),
        ("1.5", None),  # neither a decimal here nor a valid grouping
        ("12.34,5", None),
        ("1e5", None),
        ("inf", None),
        ("nan", None),
        ("4,5 %", None),
        ("abc", None),
        (None, None),
    ],
)
def test_decimal_comma(text, expected):
    assert parse([text], ",") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.5", 4.5),
        ("1,234.5", 1234.5),
        ("1,234", 1234.0),
        ("1 234", 1234.0),
        ("-0.001", -0.001),
        ("1e-3", 0.001),
        ("4,5", None),
        ("1,23", None),
        ("Infinity", None),
    ],
)
def test_decimal_point(text, expected):
    assert parse([text], ".") == [expected]


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 4)))
def test_german_formatted_numbers_round_trip(value):
    grouped = f"{value:,.4f}".replace(",", "X").replace(".", ",").replace("X", ".")
    plain = f"{value:.4f}".replace(".", ",")
    assert parse([grouped, plain], ",") == [pytest.approx(value)] * 2


def frame_of(**columns: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema={name: pl.String for name in columns})


@pytest.mark.parametrize(
    ("texts", "separator", "mark"),
    [
        (["4,5", "1.234"], ";", ","),
        (["1.234,5"], ",", ","),
        (["0,123"], ",", ","),
        (["4.5", "1,234"], ";", "."),
        (["1,234.5"], ";", "."),
        (["1.234", "2.345"], ";", ","),  # ambiguous only: the separator decides
        (["1.234", "2.345"], ",", "."),
        (["1", "2"], "\t", ","),
        (["1", "2"], None, "."),
    ],
)
def test_decimal_mark_detection(texts, separator, mark):
    assert detect_decimal_mark(frame_of(value=texts), separator) == mark


def test_distinct_texts_are_counted_so_one_repeated_text_does_not_outvote():
    frame = frame_of(key=["1.2"] * 5, value=["4,5", "3,25", "7,1", "0,5", "2,75"])
    assert detect_decimal_mark(frame, ",") == ","


def test_evidence_after_the_first_rows_counts_when_they_are_ambiguous():
    texts = ["1.234"] * QUICK_DECISION_ROWS + ["7.5"]
    assert detect_decimal_mark(frame_of(value=texts), ";") == "."


def test_majority_of_evidence_decides():
    frame = frame_of(a=["4,5", "3,25", "7,1"], b=["2.5", None, None])
    assert detect_decimal_mark(frame, ",") == ","


DEFAULT_MARKERS = CellMarkers()


def flags(texts: list[str | None], markers: CellMarkers = DEFAULT_MARKERS) -> list[str]:
    frame = frame_of(text=texts)
    value = number(pl.col("text"), ",")
    return frame.select(cell_flag(pl.col("text"), value, markers)).to_series().to_list()


def test_cell_flags_tell_suppressed_from_missing():
    texts = [".", "*", None, "-", "-9999", "-9.999", "-9999,0", "4,5", "abc"]
    assert flags(texts) == [
        "suppressed",
        "suppressed",
        "missing",
        "missing",
        "missing",
        "missing",
        "missing",
        "",
        "",
    ]


def test_sentinels_and_markers_are_configurable():
    markers = CellMarkers(suppressed=("x",), missing=("", "k. A."), sentinels=("999",))
    assert flags(["x", ".", "k. A.", "999", "-9999"], markers) == [
        "suppressed",
        "",
        "missing",
        "missing",
        "",
    ]


def test_textual_sentinels_are_matched_as_text():
    markers = CellMarkers(sentinels=("n/a",))
    assert markers.sentinel_values() == []
    assert flags(["n/a"], markers) == ["missing"]
    assert math.isclose(CellMarkers().sentinel_values()[0], -9999)
