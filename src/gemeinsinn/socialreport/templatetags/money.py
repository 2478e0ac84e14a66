"""Amounts of money in the reports: whole euros with the language's digit grouping
("1.234.567 €" in German), and shares in per cent."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euro(amount) -> str:
    if amount is None or amount == "":
        return "–"
    value = Decimal(amount).quantize(Decimal(1))
    return number_format(value, 0, use_l10n=True, force_grouping=True) + "\u00a0€"
