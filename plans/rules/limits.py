"""Rules that several parts of the application need, each stated once.

A plain module: no database, no request. The models, the grid, the imports, the exports and
the change history read their limits and their ways of writing numbers from here.
"""

from decimal import Decimal

# Target.note and Result.note (CharField max_length), the grid's note input, the imports.
NOTE_MAX_LENGTH = 500

# Digits of a whole number typed or imported for Result.value, numerator and denominator
# (PositiveBigIntegerField, at most 2**63 - 1): 18 digits always fit, so a number that passes
# is stored and compared exactly on SQLite and PostgreSQL alike.
WHOLE_MAX_DIGITS = 18

# Agencies on one page of a tier's grid (a province's communes are several pages): a page of
# 14 indicators is then at most 1,400 cells, light enough to load, save and use on a phone.
GRID_PAGE_SIZE = 100


def plain_decimal(value: Decimal) -> str:
    """Return ``value`` as plain text: ``80``, ``12.5``; never ``80.0`` nor ``8E+1``."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
