"""Read whole numbers and codes from text that came from outside: requests and uploaded files.

Python's own tests are wider than what a person types: ``"²".isdigit()`` is True yet
``int("²")`` fails, and ``int("٢٠١٧")`` or ``int("２０１７")`` is 2017. Digits here mean the
ASCII digits 0–9 and nothing else, so that a value is either read exactly as a person sees it or
refused, never a server error.
"""

import re

from django.utils.translation import gettext_lazy as _

from plans.rules import WHOLE_MAX_DIGITS

ASCII_DIGITS = re.compile(r"[0-9]+")

# The characters of an agency code. A code is a path segment of the entry pages
# (plans/urls_entry.py) and a cell of the CSV files, so none of "/", "?", "#", "%", a space or
# a letter with a diacritic may occur; a first letter or digit keeps "." and ".." (which a
# browser reads as "this folder" and "the folder above") out of the addresses.
AGENCY_CODE_REGEX = r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z"
AGENCY_CODE = re.compile(AGENCY_CODE_REGEX)
AGENCY_CODE_RULE = _(
    "Mã đơn vị chỉ gồm chữ cái không dấu (A–Z, a–z), chữ số 0–9 và các dấu “-”, “_”, “.”, "
    "bắt đầu bằng chữ cái hoặc chữ số."
)


def parse_ascii_int(text, *, max_digits: int = WHOLE_MAX_DIGITS) -> int | None:
    """Return the whole number written in ``text`` with ASCII digits only, else None.

    None too for a blank text, more than ``max_digits`` digits, a sign, a space, or anything
    that is not a ``str`` (a missing query parameter).
    """
    # isascii() first: of the ASCII characters only 0-9 are digits to isdigit(). Cheaper than
    # the regular expression, and the results import calls this for millions of cells.
    if not isinstance(text, str) or len(text) > max_digits:
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def is_agency_code(text) -> bool:
    """Return True if ``text`` is written in the alphabet of agency codes."""
    return isinstance(text, str) and AGENCY_CODE.match(text) is not None
