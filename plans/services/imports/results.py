"""Import the results of a ``results.csv``, chunk by chunk, at millions of rows.

All-or-nothing and idempotent, like every import (see :mod:`plans.services.imports`). Rows are
checked a chunk at a time with a few queries per chunk, and written with the bulk writer
(:mod:`plans.services.bulk`) and the history's fast path, each Change naming its plan.
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.files.columns import (
    RESULT_COLUMNS,
    RESULT_IGNORED_COLUMNS,
    RESULT_SHEET_NAMES,
)
from plans.models import Agency, Change, Plan, Result, Submission, result_errors
from plans.rules.limits import NOTE_MAX_LENGTH, WHOLE_MAX_DIGITS
from plans.rules.parsing import is_agency_code, parse_whole_number
from plans.selectors.naming import agency_display_names
from plans.services import bulk
from plans.services.history import result_changes_insert
from plans.services.imports.rows import (
    ImportReport,
    _agency_code_problem,
    _allowed,
    _channel,
    _Check,
    _Invalid,
    _limited,
    _required,
    _Rows,
    _unknown_agency_message,
    _whole,
    _year,
)
from plans.services.submissions import approved_agencies_locked
from plans.services.tables import ReadBudget
from plans.words.wording import approved_lock_message

# Rows checked and written together: large enough that the per-chunk queries are cheap per
# row, small enough that memory stays flat whatever the size of the file.
CHUNK_SIZE = 5000
# Past this many results written, a SQLite database gathers planner statistics again: without
# them the dashboard's queries read a whole year of the country for one province
# (BENCHMARKS.md: the province dashboard 152x the plain page before ANALYZE, 5.4x after).
ANALYZE_AFTER_ROWS = 10_000

# A preview lists at most this many of the results an import creates or changes.
MAX_CHANGES_LISTED = 500

YES = frozenset({"1", "yes", "có", "true"})
NO = frozenset({"0", "no", "không", "false"})
YES_NO_VALUES = {**dict.fromkeys(YES, 1), **dict.fromkeys(NO, 0)}


def results_import(
    *, source, user=None, channel: str = Change.Channel.COMMAND, dry_run: bool = False,
    provinces=None, years=None, is_sample: bool = False, budget: ReadBudget | None = None,
    describe: bool = False, expected_digest: str | None = None, agencies=None,
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

    With ``describe`` (or ``expected_digest``) the report lists the results created or
    changed (see ImportReport.changes) and a digest of them. Given ``expected_digest``, an
    import whose digest differs (the stored results changed since the preview that computed
    it) writes nothing and raises :class:`ChangesDiffer` with the new report.
    """
    channel = _channel(channel)
    report = ImportReport(kind="results", dry_run=dry_run)
    describe = describe or expected_digest is not None
    with transaction.atomic():
        rows = _Rows(
            report, source, RESULT_COLUMNS, budget, sheet_names=RESULT_SHEET_NAMES,
            ignored=RESULT_IGNORED_COLUMNS,
        )
        importer = _ResultsImporter(
            rows, user=user, channel=channel, dry_run=dry_run,
            allowed=_allowed(provinces), allowed_agencies=_allowed(agencies),
            is_sample=is_sample,
            years=None if years is None else {int(year) for year in years},
            describe=describe,
        )
        for chunk in _chunks(rows):
            importer.import_chunk(chunk)
        rows.finish()
        if describe:
            report.changes_digest = importer.digest.hexdigest()
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


def _gather_statistics(model) -> None:
    """Run ANALYZE on SQLite, whose planner has no statistics until asked to gather them.

    PostgreSQL's autovacuum analyses a table after many rows change; SQLite never does.
    """
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@dataclass(slots=True)
class _ResultRow:
    line: int
    year: int
    agency_code: str
    indicator: Indicator
    figures: tuple  # value, numerator, denominator, note
    # Set by _ResultsImporter._check_agency; only rows that pass it are read further.
    agency: Agency = field(init=False)


class _ResultsImporter:
    """Check and write the results of one file, a chunk at a time.

    What is remembered from one chunk to the next is bounded by the database, not the file:
    the agencies and plans met so far, and which (agency, year, indicator) keys were seen, as
    one bit per indicator in an integer per agency and year.
    """

    def __init__(
        self, rows: _Rows, *, user, channel, dry_run, allowed, allowed_agencies, is_sample,
        years, describe,
    ):
        self.rows = rows
        self.report = rows.report
        self.user = user
        self.channel = channel
        self.dry_run = dry_run
        self.allowed = allowed
        self.allowed_agencies = allowed_agencies
        self.is_sample = is_sample
        self.allowed_years = years
        indicators = list(Indicator.objects.order_by("pk"))
        self.indicators = {indicator.code: indicator for indicator in indicators}
        self.indicator_bit = {indicator.pk: 1 << i for i, indicator in enumerate(indicators)}
        self.agencies: dict[str, Agency | None] = {}
        # Province id -> {agency id: the name shown to people}, read when first needed.
        self.display_names: dict[int, dict[int, str]] = {}
        # Year texts already found valid ("2017" -> 2017).
        self.years: dict[str, int] = {}
        # (province id, year) -> (plan id, closed), or None where the province has no plan.
        self.plans: dict[tuple[int, int], tuple[int, bool] | None] = {}
        self.seen: dict[tuple[int, int], int] = {}
        self.describe = describe
        self.digest = hashlib.sha256()

    def import_chunk(self, chunk: list[tuple[int, list[str]]]) -> None:
        parsed = [row for row in (self._parse(line, fields) for line, fields in chunk) if row]
        if self.allowed_years is not None:
            parsed = [row for row in parsed if self._check_year(row)]
        self._load_agencies({row.agency_code for row in parsed})
        valid = [row for row in parsed if self._check_agency(row)]
        self._load_plans({(row.agency.province_id, row.year) for row in valid})
        valid = [row for row in valid if self._check_plan(row) and self._check_unique(row)]
        existing = self._existing(valid)
        approved = self._approved(valid)

        created, updated = [], []
        for row in valid:
            stored = existing.get((row.agency.id, row.year, row.indicator.id))
            if stored is not None and stored.figures == row.figures:
                # Equal figures and note leave the result as it is, sample data or not: an
                # untouched template uploaded again writes nothing.
                self.report.unchanged += 1
                continue
            plan_id = self._plan_id(row)
            # No plan, no submission: only a planned year can have been approved.
            if plan_id is not None and approved.get((plan_id, row.agency.id)):
                self.rows.error(row.line, approved_lock_message(row.agency.name, row.year))
                continue
            if stored is None:
                created.append(row)
            else:
                updated.append((stored, row))
            if self.describe:
                self._describe(row, None if stored is None else stored.figures)
        self.report.created += len(created)
        self.report.updated += len(updated)
        # After the first error nothing more is written: the whole import will roll back.
        if not self.rows.failed and not self.dry_run:
            self._write(created, updated)

    def _describe(self, row: _ResultRow, old: tuple | None) -> None:
        """Add ``row``'s change to the report's list, counts and digest."""
        report = self.report
        self.digest.update(
            repr((row.year, row.agency_code, row.indicator.code, old, row.figures)).encode()
        )
        counts = report.changes_by_agency.setdefault(row.agency.id, [0, 0])
        counts[old is not None] += 1
        if len(report.changes) < MAX_CHANGES_LISTED:
            report.changes.append(ResultChange(
                row.line, row.agency.id, self._display_name(row.agency), row.indicator, old,
                row.figures,
            ))
        else:
            report.changes_unlisted += 1

    def _parse(self, line: int, fields: list[str]) -> _ResultRow | None:
        """Return the row's values, or None after recording what is wrong with it.

        Return None too for a row with no figures and no note: a downloaded template lists
        every agency and indicator, and a person fills only some of them.
        """
        year_text, agency_code, indicator_code, value, numerator, denominator, note = fields
        if not (value or numerator or denominator or note):
            self.report.skipped_blank += 1
            return None
        # The common case, a correct row, is decided here with a few cheap tests; anything
        # unusual (right or wrong) goes through the thorough checks below, which explain.
        year = self.years.get(year_text)
        indicator = self.indicators.get(indicator_code)
        if year and agency_code and indicator and len(note) <= NOTE_MAX_LENGTH:
            figures = _plain_figures(indicator.kind, value, numerator, denominator)
            if figures is not None:
                return _ResultRow(line, year, agency_code, indicator, (*figures, note))
        row = self._parse_thoroughly(line, fields)
        if row is not None:
            self.years[year_text] = row.year
        return row

    def _parse_thoroughly(self, line: int, fields: list[str]) -> _ResultRow | None:
        year, agency_code, indicator_code, value, numerator, denominator, note = fields
        check = _Check()
        year = check(_year, year)
        check(_required, agency_code, "agency_code")
        indicator = self.indicators.get(indicator_code)
        if indicator is None:
            check(_required, indicator_code, "indicator_code")
            if indicator_code:
                check.add(
                    _("Không có chỉ tiêu mã “%(code)s” trong danh mục.") % {"code": indicator_code}
                )
        else:
            value, numerator, denominator = self._figures(
                check, indicator, value, numerator, denominator
            )
        check(_limited, note, "note", max_length=NOTE_MAX_LENGTH)
        if self.rows.errors_of(line, check.problems):
            return None
        assert indicator is not None  # without problems the code was given and found
        return _ResultRow(line, year, agency_code, indicator, (value, numerator, denominator, note))

    def _figures(self, check: _Check, indicator: Indicator, value, numerator, denominator):
        """Return the parsed (value, numerator, denominator) for ``indicator``'s kind."""
        kind = indicator.kind
        blank_columns = ("value",) if kind == Indicator.Kind.RATIO else ("numerator", "denominator")
        texts = {"value": value, "numerator": numerator, "denominator": denominator}
        for column in blank_columns:
            if texts[column]:
                check.add(
                    _("Cột %(column)s phải để trống với chỉ tiêu %(code)s (loại %(kind)s), nhận "
                      "được “%(value)s”.")
                    % {"column": column, "code": indicator.code,
                       "kind": indicator.get_kind_display(), "value": texts[column]}
                )
        if check.problems:
            return None, None, None
        if kind == Indicator.Kind.YES_NO:
            figures = (check(_yes_no, value), None, None)
        elif kind == Indicator.Kind.RATIO:
            figures = (None, check(_whole, numerator, "numerator"),
                       check(_whole, denominator, "denominator"))
        else:
            figures = (check(_whole, value, "value"), None, None)
        if check.problems:
            return None, None, None
        errors = result_errors(
            kind=kind, value=figures[0], numerator=figures[1], denominator=figures[2]
        )
        for messages in errors.values():
            for message in messages:
                check.add(message)
        return figures

    def _check_year(self, row: _ResultRow) -> bool:
        if row.year in self.allowed_years:
            return True
        allowed = ", ".join(str(year) for year in sorted(self.allowed_years))
        self.rows.error(
            row.line,
            _("Năm %(year)s không phải năm %(allowed)s đang nhập ở đây; hãy tải dòng này lên ở "
              "trang của năm %(year)s.") % {"year": row.year, "allowed": allowed},
        )
        return False

    def _load_agencies(self, codes: set[str]) -> None:
        missing = codes - self.agencies.keys()
        if not missing:
            return
        # No ordering: the model's default ordering would sort on joined columns for nothing.
        found = Agency.objects.filter(code__in=missing).order_by().select_related("province").only(
            "code", "name", "province__code", "province__name", "active_from", "active_to"
        )
        for agency in found:
            self.agencies[agency.code] = agency
        for code in missing - self.agencies.keys():
            self.agencies[code] = None

    def _check_agency(self, row: _ResultRow) -> bool:
        agency = self.agencies.get(row.agency_code)
        if agency is None and not is_agency_code(row.agency_code):
            # Every stored code keeps to the alphabet: saying so tells nothing about others.
            self.rows.error(row.line, _agency_code_problem(row.agency_code, "agency_code"))
            return False
        if (
            self.allowed is not None and (agency is None or agency.province_id not in self.allowed)
        ) or (
            self.allowed_agencies is not None
            and (agency is None or agency.pk not in self.allowed_agencies)
        ):
            # Another province's agency (or, for a reporter, another agency) is answered as an
            # unknown code, in the same words: trying codes must not tell which exist elsewhere.
            self.rows.error(row.line, _unknown_agency_message(row.agency_code))
            return False
        if agency is None:
            self.rows.error(
                row.line,
                _("Không có đơn vị mã %(code)s trong hệ thống.") % {"code": row.agency_code},
            )
            return False
        if not agency.is_active_in(row.year):
            self.rows.error(
                row.line,
                _("Đơn vị %(code)s (%(name)s) không hoạt động trong năm %(year)s (hoạt động "
                  "%(span)s).")
                % {"code": agency.code, "name": self._display_name(agency), "year": row.year,
                   "span": _active_span(agency)},
            )
            return False
        row.agency = agency
        return True

    def _display_name(self, agency: Agency) -> str:
        """Return the name ``agency`` is shown by: one query for each province met."""
        names = self.display_names.get(agency.province_id)
        if names is None:
            names = self.display_names[agency.province_id] = agency_display_names(
                agency.province_id
            )
        return names.get(agency.pk, agency.name)

    def _load_plans(self, keys: set[tuple[int, int]]) -> None:
        """Remember the plan of each (province id, year) of ``keys`` not met yet: one query."""
        missing = keys - self.plans.keys()
        if not missing:
            return
        for key in missing:
            self.plans[key] = None
        found = Plan.objects.filter(
            province_id__in={province_id for province_id, _year in missing},
            year__in={year for _province_id, year in missing},
        ).order_by().values_list("province_id", "year", "pk", "status")
        for province_id, year, pk, status in found:
            if (province_id, year) in missing:
                self.plans[province_id, year] = (pk, status == Plan.Status.CLOSED)

    def _plan_id(self, row: _ResultRow) -> int | None:
        """Return the id of the plan of ``row``'s province and year (None: it has none)."""
        plan = self.plans[row.agency.province_id, row.year]
        return None if plan is None else plan[0]

    def _check_plan(self, row: _ResultRow) -> bool:
        plan = self.plans[row.agency.province_id, row.year]
        if plan is not None and plan[1]:
            self.rows.error(
                row.line,
                _("Kế hoạch năm %(year)s của tỉnh %(province)s đã tổng kết, không thể sửa kết "
                  "quả.") % {"year": row.year, "province": row.agency.province.name},
            )
            return False
        return True

    def _check_unique(self, row: _ResultRow) -> bool:
        key = (row.agency.id, row.year)
        bit = self.indicator_bit[row.indicator.id]
        seen = self.seen.get(key, 0)
        if seen & bit:
            self.rows.error(
                row.line,
                _("Kết quả năm %(year)s của đơn vị %(agency)s (%(name)s), chỉ tiêu %(code)s đã có "
                  "ở một dòng trước trong tệp; mỗi kết quả chỉ ghi một dòng.")
                % {"year": row.year, "agency": row.agency_code,
                   "name": self._display_name(row.agency), "code": row.indicator.code},
            )
            return False
        self.seen[key] = seen | bit
        return True

    def _existing(self, rows: list[_ResultRow]) -> dict:
        """Return the stored results of ``rows`` by key, locked until the import commits."""
        if not rows:
            return {}
        # Agencies and years only: the unique index (agency, year, indicator) answers this with
        # one range per agency and year, cheaper than a probe per indicator as well.
        results = Result.objects.filter(
            agency_id__in={row.agency.id for row in rows},
            year__in={row.year for row in rows},
        ).order_by()  # the default ordering joins agencies and indicators to sort
        if not self.dry_run:
            # Nobody may change these results between this check and our write.
            results = results.select_for_update()
        # Tuples, not model instances: at millions of rows the difference is most of the time.
        return {
            (agency_id, year, indicator_id): _Stored(pk, (value, numerator, denominator, note),
                                                     version)
            for pk, agency_id, year, indicator_id, value, numerator, denominator, note,
            version in results.values_list(
                "pk", "agency_id", "year", "indicator_id", "value", "numerator", "denominator",
                "note", "version",
            )
        }

    def _approved(self, rows: list[_ResultRow]) -> dict[tuple[int, int], bool]:
        """Return {(plan id, agency id): approved} for ``rows``, locked unless a dry run."""
        pairs = {(self._plan_id(row), row.agency.id) for row in rows}
        plan_ids = {plan_id for plan_id, _agency_id in pairs if plan_id is not None}
        agency_ids = {agency_id for plan_id, agency_id in pairs if plan_id is not None}
        if self.dry_run:
            return {
                (plan_id, agency_id): True
                for plan_id, agency_id in Submission.objects.filter(
                    plan_id__in=plan_ids, agency_id__in=agency_ids, state=Submission.State.APPROVED
                ).values_list("plan_id", "agency_id")
            } if plan_ids else {}
        return approved_agencies_locked(plan_ids=plan_ids, agency_ids=agency_ids)

    def _write(self, created: list[_ResultRow], updated: list) -> None:
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
            (pk, self._plan_id(row), None, row.figures)
            for pk, row in zip(ids, created, strict=True)
        ]
        bulk.update_rows(
            Result,
            ["value", "numerator", "denominator", "note", "version"],
            [(*row.figures, stored.version + 1, stored.pk) for stored, row in updated],
            constants={"is_sample": self.is_sample, "updated_by": user_id, "updated_at": now},
        )
        changes += [
            (stored.pk, self._plan_id(row), stored.figures, row.figures)
            for stored, row in updated
        ]
        result_changes_insert(changes, user_id=user_id, channel=self.channel, at=now)


@dataclass(frozen=True, slots=True)
class _Stored:
    """A stored result, as much of it as an import compares and bumps."""

    pk: int
    figures: tuple  # value, numerator, denominator, note
    version: int


def _digits(text: str) -> int | None:
    """Return the whole number written in ``text`` if it is digits that fit, else None."""
    return parse_whole_number(text, max_digits=WHOLE_MAX_DIGITS)


def _plain_figures(kind: str, value: str, numerator: str, denominator: str) -> tuple | None:
    """Return (value, numerator, denominator) of a plainly correct row, else None.

    Only a shortcut: None means "check thoroughly", never "wrong".
    """
    if kind == Indicator.Kind.RATIO:
        if value:
            return None
        top, bottom = _digits(numerator), _digits(denominator)
        if top is None or bottom is None or top > bottom:
            return None
        return None, top, bottom
    if numerator or denominator:
        return None
    if kind == Indicator.Kind.YES_NO:
        answer = YES_NO_VALUES.get(value.lower())
        return None if answer is None else (answer, None, None)
    count = _digits(value)
    return None if count is None else (count, None, None)


def _yes_no(text: str) -> int:
    word = text.lower()
    if word in YES:
        return 1
    if word in NO:
        return 0
    if not text:
        raise _Invalid(_("Cột value không được để trống."))
    raise _Invalid(
        _("Cột value: “%(value)s” không phải câu trả lời có/không; ghi 1, 0, yes, no, có, "
          "không, true hoặc false.") % {"value": text}
    )


def _active_span(agency: Agency) -> str:
    start = agency.active_from or "…"
    end = agency.active_to or "…"
    return f"{start}–{end}"


def _chunks(rows: Iterable, size: int = CHUNK_SIZE) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
