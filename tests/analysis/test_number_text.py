"""One formatter for the numbers people read: marks by language, no minus before a zero."""

import pytest

from gemeinsinn.analysis.number_text import MINUS_SIGN, format_decimal


@pytest.mark.parametrize(
    ("value", "decimals", "options", "expected"),
    [
        (1234.56, 1, {}, "1.234,6"),
        (-1234.56, 1, {}, "-1.234,6"),
        (-1234.56, 1, {"minus": MINUS_SIGN}, "−1.234,6"),
        (1234567.0, 0, {"group_mark": " "}, "1 234 567"),
        (1234.5, 2, {"decimal_mark": ".", "group_mark": ","}, "1,234.50"),
        (-0.04, 1, {}, "0,0"),  # rounds to zero: no minus
        (-0.05001, 1, {}, "-0,1"),
        (0.0, 0, {}, "0"),
        (-0.4, 0, {"minus": MINUS_SIGN}, "0"),
        (999.95, 1, {}, "1.000,0"),  # grouping after rounding
    ],
)
def test_format_decimal(value, decimals, options, expected):
    assert format_decimal(value, decimals, **options) == expected
