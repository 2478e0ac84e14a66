"""Numbers written for people: rounded, with the decimal and group marks of a language.

German tables write "1.234,5", survey tables "1 234,5" (a space groups the thousands where a
full stop could be read as a decimal mark), English "1,234.5". A value that rounds to zero
never gets a minus sign ("0,0", not "-0,0")."""

HYPHEN_MINUS = "-"
MINUS_SIGN = "\u2212"  # "−", the typographic minus of running text


def format_decimal(
    value: float,
    decimals: int,
    *,
    decimal_mark: str = ",",
    group_mark: str = ".",
    minus: str = HYPHEN_MINUS,
) -> str:
    text = f"{abs(value):,.{decimals}f}"
    negative = value < 0 and text.strip("0,.") != ""
    text = text.replace(",", "\0").replace(".", decimal_mark).replace("\0", group_mark)
    return minus + text if negative else text
