"""Import agencies, targets and results from the CSV/XLSX files of FORMATS.md.

Every import is all-or-nothing: rows are read and checked in chunks of a few thousand (a handful
of queries per chunk, never one per row), written while no error has been found, and if any row
anywhere is wrong the whole import is rolled back and :class:`ImportRefused` carries every error
with its line number. Re-importing the same file finds every row unchanged and writes nothing.

Management commands and the web upload page call these functions as they are.
"""

import csv
import io
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.models import (
    MAX_YEAR,
    MIN_YEAR,
    Agency,
    Change,
    Plan,
    Province,
    Result,
    Target,
    result_errors,
)
from plans.parsing import AGENCY_CODE_RULE, is_agency_code, parse_ascii_int
from plans.services._csv import FileError, ReadBudget, read_table
from plans.tiers import TIER_ORDER, TiersError, format_tiers, parse_tiers

AGENCY_COLUMNS = (
    "province_code", "province_name", "agency_code", "agency_name", "tier", "parent_code",
    "active_from", "active_to",
)
TARGET_COLUMNS = (
    "province_code", "year", "indicator_code", "tiers", "comparator", "value", "unit", "note",
)
RESULT_COLUMNS = (
    "year", "agency_code", "indicator_code", "value", "numerator", "denominator", "note",
)

# Rows checked and written together: large enough that the per-chunk queries are cheap per
# row, small enough that memory stays flat whatever the size of the file.
CHUNK_SIZE = 5000
# A report is read by a person; past this many errors the rest are only counted.
MAX_ERRORS = 1000
# PositiveBigIntegerField holds up to 2**63 - 1; 18 digits always fit.
MAX_DIGITS = 18
# Target.value is DecimalField(max_digits=14, decimal_places=1): 13 digits before the point.
TARGET_MAX_WHOLE_DIGITS = 13
# Past this many results written, a SQLite database gathers planner statistics again: without
# them the dashboard's queries read a whole year of the country for one province
# (BENCHMARKS.md: the province dashboard 152x the plain page before ANALYZE, 5.4x after).
ANALYZE_AFTER_ROWS = 10_000

YES = frozenset({"1", "yes", "có", "true"})
NO = frozenset({"0", "no", "không", "false"})
COMPARATORS = tuple(Target.Comparator.values)
UNITS = tuple(Target.Unit.values)

WHOLE = re.compile(r"[0-9]+")
PERCENT_VALUE = re.compile(r"[0-9]+(\.[0-9])?")
DECIMAL_VALUE = re.compile(r"[0-9]+(\.[0-9]+)?")


@dataclass
class RowError:
    line: int  # physical line number in the file (header is line 1); 0 = whole file
    message: str


@dataclass
class ImportReport:
    kind: str  # "agencies" | "targets" | "results"
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Results rows with value, numerator, denominator and note all blank: the unfilled rows of
    # a downloaded template. They are counted in ``rows`` and written nowhere.
    skipped_blank: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(Exception):
    """The file has errors: nothing was written; ``report.errors`` says what and where."""

    def __init__(self, report: ImportReport):
        super().__init__(
            _("Tệp bị từ chối: %(count)s lỗi, không có dữ liệu nào được ghi.")
            % {"count": len(report.errors)}
        )
        self.report = report


class _Invalid(ValueError):
    """One value of a row is wrong; the message says which and why."""


class _Rows:
    """The data rows of one import, and the errors found in them.

    Iterating yields ``(line, fields)`` for the rows that could be read; the others, and a
    file that cannot be read or is over ``budget`` (the import commands' when None), are
    recorded as errors.
    """

    def __init__(self, report: ImportReport, source, columns, budget: ReadBudget | None = None):
        self.report = report
        self.columns = columns
        self.source = source
        self.budget = budget
        self.unlisted = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        try:
            for line, fields, problem in read_table(
                self.source, columns=self.columns, budget=self.budget
            ):
                self.report.rows += 1
                if problem:
                    self.error(line, problem)
                    continue
                yield line, fields
        except FileError as exc:
            self.error(0, exc.message)

    def error(self, line: int, message: str) -> None:
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append(RowError(line=line, message=str(message)))
        else:
            self.unlisted += 1

    def errors_of(self, line: int, problems: Iterable[str]) -> bool:
        """Record each of ``problems`` for ``line``; return True if there was any."""
        found = False
        for message in problems:
            self.error(line, message)
            found = True
        return found

    @property
    def failed(self) -> bool:
        return bool(self.report.errors)

    def finish(self) -> ImportReport:
        """Return the report, or raise ImportRefused (rolling back) if any error was found."""
        # Rows are checked in several passes; a person reads the errors in file order.
        self.report.errors.sort(key=lambda error: error.line)
        if self.unlisted:
            self.report.errors.append(
                RowError(
                    line=0,
                    message=_("Còn %(count)s lỗi khác không liệt kê. Hãy sửa các lỗi trên rồi "
                              "nhập lại để xem tiếp.") % {"count": self.unlisted},
                )
            )
        if self.report.errors:
            raise ImportRefused(self.report)
        return self.report


class _Check:
    """Collect the problems of one row: each parser raises _Invalid, recorded here."""

    def __init__(self):
        self.problems: list[str] = []

    def __call__(self, parse, *args, **kwargs):
        try:
            return parse(*args, **kwargs)
        except _Invalid as exc:
            self.problems.append(str(exc))
            return _BAD

    def add(self, message) -> None:
        self.problems.append(str(message))


# Returned by a parser that failed, so that later checks can tell "wrong" from "blank".
_BAD = object()


def _required(text: str, column: str, *, max_length: int | None = None) -> str:
    if not text:
        raise _Invalid(_("Cột %(column)s không được để trống.") % {"column": column})
    return _limited(text, column, max_length=max_length)


def _limited(text: str, column: str, *, max_length: int | None) -> str:
    if max_length is not None and len(text) > max_length:
        raise _Invalid(
            _("Cột %(column)s dài %(length)s ký tự, tối đa %(max)s.")
            % {"column": column, "length": len(text), "max": max_length}
        )
    return text


def _whole(text: str, column: str) -> int | None:
    """Return the whole number written in ``text`` (ASCII digits only), or None if blank."""
    if not text:
        return None
    number = parse_ascii_int(text, max_digits=MAX_DIGITS)
    if number is None:
        if WHOLE.fullmatch(text):
            raise _Invalid(
                _("Cột %(column)s: số %(value)s quá lớn.") % {"column": column, "value": text}
            )
        raise _Invalid(
            _("Cột %(column)s: “%(value)s” không phải số nguyên không âm; chỉ ghi chữ số, "
              "ví dụ 12.") % {"column": column, "value": text}
        )
    return number


def _year(text: str, column: str = "year", *, required: bool = True) -> int | None:
    if not text and not required:
        return None
    if not text:
        raise _Invalid(_("Cột %(column)s không được để trống.") % {"column": column})
    # A thousand digits are "not a year" too, without int() spending time on them.
    year = parse_ascii_int(text, max_digits=MAX_DIGITS)
    if year is None:
        raise _Invalid(
            _("Cột %(column)s: “%(value)s” không phải năm; ghi bốn chữ số, ví dụ 2017.")
            % {"column": column, "value": text}
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Invalid(
            _("Cột %(column)s: năm %(value)s nằm ngoài khoảng %(min)s–%(max)s.")
            % {"column": column, "value": text, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def _choice(text: str, column: str, choices: Iterable[str]) -> str:
    if text not in choices:
        raise _Invalid(
            _("Cột %(column)s: “%(value)s” không hợp lệ; chỉ nhận %(choices)s.")
            % {"column": column, "value": text, "choices": ", ".join(choices)}
        )
    return text


def _province_code(text: str) -> str:
    """Return ``text`` if it is a province code (ASCII digits, at most 8), else raise."""
    if text and (parse_ascii_int(text, max_digits=8) is None):
        raise _Invalid(
            _("Cột province_code: “%(value)s” không hợp lệ; mã tỉnh chỉ gồm chữ số, ví dụ 91.")
            % {"value": text}
        )
    return text


def _agency_code(text: str, column: str) -> str:
    """Return ``text`` if it is blank or written in the agency codes' alphabet, else raise."""
    if text and not is_agency_code(text):
        raise _Invalid(_agency_code_problem(text, column))
    return text


def _agency_code_problem(text: str, column: str) -> str:
    return _("Cột %(column)s: “%(value)s” không hợp lệ. %(rule)s") % {
        "column": column, "value": text, "rule": AGENCY_CODE_RULE,
    }


# An import limited to some provinces answers a code of another province in the words it uses
# for a code that exists nowhere, so that trying codes tells nothing about other provinces.


def _unknown_province_message(code: str) -> str:
    return _("Tỉnh mã %(code)s không có trong hệ thống hoặc không thuộc các tỉnh bạn được phân "
             "quyền.") % {"code": code}


def _unknown_agency_message(code: str) -> str:
    return _("Đơn vị mã %(code)s không có trong hệ thống hoặc không thuộc tỉnh bạn được phân "
             "quyền.") % {"code": code}


def _unknown_parent_message(code: str) -> str:
    return _("Đơn vị cấp trên mã %(code)s không có trong tệp, và trong hệ thống thì không có "
             "hoặc không thuộc các tỉnh bạn được phân quyền.") % {"code": code}


def _allowed(provinces) -> set[int] | None:
    return None if provinces is None else {int(pk) for pk in provinces}


def _channel(channel: str) -> str:
    if channel not in Change.Channel.values:
        raise ValueError(f"unknown change channel {channel!r}")
    return channel


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages in error.message_dict.values() for m in messages]
    return [str(m) for m in error.messages]


def _chunks(rows: Iterable, size: int = CHUNK_SIZE) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- agencies --------------------------------------------------------------------------------


@dataclass
class _AgencyRow:
    line: int
    province_code: str
    province_name: str
    code: str
    name: str
    tier: str
    parent_code: str
    active_from: int | None
    active_to: int | None


def _agency_row(line: int, fields: list[str], check: _Check) -> _AgencyRow:
    province_code, province_name, code, name, tier, parent_code, active_from, active_to = fields
    check(_required, province_code, "province_code")
    check(_province_code, province_code)
    check(_required, province_name, "province_name", max_length=120)
    if check(_required, code, "agency_code", max_length=40) is not _BAD:
        check(_agency_code, code, "agency_code")
    check(_required, name, "agency_name", max_length=255)
    tier = check(_choice, tier.lower(), "tier", TIER_ORDER)
    if check(_limited, parent_code, "parent_code", max_length=40) is not _BAD:
        check(_agency_code, parent_code, "parent_code")
    active_from = check(_year, active_from, "active_from", required=False)
    active_to = check(_year, active_to, "active_to", required=False)
    if (
        isinstance(active_from, int) and isinstance(active_to, int) and active_from > active_to
    ):
        check.add(
            _("Năm bắt đầu hoạt động (%(start)s) sau năm kết thúc (%(end)s).")
            % {"start": active_from, "end": active_to}
        )
    if parent_code and parent_code == code:
        check.add(_("Đơn vị %(code)s không thể là cấp trên của chính nó.") % {"code": code})
    return _AgencyRow(
        line, province_code, province_name, code, name, tier, parent_code,
        active_from if active_from is not _BAD else None,
        active_to if active_to is not _BAD else None,
    )


def agencies_import(
    *, source, user=None, channel: str = Change.Channel.COMMAND, dry_run: bool = False,
    provinces=None, budget: ReadBudget | None = None,
) -> ImportReport:
    """Create or update the agencies (and their provinces) listed in an ``agencies.csv``.

    A province unknown to the system is created with its name, unless ``provinces`` restricts
    the caller to some provinces. Agencies are matched on ``agency_code``; no Change rows are
    kept for agencies.
    """
    _channel(channel)
    report = ImportReport(kind="agencies", dry_run=dry_run)
    allowed = _allowed(provinces)
    with transaction.atomic():
        rows = _Rows(report, source, AGENCY_COLUMNS, budget)
        parsed: list[_AgencyRow] = []
        bad_lines: set[int] = set()
        for line, fields in rows:
            check = _Check()
            row = _agency_row(line, fields, check)
            if rows.errors_of(line, check.problems):
                bad_lines.add(line)
            parsed.append(row)

        plan = _agencies_plan(parsed, bad_lines, rows, allowed)
        report.created, report.updated, report.unchanged = (
            len(plan.created), len(plan.updated), plan.unchanged
        )
        if not rows.failed and not dry_run:
            _agencies_write(plan)
        return rows.finish()


@dataclass
class _AgenciesPlan:
    """What an agencies import would write."""

    new_provinces: dict  # code -> name
    provinces: dict  # code -> Province (existing)
    created: list  # _AgencyRow
    updated: list  # (Agency, _AgencyRow)
    unchanged: int


def _agencies_plan(parsed, bad_lines, rows: _Rows, allowed) -> _AgenciesPlan:
    """Check the rows against each other and the database: five queries."""
    province_codes = {row.province_code for row in parsed if row.province_code}
    province_names = {row.province_name for row in parsed if row.province_name}
    known_provinces = {p.code: p for p in Province.objects.filter(code__in=province_codes)}
    in_use = Province.objects.filter(name__in=province_names)
    # The hierarchy of the provinces concerned, to refuse a loop of parents.
    hierarchy = Agency.objects.filter(province__code__in=province_codes)
    if allowed is not None:
        # A limited caller is told nothing of other provinces: their names, their agencies.
        in_use = in_use.filter(pk__in=allowed)
        hierarchy = hierarchy.filter(province_id__in=allowed)
    names_in_use = dict(in_use.values_list("name", "code"))
    parents = dict(hierarchy.order_by().values_list("code", "parent__code"))
    codes = {row.code for row in parsed} | {row.parent_code for row in parsed if row.parent_code}
    existing = {
        agency.code: agency
        for agency in Agency.objects.filter(code__in=codes)
        .select_related("province", "parent")
        .order_by()
    }
    # Codes are unique across provinces, so a code taken elsewhere cannot be created: the one
    # thing a limited caller learns of other provinces, and without their names.
    taken_elsewhere = set()
    if allowed is not None:
        taken_elsewhere = {c for c, a in existing.items() if a.province_id not in allowed}
        existing = {c: a for c, a in existing.items() if c not in taken_elsewhere}

    in_file: dict[str, _AgencyRow] = {}
    province_named: dict[str, _AgencyRow] = {}
    code_of_name: dict[str, _AgencyRow] = {}
    for row in parsed:
        problems = []
        if row.code in in_file:
            problems.append(
                _("Mã đơn vị %(code)s đã có ở dòng %(first)s; mỗi đơn vị chỉ ghi một dòng.")
                % {"code": row.code, "first": in_file[row.code].line}
            )
        elif row.code:
            in_file[row.code] = row
        problems += _province_problems(
            row, known_provinces, names_in_use, province_named, code_of_name, allowed
        )
        agency = existing.get(row.code)
        if agency and row.province_code and agency.province.code != row.province_code:
            problems.append(
                _("Mã đơn vị %(code)s đã thuộc tỉnh %(other)s (%(other_code)s); mã đơn vị là duy "
                  "nhất trong cả hệ thống.")
                % {"code": row.code, "other": agency.province.name,
                   "other_code": agency.province.code}
            )
        elif row.code in taken_elsewhere and _is_allowed(
            known_provinces.get(row.province_code), allowed
        ):
            problems.append(
                _("Mã đơn vị %(code)s đã được dùng; mã đơn vị là duy nhất trong cả hệ thống, hãy "
                  "chọn mã khác.") % {"code": row.code}
            )
        if rows.errors_of(row.line, problems):
            bad_lines.add(row.line)

    for row in parsed:
        problems = _parent_problems(row, in_file, existing, allowed)
        if rows.errors_of(row.line, problems):
            bad_lines.add(row.line)
    parents.update({row.code: row.parent_code or None for row in in_file.values()})
    for row in in_file.values():
        # An agency that is its own parent was reported above.
        loop = _parent_loop(row.code, parents) if row.parent_code != row.code else None
        if loop and rows.errors_of(
            row.line,
            [_("Các đơn vị cấp trên tạo thành vòng lặp: %(loop)s.") % {"loop": " → ".join(loop)}],
        ):
            bad_lines.add(row.line)

    created, updated, unchanged = [], [], 0
    for row in in_file.values():
        agency = existing.get(row.code)
        if agency is None:
            created.append(row)
        elif (
            agency.name, agency.tier, agency.parent.code if agency.parent else "",
            agency.active_from, agency.active_to,
        ) != (row.name, row.tier, row.parent_code, row.active_from, row.active_to):
            updated.append((agency, row))
        else:
            unchanged += 1
    new_provinces = {
        row.province_code: row.province_name
        for row in parsed
        if row.province_code not in known_provinces and row.line not in bad_lines
    }
    return _AgenciesPlan(new_provinces, known_provinces, created, updated, unchanged)


def _province_problems(row, known, names_in_use, province_named, code_of_name, allowed):
    if not row.province_code or not row.province_name:
        return []
    problems = []
    province = known.get(row.province_code)
    first = province_named.setdefault(row.province_code, row)
    named_first = code_of_name.setdefault(row.province_name, row)
    if allowed is not None and not _is_allowed(province, allowed):
        # Only the file's own words: whether the province exists, and under what name, is not
        # the caller's to learn.
        return [
            _("Tỉnh %(code)s (%(name)s) không thuộc các tỉnh bạn được phân quyền.")
            % {"code": row.province_code, "name": row.province_name}
        ]
    if province is not None and province.name != row.province_name:
        problems.append(
            _("Tỉnh mã %(code)s đã có tên “%(name)s” trong hệ thống, dòng này ghi “%(given)s”; "
              "một tỉnh chỉ có một tên.")
            % {"code": row.province_code, "name": province.name, "given": row.province_name}
        )
    elif first.province_name != row.province_name:
        problems.append(
            _("Tỉnh mã %(code)s đã được ghi tên “%(name)s” ở dòng %(first)s, dòng này ghi "
              "“%(given)s”; một tỉnh chỉ có một tên.")
            % {"code": row.province_code, "name": first.province_name, "first": first.line,
               "given": row.province_name}
        )
    other_code = names_in_use.get(row.province_name)
    if other_code is not None and other_code != row.province_code:
        problems.append(
            _("Tên tỉnh “%(name)s” đã dùng cho tỉnh mã %(other)s.")
            % {"name": row.province_name, "other": other_code}
        )
    elif named_first.province_code != row.province_code:
        problems.append(
            _("Tên tỉnh “%(name)s” đã được ghi cho tỉnh mã %(other)s ở dòng %(first)s.")
            % {"name": row.province_name, "other": named_first.province_code,
               "first": named_first.line}
        )
    return problems


def _is_allowed(province, allowed) -> bool:
    """Return True if ``province`` (None: unknown) is one the caller may write."""
    return allowed is None or (province is not None and province.pk in allowed)


def _parent_problems(row, in_file, existing, allowed) -> list[str]:
    # A code outside the alphabet was reported by _agency_row; no agency can have it.
    if not row.parent_code or row.parent_code == row.code or not is_agency_code(row.parent_code):
        return []
    parent_row = in_file.get(row.parent_code)
    if parent_row is not None:
        parent_province = parent_row.province_code
    elif row.parent_code in existing:
        parent_province = existing[row.parent_code].province.code
    elif allowed is not None:
        return [_unknown_parent_message(row.parent_code)]
    else:
        return [
            _("Không có đơn vị cấp trên mã %(code)s, cả trong hệ thống lẫn trong tệp.")
            % {"code": row.parent_code}
        ]
    if row.province_code and parent_province != row.province_code:
        return [
            _("Đơn vị cấp trên %(parent)s thuộc tỉnh %(other)s, không cùng tỉnh %(province)s.")
            % {"parent": row.parent_code, "other": parent_province,
               "province": row.province_code}
        ]
    return []


def _parent_loop(code: str, parents: dict) -> list[str] | None:
    """Return the loop of parents starting at ``code`` (A → B → A), or None."""
    path = [code]
    current = parents.get(code)
    while current:
        if current == code:
            return path + [code]
        if current in path or len(path) > len(parents):
            return None  # a loop further up, reported on its own members
        path.append(current)
        current = parents.get(current)
    return None


def _agencies_write(plan: _AgenciesPlan) -> None:
    """Create the new provinces and agencies, parents first, then update the changed ones."""
    provinces = dict(plan.provinces)
    new = [Province(code=code, name=name) for code, name in plan.new_provinces.items()]
    for province in Province.objects.bulk_create(new):
        provinces[province.code] = province

    fields = ["name", "tier", "active_from", "active_to"]
    rows = [*plan.created, *(row for _agency, row in plan.updated)]
    parent_ids = dict(
        Agency.objects.filter(code__in={row.parent_code for row in rows if row.parent_code})
        .order_by()
        .values_list("code", "id")
    )
    # A parent may be another new agency, anywhere in the file: create in rounds, each round
    # the agencies whose parent exists by then (loops were refused, so every round has some).
    waiting = plan.created
    while waiting:
        ready = [row for row in waiting if not row.parent_code or row.parent_code in parent_ids]
        waiting = [row for row in waiting if row.parent_code and row.parent_code not in parent_ids]
        if not ready:
            raise RuntimeError("agencies left without a parent after the loop check")
        created = Agency.objects.bulk_create(
            [
                Agency(province=provinces[row.province_code], code=row.code,
                       parent_id=parent_ids.get(row.parent_code),
                       **{name: getattr(row, name) for name in fields})
                for row in ready
            ],
            batch_size=1000,
        )
        parent_ids.update({agency.code: agency.pk for agency in created})

    _update_rows(
        Agency,
        [*fields, "parent"],
        [
            (*(getattr(row, name) for name in fields),
             parent_ids[row.parent_code] if row.parent_code else None, agency.pk)
            for agency, row in plan.updated
        ],
        constants={},
    )


# --- targets ---------------------------------------------------------------------------------


@dataclass
class _TargetRow:
    line: int
    province_code: str
    year: int
    indicator: Indicator
    tiers: str
    comparator: str
    value: Decimal
    unit: str
    note: str

    @property
    def key(self):
        return (self.province_code, self.year, self.indicator.code, self.tiers)

    def as_dict(self) -> dict:
        return _target_dict(self)


def _target_dict(target) -> dict:
    """Return a target's figures as kept in the change history."""
    return {
        "indicator": target.indicator.code,
        "tiers": target.tiers,
        "comparator": target.comparator,
        "value": _plain(target.value),
        "unit": target.unit,
        "note": target.note,
    }


def _plain(value: Decimal) -> str:
    """Return ``value`` as written in a file: ``80``, ``12.5`` (never ``8E+1``)."""
    return str(int(value)) if value == value.to_integral_value() else str(value)


def _target_value(text: str, unit) -> Decimal:
    if not text:
        raise _Invalid(_("Cột value không được để trống."))
    if unit == Target.Unit.COUNT:
        if not WHOLE.fullmatch(text):
            raise _Invalid(
                _("Chỉ tiêu số lượng phải là số nguyên không âm, chỉ gồm chữ số (nhận được "
                  "“%(value)s”).") % {"value": text}
            )
    elif not PERCENT_VALUE.fullmatch(text):
        if DECIMAL_VALUE.fullmatch(text):
            raise _Invalid(
                _("Chỉ tiêu phần trăm ghi tối đa một chữ số thập phân (nhận được %(value)s).")
                % {"value": text}
            )
        raise _Invalid(
            _("Cột value: “%(value)s” không phải số; ghi chữ số, phần thập phân sau dấu chấm, "
              "ví dụ 80 hoặc 12.5.") % {"value": text}
        )
    if len(text.partition(".")[0].lstrip("0")) > TARGET_MAX_WHOLE_DIGITS:
        raise _Invalid(_("Cột value: số %(value)s quá lớn.") % {"value": text})
    return Decimal(text)


def _target_row(line, fields, check: _Check, indicators: dict) -> _TargetRow | None:
    province_code, year, indicator_code, tiers, comparator, value, unit, note = fields
    check(_required, province_code, "province_code")
    check(_province_code, province_code)
    year = check(_year, year)
    indicator = indicators.get(indicator_code)
    if indicator_code and indicator is None:
        check.add(
            _("Không có chỉ tiêu mã “%(code)s” trong danh mục.") % {"code": indicator_code}
        )
    check(_required, indicator_code, "indicator_code")
    try:
        tiers = format_tiers(parse_tiers(tiers))
    except TiersError as exc:
        check.add(exc)
        tiers = _BAD
    comparator = check(_choice, comparator, "comparator", COMPARATORS)
    unit = check(_choice, unit.lower(), "unit", UNITS)
    if unit is not _BAD:
        value = check(_target_value, value, unit)
    check(_limited, note, "note", max_length=500)
    if check.problems:
        return None
    target = Target(indicator=indicator, tiers=tiers, comparator=comparator, value=value,
                    unit=unit, note=note)
    try:
        target.clean()
    except ValidationError as exc:
        for message in _messages(exc):
            check.add(message)
        return None
    return _TargetRow(line, province_code, year, indicator, tiers, comparator, value, unit, note)


def targets_import(
    *, source, user=None, channel: str = Change.Channel.COMMAND, dry_run: bool = False,
    provinces=None, budget: ReadBudget | None = None,
) -> ImportReport:
    """Create or update the targets of a ``targets.csv``, creating missing plans (as drafts).

    Targets are matched on (province, year, indicator, set of tiers); a created or changed
    target gets a Change entry, and so does a plan created for it.
    """
    channel = _channel(channel)
    report = ImportReport(kind="targets", dry_run=dry_run)
    allowed = _allowed(provinces)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    with transaction.atomic():
        rows = _Rows(report, source, TARGET_COLUMNS, budget)
        parsed: list[_TargetRow] = []
        first_line: dict[tuple, int] = {}
        for line, fields in rows:
            check = _Check()
            row = _target_row(line, fields, check, indicators)
            if row is not None:
                if row.key in first_line:
                    check.add(
                        _("Chỉ tiêu %(code)s cấp %(tiers)s năm %(year)s của tỉnh %(province)s "
                          "đã có ở dòng %(first)s.")
                        % {"code": row.indicator.code, "tiers": row.tiers, "year": row.year,
                           "province": row.province_code, "first": first_line[row.key]}
                    )
                first_line.setdefault(row.key, line)
            if not rows.errors_of(line, check.problems):
                parsed.append(row)

        provinces_by_code = {
            p.code: p
            for p in Province.objects.filter(code__in={row.province_code for row in parsed})
        }
        plans = {
            (plan.province.code, plan.year): plan
            for plan in Plan.objects.filter(
                province__code__in=provinces_by_code, year__in={row.year for row in parsed}
            ).select_related("province")
        }
        existing = {
            (t.plan.province.code, t.plan.year, t.indicator.code,
             format_tiers(parse_tiers(t.tiers))): t
            for t in Target.objects.filter(plan__in=list(plans.values())).select_related(
                "plan__province", "indicator"
            )
        }
        new_plans: dict[tuple, Plan] = {}
        created, updated = [], []
        for row in parsed:
            province = provinces_by_code.get(row.province_code)
            if not _is_allowed(province, allowed):
                # The same words for a province that does not exist and one that is not the
                # caller's: nothing is learnt about other provinces by trying their codes.
                rows.error(row.line, _unknown_province_message(row.province_code))
                continue
            if province is None:
                rows.error(row.line, _("Không có tỉnh mã %(code)s trong hệ thống.")
                           % {"code": row.province_code})
                continue
            target = existing.get(row.key)
            if target is not None and _target_dict(target) == row.as_dict():
                report.unchanged += 1
                continue
            plan = plans.get((row.province_code, row.year))
            if plan is not None and plan.is_closed:
                rows.error(
                    row.line,
                    _("Kế hoạch năm %(year)s của tỉnh %(province)s đã tổng kết, không thể sửa "
                      "chỉ tiêu.") % {"year": row.year, "province": province.name},
                )
                continue
            if plan is None:
                plan = new_plans.setdefault(
                    (row.province_code, row.year),
                    Plan(province=province, year=row.year, status=Plan.Status.DRAFT),
                )
            if target is None:
                created.append((plan, row))
            else:
                updated.append((target, row))
        report.created, report.updated = len(created), len(updated)
        if not rows.failed and not dry_run:
            _targets_write(new_plans.values(), created, updated, user=user, channel=channel)
        return rows.finish()


def _targets_write(new_plans, created, updated, *, user, channel) -> None:
    plans = Plan.objects.bulk_create(list(new_plans))
    changes = [
        Change(plan=plan, changed_by=user, channel=channel, old=None,
               new={"province": plan.province.code, "year": plan.year, "status": plan.status})
        for plan in plans
    ]
    targets = Target.objects.bulk_create(
        [
            Target(plan=plan, indicator=row.indicator, tiers=row.tiers,
                   comparator=row.comparator, value=row.value, unit=row.unit, note=row.note)
            for plan, row in created
        ]
    )
    changes += [
        Change(target=target, plan=target.plan, changed_by=user, channel=channel, old=None,
               new=_target_dict(target))
        for target in targets
    ]
    # tiers too: a target stored as "all" (not through Target.clean) is rewritten canonically.
    fields = ["tiers", "comparator", "value", "unit", "note"]
    for target, row in updated:
        old = _target_dict(target)
        for name in fields:
            setattr(target, name, getattr(row, name))
        changes.append(
            Change(target=target, plan=target.plan, changed_by=user, channel=channel, old=old,
                   new=_target_dict(target))
        )
    Target.objects.bulk_update([target for target, _row in updated], fields, batch_size=500)
    Change.objects.bulk_create(changes, batch_size=1000)


# --- results ---------------------------------------------------------------------------------


def results_import(
    *, source, user=None, channel: str = Change.Channel.COMMAND, dry_run: bool = False,
    provinces=None, years=None, is_sample: bool = False, budget: ReadBudget | None = None,
) -> ImportReport:
    """Create or update the results of a ``results.csv``, chunk by chunk.

    Results are matched on (year, agency, indicator). A created or changed result is stamped
    with ``user``, ``is_sample`` and a new version, and gets a Change entry with its old and
    new figures. Results of a closed plan's province and year are refused, and so are rows
    outside ``provinces`` (ids) or ``years`` when they are given. A row whose value,
    numerator, denominator and note are all blank is skipped and counted in
    ``report.skipped_blank``.
    """
    channel = _channel(channel)
    report = ImportReport(kind="results", dry_run=dry_run)
    with transaction.atomic():
        rows = _Rows(report, source, RESULT_COLUMNS, budget)
        importer = _ResultsImporter(
            rows, user=user, channel=channel, dry_run=dry_run,
            allowed=_allowed(provinces), is_sample=is_sample,
            years=None if years is None else {int(year) for year in years},
        )
        for chunk in _chunks(rows):
            importer.import_chunk(chunk)
        rows.finish()
    if not dry_run and report.created + report.updated > ANALYZE_AFTER_ROWS:
        _gather_statistics(Result)
    return report


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
    agency: Agency | None = None


class _ResultsImporter:
    """Check and write the results of one file, a chunk at a time.

    What is remembered from one chunk to the next is bounded by the database, not the file:
    the agencies and plans met so far, and which (agency, year, indicator) keys were seen, as
    one bit per indicator in an integer per agency and year.
    """

    def __init__(self, rows: _Rows, *, user, channel, dry_run, allowed, is_sample, years):
        self.rows = rows
        self.report = rows.report
        self.user = user
        self.channel = channel
        self.dry_run = dry_run
        self.allowed = allowed
        self.is_sample = is_sample
        self.allowed_years = years
        indicators = list(Indicator.objects.order_by("pk"))
        self.indicators = {indicator.code: indicator for indicator in indicators}
        self.indicator_bit = {indicator.pk: 1 << i for i, indicator in enumerate(indicators)}
        self.agencies: dict[str, Agency | None] = {}
        # Year texts already found valid ("2017" -> 2017).
        self.years: dict[str, int] = {}
        self.plan_closed: dict[tuple[int, int], bool] = {}
        self.seen: dict[tuple[int, int], int] = {}

    def import_chunk(self, chunk: list[tuple[int, list[str]]]) -> None:
        parsed = [row for row in (self._parse(line, fields) for line, fields in chunk) if row]
        if self.allowed_years is not None:
            parsed = [row for row in parsed if self._check_year(row)]
        self._load_agencies({row.agency_code for row in parsed})
        valid = [row for row in parsed if self._check_agency(row)]
        self._load_plans({(row.agency.province_id, row.year) for row in valid})
        valid = [row for row in valid if self._check_plan(row) and self._check_unique(row)]
        existing = self._existing(valid)

        created, updated = [], []
        for row in valid:
            stored = existing.get((row.agency.id, row.year, row.indicator.id))
            if stored is None:
                created.append(row)
            elif stored.figures != row.figures or stored.is_sample != self.is_sample:
                updated.append((stored, row))
            else:
                self.report.unchanged += 1
        self.report.created += len(created)
        self.report.updated += len(updated)
        # After the first error nothing more is written: the whole import will roll back.
        if not self.rows.failed and not self.dry_run:
            self._write(created, updated)

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
        if year and agency_code and indicator and len(note) <= 500:
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
        check(_limited, note, "note", max_length=500)
        if self.rows.errors_of(line, check.problems):
            return None
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
            "code", "province__code", "province__name", "active_from", "active_to"
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
        if self.allowed is not None and (agency is None or agency.province_id not in self.allowed):
            # Another province's agency is answered as an unknown code, in the same words:
            # trying codes must not tell which exist elsewhere.
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
                _("Đơn vị %(code)s không hoạt động trong năm %(year)s (hoạt động %(span)s).")
                % {"code": agency.code, "year": row.year, "span": _active_span(agency)},
            )
            return False
        row.agency = agency
        return True

    def _load_plans(self, keys: set[tuple[int, int]]) -> None:
        missing = keys - self.plan_closed.keys()
        if not missing:
            return
        for key in missing:
            self.plan_closed[key] = False
        closed = Plan.objects.filter(
            province_id__in={province_id for province_id, _year in missing},
            year__in={year for _province_id, year in missing},
            status=Plan.Status.CLOSED,
        ).order_by().values_list("province_id", "year")
        for key in closed:
            if key in missing:
                self.plan_closed[key] = True

    def _check_plan(self, row: _ResultRow) -> bool:
        if self.plan_closed[row.agency.province_id, row.year]:
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
                _("Kết quả năm %(year)s của đơn vị %(agency)s, chỉ tiêu %(code)s đã có ở một dòng "
                  "trước trong tệp; mỗi kết quả chỉ ghi một dòng.")
                % {"year": row.year, "agency": row.agency_code, "code": row.indicator.code},
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
                                                     is_sample, version)
            for pk, agency_id, year, indicator_id, value, numerator, denominator, note,
            is_sample, version in results.values_list(
                "pk", "agency_id", "year", "indicator_id", "value", "numerator", "denominator",
                "note", "is_sample", "version",
            )
        }

    def _write(self, created: list[_ResultRow], updated: list) -> None:
        """Insert the new results, update the changed ones, and record a Change for each."""
        user_id = self.user.pk if self.user is not None else None
        now = timezone.now()
        ids = _insert_rows(
            Result,
            ["year", "agency", "indicator", "value", "numerator", "denominator", "note"],
            [(row.year, row.agency.id, row.indicator.id, *row.figures) for row in created],
            constants={"is_sample": self.is_sample, "version": 1, "updated_by": user_id,
                       "updated_at": now},
            return_ids=True,
        )
        changes = [(pk, None, row.figures) for pk, row in zip(ids, created, strict=True)]
        _update_rows(
            Result,
            ["value", "numerator", "denominator", "note", "version"],
            [(*row.figures, stored.version + 1, stored.pk) for stored, row in updated],
            constants={"is_sample": self.is_sample, "updated_by": user_id, "updated_at": now},
        )
        changes += [(stored.pk, stored.figures, row.figures) for stored, row in updated]
        _insert_rows(
            Change,
            ["result", "old", "new"],
            [(pk, old and _figures_json(old), _figures_json(new)) for pk, old, new in changes],
            constants={"changed_by": user_id, "changed_at": now, "channel": self.channel},
        )


@dataclass(frozen=True, slots=True)
class _Stored:
    """A stored result, as much of it as an import compares and bumps."""

    pk: int
    figures: tuple  # value, numerator, denominator, note
    is_sample: bool
    version: int


def _figures_json(figures: tuple) -> str:
    """Return (value, numerator, denominator, note) as kept in the change history, in JSON.

    The same text as ``json.dumps(Result.as_dict())``, written out directly: at millions of
    change entries, json.dumps of a dict is a good part of the import's time.
    """
    value, numerator, denominator, note = figures
    value = "null" if value is None else value
    numerator = "null" if numerator is None else numerator
    denominator = "null" if denominator is None else denominator
    note = json.dumps(note) if note else '""'
    return (f'{{"value": {value}, "numerator": {numerator}, "denominator": {denominator}, '
            f'"note": {note}}}')



# --- writing many rows fast ------------------------------------------------------------------
#
# The results import writes up to millions of results and as many change entries.
# ``bulk_create`` spends most of that time building and preparing model instances, so these
# functions write plain tuples: multi-row INSERT ... RETURNING (as bulk_create does) on SQLite,
# COPY on PostgreSQL. Only the model's own tables and columns are used, and values the ORM
# would convert (datetimes, JSON) are converted as their fields convert them.


def _insert_rows(
    model, fields: list[str], rows: list[tuple], *, constants: dict | None = None,
    return_ids: bool = False,
) -> list:
    """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table.

    ``constants`` gives the value of other fields for every row (prepared once). A JSONField
    in ``fields`` takes JSON text. Return the new primary keys in the order of ``rows`` if
    ``return_ids``.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    connection.ensure_connection()
    constants = constants or {}
    names = [*fields, *constants]
    model_fields = [model._meta.get_field(name) for name in names]
    # COPY through psycopg2's copy_expert; another driver gets the INSERT statements below.
    copy = connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"
    fixed = tuple(
        _prepared(model._meta.get_field(name), value, connection, copy=copy)
        for name, value in constants.items()
    )
    if fixed:
        rows = [(*row, *fixed) for row in rows]
    if not copy and connection.vendor != "sqlite":
        rows = _with_json_adapted(rows, model_fields[:len(fields)], connection)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(model_field.column) for model_field in model_fields]
    if copy:
        return _copy_rows(connection, model, model_fields, table, columns, rows, return_ids)

    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    tail = f" RETURNING {quote(model._meta.pk.column)}" if return_ids else ""
    if connection.vendor == "sqlite":
        # Django's SQLite cursor rewrites every %s to ? with a regular expression, which on
        # statements of thousands of values costs more than the insert: use the driver's
        # cursor (same connection, same transaction) and its own placeholder.
        cursor = connection.connection.cursor()
        placeholder = "?"
        max_params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    else:
        cursor = connection.cursor()
        placeholder = "%s"
        max_params = connection.features.max_query_params or 65_535
    one_row = "(" + ", ".join([placeholder] * len(names)) + ")"
    answers = []
    try:
        if return_ids and not connection.features.can_return_rows_from_bulk_insert:
            # A database without multi-row RETURNING: one statement per row.
            for row in rows:
                cursor.execute(head + one_row, row)
                answers.append(cursor.lastrowid)
            return answers
        per_statement = max(1, min(2000, max_params // len(names)))
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            params = [value for row in part for value in row]
            cursor.execute(head + ", ".join([one_row] * len(part)) + tail, params)
            if return_ids:
                answers.extend(answer for (answer,) in cursor.fetchall())
    finally:
        cursor.close()
    return answers


def _update_rows(model, fields: list[str], rows: list[tuple], *, constants: dict) -> None:
    """Set ``fields`` (and ``constants``) of the rows ``(values..., pk)`` of ``model``.

    One statement run for every row by the driver: SQLite's ``executemany`` loops in C, and
    psycopg2's ``execute_batch`` sends a thousand statements per round trip, where
    ``bulk_update`` would build a CASE expression per row and field.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    connection.ensure_connection()
    quote = connection.ops.quote_name
    fixed = [
        _prepared(model._meta.get_field(name), value, connection, copy=False)
        for name, value in constants.items()
    ]
    names = [*fields, *constants]
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    sql = "UPDATE {} SET {} WHERE {} = {}".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(model._meta.get_field(name).column)} = {placeholder}"
                  for name in names),
        quote(model._meta.pk.column),
        placeholder,
    )
    rows = [(*row[:-1], *fixed, row[-1]) for row in rows]
    if connection.vendor == "sqlite":
        # The driver's cursor: Django's rewrites %s with a regular expression per statement.
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()
    elif connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2":
        from psycopg2.extras import execute_batch

        with connection.connection.cursor() as cursor:
            execute_batch(cursor, sql, rows, page_size=1000)
    else:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _prepared(model_field, value, connection, *, copy: bool):
    """Return ``value`` of ``model_field`` as the database takes it (in COPY's CSV if ``copy``)."""
    if value is None:
        return None
    if copy and model_field.get_internal_type() == "DateTimeField":
        return value.isoformat(sep=" ")
    if copy and model_field.get_internal_type() == "JSONField":
        return json.dumps(value)
    return model_field.get_db_prep_save(value, connection)


def _with_json_adapted(rows: list, model_fields: list, connection) -> list:
    """Return ``rows`` with their JSON text adapted as JSONField does for this driver."""
    indexes = [i for i, f in enumerate(model_fields) if f.get_internal_type() == "JSONField"]
    if not indexes:
        return rows
    adapted = []
    for row in rows:
        row = list(row)
        for index in indexes:
            if row[index] is not None:
                row[index] = connection.ops.adapt_json_value(json.loads(row[index]), None)
        adapted.append(row)
    return adapted


def _copy_rows(connection, model, model_fields, table, columns, rows, return_ids) -> list:
    """Write ``rows`` with PostgreSQL's COPY; ids, if wanted, are drawn from the sequence first."""
    ids = []
    if return_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        columns = [connection.ops.quote_name(model._meta.pk.column), *columns]
        model_fields = [model._meta.pk, *model_fields]
    # CSV written by the csv module (in C): numbers bare, everything else quoted, None as "".
    # FORCE_NULL reads "" as NULL in the nullable columns; the others (text) keep "".
    text = io.StringIO()
    csv.writer(text, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    text.seek(0)
    nullable = [column for column, field in zip(columns, model_fields, strict=True) if field.null]
    options = "FORMAT csv" + (f", FORCE_NULL ({', '.join(nullable)})" if nullable else "")
    with connection.connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH ({options})",
                           text)
    return ids


def _digits(text: str) -> int | None:
    """Return the whole number written in ``text`` if it is plain digits that fit, else None."""
    return parse_ascii_int(text, max_digits=MAX_DIGITS)


YES_NO_VALUES = {**dict.fromkeys(YES, 1), **dict.fromkeys(NO, 0)}


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
