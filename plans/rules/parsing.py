"""Read whole numbers and codes from text that came from outside: requests and uploaded files.

Python's own tests are wider than what a person types: ``"²".isdigit()`` is True yet
``int("²")`` fails, and ``int("٢٠١٧")`` or ``int("２０１７")`` is 2017. Digits here mean the
ASCII digits 0–9 and nothing else, so that a value is either read exactly as a person sees it or
refused, never a server error.
"""

import re

from django.utils.translation import gettext_lazy as _

from plans.rules.limits import WHOLE_MAX_DIGITS

ASCII_DIGITS = re.compile(r"[0-9]+")
# Digits in groups of three after the first, separated by dots: how Excel under Vietnamese
# regional settings writes 1.000 or 12.345 into a CSV. [0-9], not \d: ASCII digits only.
DIGIT_GROUPS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")

# The characters of an agency code. A code is a path segment of the entry pages
# (plans/urls/entry.py) and a cell of the CSV files, so none of "/", "?", "#", "%", a space or
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


def parse_whole_number(text, *, max_digits: int = WHOLE_MAX_DIGITS) -> int | None:
    """Return the whole number in ``text``, plain digits or groups of three (``12.345``).

    None as for :func:`parse_ascii_int` otherwise; :func:`whole_number_problem` says why.
    ``max_digits`` counts the digits, not the dots. Years are not read with this: a year is
    never written ``2.017``.
    """
    if isinstance(text, str) and "." in text and len(text) <= max_digits * 2:
        if DIGIT_GROUPS.fullmatch(text) is None:
            return None
        text = text.replace(".", "")
    return parse_ascii_int(text, max_digits=max_digits)


def whole_number_problem(text: str) -> str:
    """Return why ``text``, refused by :func:`parse_whole_number`, is not a whole number."""
    digits = text.replace(".", "")
    if digits and ASCII_DIGITS.fullmatch(digits):
        if "." in text and DIGIT_GROUPS.fullmatch(text) is None:
            return str(_(
                "dấu chấm chỉ dùng để nhóm từng ba chữ số (1.000, 12.345); số nguyên không có "
                "phần thập phân"
            ))
        return str(_("số quá lớn (tối đa %(digits)s chữ số)") % {"digits": WHOLE_MAX_DIGITS})
    if "," in text:
        return str(_(
            "dấu phẩy ghi phần thập phân, mà ở đây cần số nguyên; để nhóm hàng nghìn hãy dùng "
            "dấu chấm (1.000)"
        ))
    if any(character.isspace() for character in text):
        return str(_(
            "có dấu cách giữa các chữ số; hãy ghi liền (1000) hoặc nhóm ba chữ số bằng dấu chấm "
            "(1.000)"
        ))
    return str(_("chỉ ghi chữ số 0–9, ví dụ 12 hoặc 1.000"))


def is_agency_code(text) -> bool:
    """Return True if ``text`` is written in the alphabet of agency codes."""
    return isinstance(text, str) and AGENCY_CODE.match(text) is not None
