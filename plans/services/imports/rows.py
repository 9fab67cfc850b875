"""What every import shares: the rows of a file, their errors, the report, and the parsers.

An import reads its file through :class:`_Rows`, which records every error with its line and
refuses the whole file (:class:`ImportRefused`) if there is any. Each row's values go through
the parsers here (``_required``, ``_year``, ``_whole``...), collected by a :class:`_Check`: a
parser raises :class:`_Invalid` with a message for a person.
"""


from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from plans.models import MAX_YEAR, MIN_YEAR, Change, Province
from plans.rules.limits import WHOLE_MAX_DIGITS
from plans.rules.parsing import (
    AGENCY_CODE_RULE,
    is_agency_code,
    parse_ascii_int,
    parse_whole_number,
    whole_number_problem,
)
from plans.services.tables import FileError, ReadBudget, TableSource, read_table

# A report is read by a person; past this many errors the rest are only counted.
MAX_ERRORS = 1000
# A caller following an import's progress is told the rows read every this many rows.
PROGRESS_EVERY = 1000

# Told the number of data rows read so far, every PROGRESS_EVERY rows and once at the end: how a
# command shows a long import's progress. It must not raise; an import never prints.
Progress = Callable[[int], None]



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
    # The sheet read, when the file was a workbook of several sheets; "" otherwise.
    sheet: str = ""
    # Filled by a results import asked to describe its changes: the first MAX_CHANGES_LISTED
    # results it creates or changes (objects of its own), how many more there are, the count
    # of new and changed results per agency id, and a digest of every one of them.
    changes: list = field(default_factory=list)
    changes_unlisted: int = 0
    changes_by_agency: dict = field(default_factory=dict)
    changes_digest: str = ""
    # Of a results import: whether the file has the template's version column (without it,
    # newer work cannot be told apart); the conflicts it left or wrote over (ResultConflict
    # objects, the first MAX_CHANGES_LISTED), how many more, and how many were written over.
    versioned: bool = False
    conflicts: list = field(default_factory=list)
    conflicts_unlisted: int = 0
    overwritten: int = 0

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
    recorded as errors. ``progress``, when given, is told the rows read so far every
    PROGRESS_EVERY rows and when the file has been read to its end.
    """

    def __init__(
        self, report: ImportReport, source: TableSource, columns: Sequence[str],
        budget: ReadBudget | None = None,
        *, sheet_names: Sequence[str] = (), ignored: Sequence[str] = (),
        optional: Sequence[str] = (), progress: Progress | None = None,
    ) -> None:
        self.report = report
        self.columns = columns
        self.ignored = ignored
        self.optional = optional
        self.source = source
        self.budget = budget
        self.sheet_names = sheet_names
        self.progress = progress
        self.unlisted = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        report, progress = self.report, self.progress
        try:
            for line, fields, problem in read_table(
                self.source, columns=self.columns, budget=self.budget,
                sheet_names=self.sheet_names, on_sheet=self._read_sheet, ignored=self.ignored,
                optional=self.optional,
            ):
                report.rows += 1
                if progress is not None and not report.rows % PROGRESS_EVERY:
                    progress(report.rows)
                if problem:
                    self.error(line, problem)
                    continue
                yield line, fields
        except FileError as exc:
            self.error(exc.line, exc.message)
        if progress is not None:
            progress(report.rows)

    def _read_sheet(self, name: str) -> None:
        self.report.sheet = name

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

    def __init__(self) -> None:
        self.problems: list[str] = []

    def __call__(self, parse: Callable[..., Any], *args: object, **kwargs: object) -> Any:
        try:
            return parse(*args, **kwargs)
        except _Invalid as exc:
            self.problems.append(str(exc))
            return _BAD

    def add(self, message: object) -> None:
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
    """Return the whole number written in ``text`` (digits, grouped by dots), or None if blank."""
    if not text:
        return None
    number = parse_whole_number(text, max_digits=WHOLE_MAX_DIGITS)
    if number is None:
        raise _Invalid(
            _("Cột %(column)s: “%(value)s” không phải số nguyên không âm: %(reason)s.")
            % {"column": column, "value": text, "reason": whole_number_problem(text)}
        )
    return number


def _year(text: str, column: str = "year", *, required: bool = True) -> int | None:
    if not text and not required:
        return None
    if not text:
        raise _Invalid(_("Cột %(column)s không được để trống.") % {"column": column})
    # A thousand digits are "not a year" too, without int() spending time on them.
    year = parse_ascii_int(text, max_digits=WHOLE_MAX_DIGITS)
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


def _allowed(provinces: Iterable[int] | None) -> set[int] | None:
    return None if provinces is None else {int(pk) for pk in provinces}


def _channel(channel: str) -> str:
    if channel not in Change.Channel.values:
        raise ValueError(f"unknown change channel {channel!r}")
    return channel


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages in error.message_dict.values() for m in messages]
    return [str(m) for m in error.messages]


def _is_allowed(province: Province | None, allowed: set[int] | None) -> bool:
    """Return True if ``province`` (None: unknown) is one the caller may write."""
    return allowed is None or (province is not None and province.pk in allowed)
