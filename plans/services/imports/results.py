"""Import the results of a ``results.csv``, chunk by chunk, at millions of rows.

All-or-nothing and idempotent, like every import (see :mod:`plans.services.imports`). Rows are
checked a chunk at a time with a few queries per chunk by the check half
(:mod:`plans.services.imports.result_checks`), and written here with the bulk writer
(:mod:`plans.services.bulk`) and the history's fast path, each Change naming its plan.

A row made from an older version of a result than the stored one (the template's ``version``
column) is a **conflict**: someone changed the figure after the file was downloaded. What
becomes of it is the caller's choice (``newer``): refused as an error, left as it is and
reported, or written over.
"""

import hashlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.files.columns import (
    RESULT_COLUMNS,
    RESULT_IGNORED_COLUMNS,
    RESULT_OPTIONAL_COLUMNS,
    RESULT_SHEET_NAMES,
)
from plans.models import Change, Result
from plans.services import bulk
from plans.services.history import result_changes_insert
from plans.services.imports.result_checks import ResultChecks, ResultRow, Stored
from plans.services.imports.rows import ImportReport, Progress, _allowed, _channel, _Rows
from plans.services.submissions import frozen_message
from plans.services.tables import ReadBudget
from plans.words.messages import change_figures_text, person_text, time_text

# Rows checked and written together: large enough that the per-chunk queries are cheap per
# row, small enough that memory stays flat whatever the size of the file.
CHUNK_SIZE = 5000
# Past this many results written, a SQLite database gathers planner statistics again: without
# them the dashboard's queries read a whole year of the country for one province
# (BENCHMARKS.md: the province dashboard 152x the plain page before ANALYZE, 5.4x after).
ANALYZE_AFTER_ROWS = 10_000

# A preview lists at most this many of the results an import creates or changes, and at most
# this many conflicts.
MAX_CHANGES_LISTED = 500

# What an import does with a conflict (a row made from an older version than the stored one).
NEWER_REFUSE = "refuse"  # an error: nothing is written (import_results without a flag)
NEWER_KEEP = "keep"  # leave the stored result, list the conflict (unless its line is ticked)
NEWER_OVERWRITE = "overwrite"  # write over it (import_results --overwrite-newer)
NEWER_CHOICES = (NEWER_REFUSE, NEWER_KEEP, NEWER_OVERWRITE)


def results_import(
    *, source, user=None, channel: str = Change.Channel.COMMAND, dry_run: bool = False,
    provinces=None, years=None, is_sample: bool = False, budget: ReadBudget | None = None,
    describe: bool = False, expected_digest: str | None = None, agencies=None,
    newer: str = NEWER_REFUSE, overwrite_lines: Collection[int] = (),
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update the results of a ``results.csv``, chunk by chunk.

    Results are matched on (year, agency, indicator). A row whose figures and note equal the
    stored ones is unchanged and not written, whether the stored result is sample data or
    not (it stays as it is). A created or changed result is stamped with ``user``,
    ``is_sample`` and a new version, and gets a Change entry with its old and new figures.
    Results of a closed plan's province and year are refused, and so are rows outside
    ``provinces`` (ids), ``agencies`` (ids: a reporter's) or ``years`` when they are given;
    an agency outside them is answered as an unknown code. A row whose value, numerator,
    denominator and note are all blank is skipped and counted in ``report.skipped_blank``.

    A row that would change a result and names a version other than the stored one is a
    conflict: with ``newer`` NEWER_REFUSE an error; NEWER_KEEP leaves the stored result and
    lists the conflict in ``report.conflicts``, except on the lines of ``overwrite_lines``,
    written (and listed as overwritten); NEWER_OVERWRITE writes every one. A row without a
    version is never a conflict.

    With ``describe`` (or ``expected_digest``) the report lists the results created or
    changed (see ImportReport.changes) and a digest of them, conflicts included whether they
    are written or not. Given ``expected_digest``, an import whose digest differs (the stored
    results changed since the preview that computed it) writes nothing and raises
    :class:`ChangesDiffer` with the new report.
    """
    channel = _channel(channel)
    if newer not in NEWER_CHOICES:
        raise ValueError(f"unknown way with newer results {newer!r}")
    report = ImportReport(kind="results", dry_run=dry_run)
    describe = describe or expected_digest is not None
    with transaction.atomic():
        rows = _Rows(
            report, source, RESULT_COLUMNS, budget, sheet_names=RESULT_SHEET_NAMES,
            ignored=RESULT_IGNORED_COLUMNS, optional=RESULT_OPTIONAL_COLUMNS,
            progress=progress,
        )
        checks = ResultChecks(
            rows, dry_run=dry_run, allowed=_allowed(provinces),
            allowed_agencies=_allowed(agencies),
            years=None if years is None else {int(year) for year in years},
        )
        writer = _ResultsWriter(
            checks, user=user, channel=channel, is_sample=is_sample, describe=describe,
            newer=newer, overwrite_lines=frozenset(overwrite_lines),
        )
        for chunk in _chunks(rows):
            writer.import_chunk(chunk)
        rows.finish()
        if describe:
            report.changes_digest = writer.digest.hexdigest()
        if expected_digest is not None and report.changes_digest != expected_digest:
            # Raised inside the transaction: everything written is rolled back.
            raise ChangesDiffer(report)
    if not dry_run and report.created + report.updated > ANALYZE_AFTER_ROWS:
        _gather_statistics(Result)
    return report


class ChangesDiffer(Exception):
    """The import would write other changes than the preview showed: nothing was written.

    ``report`` describes what it would write now.
    """

    def __init__(self, report: ImportReport):
        super().__init__(
            _("Dữ liệu đã thay đổi kể từ khi xem trước; không có dữ liệu nào được ghi.")
        )
        self.report = report


@dataclass(frozen=True, slots=True)
class ResultChange:
    """A result an import creates (``old`` is None) or changes, as a preview shows it."""

    line: int
    agency_id: int
    agency_name: str  # as people tell it apart (plans.selectors.naming)
    indicator: Indicator
    old: tuple | None  # value, numerator, denominator, note
    new: tuple


@dataclass(frozen=True, slots=True)
class ResultConflict:
    """A row made from an older version of its result than the stored one."""

    line: int
    agency_name: str  # as people tell it apart (plans.selectors.naming)
    indicator: Indicator
    current: tuple | None  # the stored figures and note; None: the result was cleared
    new: tuple  # the file's
    changed_by: str  # who saved the stored result, "" when nobody is recorded
    changed_at: datetime | None
    overwritten: bool  # written over (ticked, or NEWER_OVERWRITE), or left as it is


def _gather_statistics(model) -> None:
    """Run ANALYZE on SQLite, whose planner has no statistics until asked to gather them.

    PostgreSQL's autovacuum analyses a table after many rows change; SQLite never does.
    """
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")



class _ResultsWriter:
    """Compare the checked rows of each chunk with what is stored, and write the differences."""

    def __init__(
        self, checks: ResultChecks, *, user, channel: str, is_sample: bool, describe: bool,
        newer: str, overwrite_lines: frozenset[int],
    ):
        self.checks = checks
        self.rows = checks.rows
        self.report = checks.report
        self.dry_run = checks.dry_run
        self.user = user
        self.channel = channel
        self.is_sample = is_sample
        self.describe = describe
        self.newer = newer
        self.overwrite_lines = overwrite_lines
        self.digest = hashlib.sha256()

    def import_chunk(self, chunk: list[tuple[int, list]]) -> None:
        checks = self.checks
        valid = checks.check_chunk(chunk)
        existing = checks.existing(valid)
        frozen = checks.frozen(valid, user=self.user)

        created, updated, conflicts = [], [], []
        for row in valid:
            # No stored results at all (a first import): no lookup per row.
            stored = (
                existing.get((row.agency.id, row.year, row.indicator.id)) if existing else None
            )
            if stored is not None and stored.figures == row.figures:
                # Equal figures and note leave the result as it is, sample data or not: an
                # untouched template uploaded again writes nothing.
                self.report.unchanged += 1
                continue
            plan_id = row.plan_id
            # No plan, no submission: only a planned year's report can be approved or submitted.
            state = frozen.get((plan_id, row.agency.id)) if frozen and plan_id is not None else None
            if state is not None:
                self.rows.error(
                    row.line, frozen_message(state, agency_name=row.agency.name, year=row.year)
                )
                continue
            is_conflict = row.version is not None and row.version != (
                stored.version if stored is not None else 0
            )
            if self.describe:
                self._add_to_digest(row, stored, is_conflict)
            if is_conflict:
                conflicts.append((stored, row))
                if not self._overwrites(row):
                    continue
            elif self.describe:
                self._describe(row, None if stored is None else stored.figures)
            if stored is None:
                created.append(row)
            else:
                updated.append((stored, row))
        if conflicts:
            self._conflicts(conflicts)
        self.report.created += len(created)
        self.report.updated += len(updated)
        # After the first error nothing more is written: the whole import will roll back.
        if not self.rows.failed and not self.dry_run:
            self._write(created, updated)

    def _overwrites(self, row: ResultRow) -> bool:
        """Return True if ``row``, a conflict, is to be written over the newer result."""
        return self.newer == NEWER_OVERWRITE or (
            self.newer == NEWER_KEEP and row.line in self.overwrite_lines
        )

    def _add_to_digest(self, row: ResultRow, stored: Stored | None, is_conflict: bool) -> None:
        old = None if stored is None else stored.figures
        self.digest.update(repr(
            (row.year, row.agency_code, row.indicator.code, old, row.figures, is_conflict)
        ).encode())

    def _describe(self, row: ResultRow, old: tuple | None) -> None:
        """Add ``row``'s change to the report's list and counts."""
        report = self.report
        counts = report.changes_by_agency.setdefault(row.agency.id, [0, 0])
        counts[old is not None] += 1
        if len(report.changes) < MAX_CHANGES_LISTED:
            report.changes.append(ResultChange(
                row.line, row.agency.id, self.checks.display_name(row.agency), row.indicator,
                old, row.figures,
            ))
        else:
            report.changes_unlisted += 1

    def _conflicts(self, conflicts: list[tuple[Stored | None, ResultRow]]) -> None:
        """Refuse the conflicts of a chunk, or list them: who saved the newer result, when."""
        user_ids = {stored.updated_by_id for stored, _row in conflicts if stored is not None}
        # One query per chunk that has conflicts, for the names of the people who saved.
        users = get_user_model().objects.in_bulk(user_ids - {None})
        for stored, row in conflicts:
            who = users.get(stored.updated_by_id) if stored is not None else None
            changed_by = person_text(who, reader=self.user) if who is not None else ""
            changed_at = stored.updated_at if stored is not None else None
            if self.newer == NEWER_REFUSE:
                self.rows.error(row.line, _conflict_message(row, stored, changed_by, changed_at))
                continue
            if len(self.report.conflicts) < MAX_CHANGES_LISTED:
                self.report.conflicts.append(ResultConflict(
                    row.line, self.checks.display_name(row.agency), row.indicator,
                    None if stored is None else stored.figures, row.figures, changed_by,
                    changed_at, self._overwrites(row),
                ))
            else:
                self.report.conflicts_unlisted += 1
            if self._overwrites(row):
                self.report.overwritten += 1

    def _write(self, created: list[ResultRow], updated: list) -> None:
        """Insert the new results, update the changed ones, and record a Change for each."""
        user_id = self.user.pk if self.user is not None else None
        now = timezone.now()
        ids = bulk.insert_rows(
            Result,
            ["year", "agency", "indicator", "value", "numerator", "denominator", "note"],
            [(row.year, row.agency.id, row.indicator.id, *row.figures) for row in created],
            constants={"is_sample": self.is_sample, "version": 1, "updated_by": user_id,
                       "updated_at": now},
            return_ids=True,
        )
        changes = [
            (pk, row.plan_id, None, row.figures)
            for pk, row in zip(ids, created, strict=True)
        ]
        bulk.update_rows(
            Result,
            ["value", "numerator", "denominator", "note", "version"],
            [(*row.figures, stored.version + 1, stored.pk) for stored, row in updated],
            constants={"is_sample": self.is_sample, "updated_by": user_id, "updated_at": now},
        )
        changes += [
            (stored.pk, row.plan_id, stored.figures, row.figures)
            for stored, row in updated
        ]
        result_changes_insert(changes, user_id=user_id, channel=self.channel, at=now)


def _conflict_message(
    row: ResultRow, stored: Stored | None, changed_by: str, changed_at: datetime | None
) -> str:
    """Return why a conflict is refused: the figure changed after the file was made."""
    figures = dict(zip(("value", "numerator", "denominator", "note"), row.figures, strict=True))
    yours = change_figures_text(row.indicator, figures)
    if stored is None:
        return _(
            "Kết quả %(code)s của %(agency)s đã bị xoá sau khi tệp được tải về; tệp ghi "
            "%(yours)s. Dùng --overwrite-newer nếu vẫn muốn ghi."
        ) % {"code": row.indicator.code, "agency": row.agency_code, "yours": yours}
    current = dict(zip(("value", "numerator", "denominator", "note"), stored.figures,
                       strict=True))
    return _(
        "Kết quả %(code)s của %(agency)s đã được %(who)s sửa lúc %(when)s, sau khi tệp được tải "
        "về: hiện là %(current)s, tệp ghi %(yours)s. Dùng --overwrite-newer nếu vẫn muốn ghi đè."
    ) % {
        "code": row.indicator.code, "agency": row.agency_code,
        "who": changed_by or _("một người không rõ"),
        "when": time_text(changed_at) if changed_at else "",
        "current": change_figures_text(row.indicator, current), "yours": yours,
    }


def _chunks(rows: Iterable, size: int = CHUNK_SIZE) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
