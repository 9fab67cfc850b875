"""A province's data written back in the import formats of docs/FORMATS.md (the CSV round trip).

``indicators.csv``, ``agencies.csv``, ``targets.csv`` (with its ``items`` column),
``items.csv`` and ``results.csv`` as ``export_data`` writes them are read back by
``import_indicators``, ``import_agencies``, ``import_targets``, ``import_items`` and
``import_results``, in that order, into an empty database or over the same data (the imports
are idempotent). They carry what the formats carry: not the plans' titles, document numbers and
statuses, the targets' order, the accounts, the change history or the sample marks — a
``pg_dump`` keeps everything.

Rows are read by :mod:`plans.selectors.backup` and streamed from the database in chunks:
memory stays flat whatever the number of results.
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

from plans.files.columns import (
    AGENCY_COLUMNS,
    INDICATOR_COLUMNS,
    ITEM_COLUMNS,
    ITEMS_SEPARATOR,
    PROGRAMME_COLUMNS,
    PROVINCE_COLUMNS,
    RESULT_COLUMNS,
    TARGET_COLUMNS,
    TARGET_ITEMS_COLUMN,
)
from plans.files.csv_writing import CsvWriter
from plans.rules.limits import plain_decimal
from plans.rules.tiers import TIER_ORDER, format_tiers, parse_tiers
from plans.selectors import backup

CHUNK = 5000


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _writer(file: TextIO, columns: tuple[str, ...]) -> CsvWriter:
    writer = CsvWriter(file)
    writer.writerow(columns)
    return writer


def write_indicators(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``indicators.csv``, the whole catalogue; return the row count.

    Every province shares the catalogue, so ``provinces`` changes nothing: a one-province backup
    carries the indicators that its targets and results name, the admins' own included.
    """
    writer = _writer(file, INDICATOR_COLUMNS)
    rows = backup.indicator_rows()
    count = 0
    for *row, predecessor, from_year in rows:
        writer.writerow((*row, _text(predecessor), _text(from_year)))
        count += 1
    return count


def write_agencies(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``agencies.csv`` of ``provinces`` (codes; all when None); return the row count."""
    writer = _writer(file, AGENCY_COLUMNS)
    tier_rank = {tier: rank for rank, tier in enumerate(TIER_ORDER)}
    rows = backup.agency_rows(provinces)
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
    names = backup.target_item_names(provinces)
    rows = backup.target_rows(provinces)
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
    rows = backup.item_rows(provinces)
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
    rows = backup.result_rows(provinces)
    count = 0
    for year, agency, indicator, value, numerator, denominator, note in rows.iterator(CHUNK):
        writer.writerow((
            year, agency, indicator, _text(value), _text(numerator), _text(denominator), note,
        ))
        count += 1
    return count


def write_provinces(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``provinces.csv`` of the provinces with active dates among ``provinces`` (codes;
    all when None), successors included; return the row count."""
    writer = _writer(file, PROVINCE_COLUMNS)
    count = 0
    for code, name, active_from, active_to, successor in backup.province_rows(provinces):
        writer.writerow((code, name, active_from.isoformat(),
                         active_to.isoformat() if active_to else "", _text(successor)))
        count += 1
    return count


def write_programmes(file: TextIO, *, provinces: Iterable[str] | None = None) -> int:
    """Write ``programmes.csv`` of ``provinces`` (codes; all when None); return the row count."""
    writer = _writer(file, PROGRAMME_COLUMNS)
    count = 0
    for row in backup.programme_rows(provinces):
        *head, value, unit = row
        writer.writerow((*head, plain_decimal(value), unit))
        count += 1
    return count
