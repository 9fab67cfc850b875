"""Vietnamese alphabetical order for everything a person reads: one collator, one sort key.

The order is ICU's collation for Vietnamese (CLDR's ``vi`` rules: a < ă < â, d < đ, e < ê,
o < ô < ơ, u < ư, tones after the letters), applied in Python so that it is the same on SQLite
and PostgreSQL whatever the database's own collation. Lists shown to people hold hundreds of
rows, so sorting them here costs nothing. Files made for machines (backups, progress.csv) keep
the order of their codes (docs/FORMATS.md) and do not use this module.
"""

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu  # PyICU's module, from the pyicu-wheels package (ICU bundled in the wheel)

T = TypeVar("T")


@lru_cache(maxsize=1)
def _collator():
    # Built once per process: ICU's collators are safe to share for reading (getSortKey is a
    # const method), and building one parses the Vietnamese rules.
    return icu.Collator.createInstance(icu.Locale("vi"))


def vietnamese_key(text: str) -> bytes:
    """Return the sort key of ``text`` in Vietnamese alphabetical order."""
    return _collator().getSortKey(text or "")


def sorted_vietnamese(items: Iterable[T], *, key: Callable[[T], str] = str) -> list[T]:
    """Return ``items`` in Vietnamese alphabetical order of ``key(item)`` (a stable sort)."""
    return sorted(items, key=lambda item: vietnamese_key(key(item)))
