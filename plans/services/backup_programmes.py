"""The backup's files of the merger and of programmes: ``provinces.csv`` and ``programmes.csv``.

Written by ``export_data`` beside the files of :mod:`plans.services.backup`, in the same plain
form (read back by ``import_provinces`` and ``import_programmes``, no formula guard).
"""

from collections.abc import Iterable
from typing import TextIO

from plans.models import ProgrammeTarget, Province
from plans.rules.limits import plain_decimal
from plans.services.backup import _in_provinces, _text, _writer
from plans.services.imports.programmes import PROGRAMME_COLUMNS
from plans.services.imports.provinces import PROVINCE_COLUMNS


def write_provinces(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``provinces.csv`` of the provinces with active dates among ``provinces`` (codes;
    all when None), successors included; return the row count.

    A province created by an agencies file alone has no active dates, and nothing to write.
    """
    writer = _writer(file, PROVINCE_COLUMNS)
    rows = _in_provinces(Province.objects.filter(active_from__isnull=False), "code",
                         provinces).values_list(
        "code", "name", "active_from", "active_to", "successor__code"
    ).order_by("code")
    count = 0
    for code, name, active_from, active_to, successor in rows:
        writer.writerow((code, name, active_from.isoformat(),
                         active_to.isoformat() if active_to else "", _text(successor)))
        count += 1
    return count


def write_programmes(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``programmes.csv`` of ``provinces`` (codes; all when None); return the row count."""
    writer = _writer(file, PROGRAMME_COLUMNS)
    rows = _in_provinces(
        ProgrammeTarget.objects.all(), "programme__province__code", provinces
    ).values_list(
        "programme__province__code", "programme__code", "programme__name",
        "programme__first_year", "programme__last_year", "indicator__code", "tiers",
        "comparator", "value", "unit",
    ).order_by("programme__province__code", "programme__code", "indicator__code", "tiers")
    count = 0
    for row in rows:
        *head, value, unit = row
        writer.writerow((*head, plain_decimal(value), unit))
        count += 1
    return count

