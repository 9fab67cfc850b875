"""Figures as JSON numbers: a whole Decimal as an int, another as a float."""

from decimal import Decimal


def json_number(value: Decimal | int | None) -> int | float | None:
    """Return ``value`` as JSON shows it: 80 for 80.0, 96.2 for 96.2, None for None.

    The Decimals come from progress.csv's row building, rounded to one decimal place, which
    a float prints back exactly.
    """
    if value is None or isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)
