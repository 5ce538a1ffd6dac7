from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value) -> str:
    """A figure as Germans write it: 1.234 for whole numbers, 82,3 otherwise (no trailing zeros)."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return number_format(int(number), force_grouping=True)
    places = max(-number.normalize().as_tuple().exponent, 0)
    return number_format(number, decimal_pos=places, force_grouping=True)
