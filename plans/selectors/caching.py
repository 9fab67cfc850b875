"""Pages' figures kept ready in Django's cache, keyed by the figures versions they show.

Every write that changes what a page of a province's year shows moves that year's version on
in its own transaction (plans.services.figures), so a key naming the versions read before the
figures is never answered with the figures of before a write: a hit costs the one query that
reads the versions. The cache is ``settings.FIGURES_CACHE`` (an alias of ``CACHES``: LocMem in
each process by default, a shared one with ``CACHE_URL``); ``FIGURES_CACHE_SECONDS = 0`` turns
the keeping off.
"""

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from plans.models import FiguresVersion

T = TypeVar("T")
K = TypeVar("K")


def figures_versions(province_ids: Iterable[int], years: Iterable[int] | None = None) -> tuple:
    """Return ((province id, year, version), ...) of ``province_ids`` (of ``years``, every year
    when None), in order: one query. A year no write has reached has no row, and version 0."""
    rows = FiguresVersion.objects.filter(province_id__in=set(province_ids))
    if years is not None:
        rows = rows.filter(year__in=set(years))
    return tuple(rows.order_by("province_id", "year").values_list("province_id", "year", "version"))


def enabled() -> bool:
    return settings.FIGURES_CACHE_SECONDS > 0


def key_of(name: str, parts: tuple) -> str:
    """Return the cache key of ``name`` for ``parts`` in the active language."""
    text = repr((name, get_language(), parts)).encode()
    return f"figures:{name}:{hashlib.sha256(text).hexdigest()}"


def kept(name: str, parts: tuple | Callable[[], tuple], compute: Callable[[], T]) -> T:
    """Return what ``compute`` returns for ``parts`` (versions and options), from the cache when
    it is there, in the active language. ``parts`` may be a function giving them, called only
    when the cache is on (so that no version is read for nothing)."""
    if not enabled():
        return compute()
    key = key_of(name, parts() if callable(parts) else parts)
    cache = caches[settings.FIGURES_CACHE]
    answer = cache.get(key)
    if answer is None:
        answer = compute()
        cache.set(key, answer, settings.FIGURES_CACHE_SECONDS)
    return answer


def kept_many(keys: Mapping[K, str], compute: Callable[[set[K]], dict[str, T]]) -> dict[str, T]:
    """Return {cache key: value} for every key of ``keys`` (an item: its key), those not in
    the cache computed at once by ``compute(items missing)`` (which answers by key) and kept.
    One round trip to the cache for the hits, one for what was computed."""
    cache = caches[settings.FIGURES_CACHE]
    found = cache.get_many(list(keys.values()))
    missing = {item for item, key in keys.items() if key not in found}
    if missing:
        fresh = compute(missing)
        cache.set_many(fresh, settings.FIGURES_CACHE_SECONDS)
        found.update(fresh)
    return found


def kept_lazily(name: str, parts: tuple, compute: Callable[[], dict],
                names: Iterable[str]) -> tuple[dict, str]:
    """Return ({each of ``names``: its value in :func:`kept`'s dict, read only when used},
    the key a page keeps its rendering of them under).

    Nothing is read from the cache (nor computed) until a part is used: a page whose tables
    are kept rendered under the key reads none of them. The first part used reads them all.
    """
    read: dict = {}

    def part(wanted: str):
        if not read:
            read.update(kept(name, parts, compute))
        return read[wanted]

    lazy = {wanted: SimpleLazyObject(functools.partial(part, wanted)) for wanted in names}
    return lazy, key_of(name, parts)
