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
from django.db.models import F
from django.db.models.functions import Collate

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


# Lists the database pages itself (the admin's change lists) are ordered in SQL by a collation
# of this name, the same ICU rules for Vietnamese on both databases: PostgreSQL's own ICU
# collation (initdb imports it; migration 0011 creates it where it did not), and on SQLite the
# collator above, registered on every connection (plans.apps).
VI_COLLATION = "vi-x-icu"


def collated(field: str) -> Collate:
    """Return ``field`` ordered in Vietnamese alphabetical order, for ``order_by()``."""
    return Collate(F(field), VI_COLLATION)


def _compare(left: str, right: str) -> int:
    return _collator().compare(left, right)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """Give each new SQLite connection the Vietnamese collation (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, _compare)
