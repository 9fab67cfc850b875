"""A province's data written back in the import formats of docs/FORMATS.md (the CSV round trip).

``indicators.csv``, ``agencies.csv``, ``targets.csv`` (with its ``items`` column),
``items.csv`` and ``results.csv`` as ``export_data`` writes them are read back by
``import_indicators``, ``import_agencies``, ``import_targets``, ``import_items`` and
``import_results``, in that order, into an empty database or over the same data (the imports
are idempotent). They carry what the formats carry: not the plans' titles, document numbers and
statuses, the targets' order, the accounts, the change history or the sample marks — a
``pg_dump`` keeps everything.

Rows are streamed from the database in chunks: memory stays flat whatever the number of results.
The text is written exactly as stored, with no formula guard (docs/FORMATS.md: backups restore
exactly): a leading apostrophe would be read back as part of a note or a name. The files are
for the imports, not for spreadsheets; ``progress.csv`` and the entry templates are guarded.
Fields holding a carriage return are quoted (``CsvWriter``). The imports trim every field and
bring text to Unicode NFC: spaces around a note do not come back (the forms and the imports
trim them anyway), and a decomposed (NFD) spelling comes back in NFC, as the data contract
stores text.
"""


from collections.abc import Iterable
from typing import TextIO

from django.db.models import QuerySet

from indicators.models import Indicator
from plans.files.csv_writing import CsvWriter
from plans.models import Agency, Result, Target, TargetItem
from plans.rules.limits import plain_decimal
from plans.rules.tiers import TIER_ORDER, format_tiers, parse_tiers
from plans.services.checklists import ITEMS_SEPARATOR
from plans.services.tables.columns import (
    AGENCY_COLUMNS,
    INDICATOR_COLUMNS,
    ITEM_COLUMNS,
    RESULT_COLUMNS,
    TARGET_COLUMNS,
    TARGET_ITEMS_COLUMN,
)

CHUNK = 5000


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _writer(file: TextIO, columns: tuple[str, ...]) -> CsvWriter:
    writer = CsvWriter(file)
    writer.writerow(columns)
    return writer


def _in_provinces(queryset: QuerySet, field: str, provinces: Iterable[str] | None) -> QuerySet:
    return queryset if provinces is None else queryset.filter(**{f"{field}__in": list(provinces)})


def write_indicators(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``indicators.csv``, the whole catalogue; return the row count.

    Every province shares the catalogue, so ``provinces`` changes nothing: a one-province backup
    carries the indicators that its targets and results name, the admins' own included.
    """
    writer = _writer(file, INDICATOR_COLUMNS)
    # The last two columns name the predecessor by its code (Indicator.predecessor).
    rows = Indicator.objects.order_by("position", "code").values_list(
        *INDICATOR_COLUMNS[:-2], "predecessor__code", "from_year"
    )
    count = 0
    for *row, predecessor, from_year in rows:
        writer.writerow((*row, _text(predecessor), _text(from_year)))
        count += 1
    return count


def write_agencies(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``agencies.csv`` of ``provinces`` (codes; all when None); return the row count."""
    writer = _writer(file, AGENCY_COLUMNS)
    tier_rank = {tier: rank for rank, tier in enumerate(TIER_ORDER)}
    rows = _in_provinces(Agency.objects.all(), "province__code", provinces).values_list(
        "province__code", "province__name", "code", "name", "tier", "parent__code",
        "active_from", "active_to",
    )
    # Few enough to sort in memory (a province has hundreds of agencies, the country ~13,000).
    count = 0
    for row in sorted(rows, key=lambda row: (row[0], tier_rank.get(row[4], 9), row[2])):
        province_code, province_name, code, name, tier, parent, active_from, active_to = row
        writer.writerow((
            province_code, province_name, code, name, tier, _text(parent), _text(active_from),
            _text(active_to),
        ))
        count += 1
    return count


def write_targets(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``targets.csv`` of ``provinces`` (codes; all when None), a checklist target's
    items in its ``items`` column; return the row count."""
    writer = _writer(file, (*TARGET_COLUMNS, TARGET_ITEMS_COLUMN))
    targets = _in_provinces(Target.objects.all(), "plan__province__code", provinces)
    names: dict[int, list[str]] = {}
    for target_id, name in TargetItem.objects.filter(target__in=targets).order_by(
        "target_id", "position", "pk"
    ).values_list("target_id", "name"):
        names.setdefault(target_id, []).append(name)
    rows = targets.values_list(
        "pk", "plan__province__code", "plan__year", "indicator__code", "tiers", "comparator",
        "value", "unit", "note",
    ).order_by("plan__province__code", "plan__year", "indicator__code", "tiers")
    count = 0
    for pk, province_code, year, indicator, tiers, comparator, value, unit, note in rows:
        writer.writerow((
            province_code, year, indicator, format_tiers(parse_tiers(tiers)), comparator,
            plain_decimal(value), unit, note, ITEMS_SEPARATOR.join(names.get(pk, ())),
        ))
        count += 1
    return count


def write_items(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``items.csv`` of ``provinces`` (codes; all when None): every checklist item,
    done or not; return the row count."""
    writer = _writer(file, ITEM_COLUMNS)
    rows = _in_provinces(
        TargetItem.objects.all(), "target__plan__province__code", provinces
    ).values_list(
        "target__plan__province__code", "target__plan__year", "target__indicator__code",
        "target__tiers", "name", "done", "done_on", "note",
    ).order_by(
        "target__plan__province__code", "target__plan__year", "target__indicator__code",
        "target__tiers", "position", "pk",
    )
    count = 0
    for province_code, year, indicator, tiers, name, done, done_on, note in rows:
        writer.writerow((
            province_code, year, indicator, format_tiers(parse_tiers(tiers)), name,
            "yes" if done else "no", done_on.isoformat() if done_on else "", note,
        ))
        count += 1
    return count


def write_results(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``results.csv`` of ``provinces`` (codes; all when None); return the row count.

    Streams: the rows are read in chunks of 5,000 with a server-side cursor on PostgreSQL.
    """
    writer = _writer(file, RESULT_COLUMNS)
    rows = _in_provinces(Result.objects.all(), "agency__province__code", provinces).values_list(
        "year", "agency__code", "indicator__code", "value", "numerator", "denominator", "note",
    ).order_by("year", "agency__code", "indicator__code")
    count = 0
    for year, agency, indicator, value, numerator, denominator, note in rows.iterator(CHUNK):
        writer.writerow((
            year, agency, indicator, _text(value), _text(numerator), _text(denominator), note,
        ))
        count += 1
    return count
