"""The check half of a results import: read each row, refuse what is wrong, read what is stored.

:class:`ResultChecks` parses the rows of a chunk and checks them (year, agency, plan, the same
key twice), then reads the stored results and approvals the write half
(:mod:`plans.services.imports.results`) compares them with. It writes nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.models import Agency, Plan, Result, Submission, result_errors
from plans.policy.access import is_reporter
from plans.rules import cycle
from plans.rules.limits import NOTE_MAX_LENGTH, WHOLE_MAX_DIGITS
from plans.rules.parsing import is_agency_code, parse_ascii_int, parse_whole_number
from plans.selectors.naming import agency_display_names
from plans.services.imports.rows import (
    _agency_code_problem,
    _Check,
    _Invalid,
    _limited,
    _required,
    _Rows,
    _unknown_agency_message,
    _whole,
    _year,
)
from plans.services.submissions import frozen_agencies_locked

YES = frozenset({"1", "yes", "có", "true"})
NO = frozenset({"0", "no", "không", "false"})
YES_NO_VALUES = {**dict.fromkeys(YES, 1), **dict.fromkeys(NO, 0)}
# A version is a small whole number; more digits than this is not one the template wrote.
VERSION_MAX_DIGITS = 9


@dataclass(slots=True)
class ResultRow:
    """One checked row of a results file."""

    line: int
    year: int
    agency_code: str
    indicator: Indicator
    figures: tuple  # value, numerator, denominator, note
    # The stored result's version the row was made from (0: none was stored), or None when the
    # file does not say (a file made by hand, or a row added to a template).
    version: int | None = None
    # Set by ResultChecks._check_agency; only rows that pass it are read further.
    agency: Agency = field(init=False)
    # Set by ResultChecks._check_plan: the plan of the agency's province and year (None: the
    # province has no plan that year).
    plan_id: int | None = field(init=False)


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored result, as much of it as an import compares, bumps and names in a conflict."""

    pk: int
    figures: tuple  # value, numerator, denominator, note
    version: int
    updated_by_id: int | None = None
    updated_at: datetime | None = None


class ResultChecks:
    """Check the rows of one file, a chunk at a time, and read what they would change.

    What is remembered from one chunk to the next is bounded by the database, not the file:
    the agencies and plans met so far, and which (agency, year, indicator) keys were seen, as
    one bit per indicator in an integer per agency and year.
    """

    def __init__(
        self, rows: _Rows, *, dry_run: bool, allowed: Any, allowed_agencies: Any, years: Any,
    ) -> None:
        self.rows = rows
        self.report = rows.report
        self.dry_run = dry_run
        self.allowed = allowed
        self.allowed_agencies = allowed_agencies
        self.allowed_years = years
        indicators = list(Indicator.objects.order_by("pk"))
        self.indicators = {indicator.code: indicator for indicator in indicators}
        self.indicator_bit = {indicator.pk: 1 << i for i, indicator in enumerate(indicators)}
        self.agencies: dict[str, Agency | None] = {}
        # Agency id -> its province id, for the agencies met (read once: a foreign key's id
        # on a model instance is a descriptor call, and the checks ask for it on every row).
        self.province_of: dict[int, int] = {}
        # (agency id, year) -> whether the agency is active that year.
        self.active: dict[tuple[int, int], bool] = {}
        # Province id -> {agency id: the name shown to people}, read when first needed.
        self.display_names: dict[int, dict[int, str]] = {}
        # Year texts already found valid ("2017" -> 2017).
        self.years: dict[str, int] = {}
        # (province id, year) -> (plan id, closed), or None where the province has no plan.
        self.plans: dict[tuple[int, int], tuple[int, bool] | None] = {}
        self.seen: dict[tuple[int, int], int] = {}

    def check_chunk(self, chunk: list[tuple[int, list]]) -> list[ResultRow]:
        """Return the rows of ``chunk`` that pass every check; record the others' errors."""
        parsed = [row for row in (self._parse(line, fields) for line, fields in chunk) if row]
        if self.allowed_years is not None:
            parsed = [row for row in parsed if self._check_year(row)]
        self._load_agencies({row.agency_code for row in parsed})
        valid = [row for row in parsed if self._check_agency(row)]
        self._load_plans({(self.province_of[row.agency.id], row.year) for row in valid})
        return [row for row in valid if self._check_plan(row) and self._check_unique(row)]

    def _parse(self, line: int, fields: list) -> ResultRow | None:
        """Return the row's values, or None after recording what is wrong with it.

        Return None too for a row with no figures and no note: a downloaded template lists
        every agency and indicator, and a person fills only some of them.
        """
        year_text, agency_code, indicator_code, value, numerator, denominator, note = fields[:7]
        version = fields[7]
        if not (value or numerator or denominator or note):
            self.report.skipped_blank += 1
            return None
        if version is not None:
            # The file has the template's version column (None: its header lacks it).
            self.report.versioned = True
        # The common case, a correct row, is decided here with a few cheap tests; anything
        # unusual (right or wrong) goes through the thorough checks below, which explain.
        year = self.years.get(year_text)
        indicator = self.indicators.get(indicator_code)
        if year and agency_code and indicator and len(note) <= NOTE_MAX_LENGTH:
            figures = _plain_figures(indicator.kind, value, numerator, denominator)
            known = _version(version) if version else None
            if figures is not None and known is not _BAD_VERSION:
                return ResultRow(line, year, agency_code, indicator, (*figures, note), known)
        row = self._parse_thoroughly(line, fields)
        if row is not None:
            self.years[year_text] = row.year
        return row

    def _parse_thoroughly(self, line: int, fields: list) -> ResultRow | None:
        year, agency_code, indicator_code, value, numerator, denominator, note, version = fields
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
        known = _version(version)
        if known is _BAD_VERSION:
            check.add(
                _("Cột version: “%(value)s” không phải phiên bản do tệp mẫu ghi; hãy giữ nguyên "
                  "cột này như khi tải về, hoặc để trống.") % {"value": version}
            )
        if self.rows.errors_of(line, check.problems):
            return None
        assert indicator is not None  # without problems the code was given and found
        return ResultRow(
            line, year, agency_code, indicator, (value, numerator, denominator, note), known
        )

    def _figures(
        self, check: _Check, indicator: Indicator, value: str, numerator: str, denominator: str,
    ) -> tuple:
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

    def _check_year(self, row: ResultRow) -> bool:
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
            self.province_of[agency.id] = agency.province_id
        for code in missing - self.agencies.keys():
            self.agencies[code] = None

    def _check_agency(self, row: ResultRow) -> bool:
        agency = self.agencies.get(row.agency_code)
        if (
            agency is not None and self.allowed is None and self.allowed_agencies is None
            and self.active.get((agency.id, row.year))
        ):
            # The common case: a known agency, no limits, active in a year already met.
            row.agency = agency
            return True
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
        active = self.active.get((agency.id, row.year))
        if active is None:
            active = self.active[agency.id, row.year] = agency.is_active_in(row.year)
        if not active:
            self.rows.error(
                row.line,
                _("Đơn vị %(code)s (%(name)s) không hoạt động trong năm %(year)s (hoạt động "
                  "%(span)s).")
                % {"code": agency.code, "name": self.display_name(agency), "year": row.year,
                   "span": _active_span(agency)},
            )
            return False
        row.agency = agency
        return True

    def display_name(self, agency: Agency) -> str:
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

    def _check_plan(self, row: ResultRow) -> bool:
        plan = self.plans[self.province_of[row.agency.id], row.year]
        if plan is None:
            row.plan_id = None
            return True
        row.plan_id = plan[0]
        if plan[1]:
            self.rows.error(
                row.line,
                _("Kế hoạch năm %(year)s của tỉnh %(province)s đã tổng kết, không thể sửa kết "
                  "quả.") % {"year": row.year, "province": row.agency.province.name},
            )
            return False
        return True

    def _check_unique(self, row: ResultRow) -> bool:
        key = (row.agency.id, row.year)
        bit = self.indicator_bit[row.indicator.id]
        seen = self.seen.get(key, 0)
        if seen & bit:
            self.rows.error(
                row.line,
                _("Kết quả năm %(year)s của đơn vị %(agency)s (%(name)s), chỉ tiêu %(code)s đã có "
                  "ở một dòng trước trong tệp; mỗi kết quả chỉ ghi một dòng.")
                % {"year": row.year, "agency": row.agency_code,
                   "name": self.display_name(row.agency), "code": row.indicator.code},
            )
            return False
        self.seen[key] = seen | bit
        return True

    def existing(self, rows: list[ResultRow]) -> dict:
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
            (agency_id, year, indicator_id): Stored(
                pk, (value, numerator, denominator, note), version, updated_by_id, updated_at
            )
            for pk, agency_id, year, indicator_id, value, numerator, denominator, note,
            version, updated_by_id, updated_at in results.values_list(
                "pk", "agency_id", "year", "indicator_id", "value", "numerator", "denominator",
                "note", "version", "updated_by_id", "updated_at",
            )
        }

    def frozen(self, rows: list[ResultRow], *, user: User | None) -> dict[tuple[int, int], str]:
        """Return {(plan id, agency id): state} for the agencies of ``rows`` whose figures
        ``user`` may not change now (plans.rules.cycle.figures_frozen: approved, or submitted
        and ``user`` their reporter), locked unless a dry run."""
        pairs = {(row.plan_id, row.agency.id) for row in rows}
        plan_ids = {plan_id for plan_id, _agency_id in pairs if plan_id is not None}
        agency_ids = {agency_id for plan_id, agency_id in pairs if plan_id is not None}
        if not plan_ids:
            return {}
        if self.dry_run:
            reviews = user is None or not is_reporter(user)
            return {
                (plan_id, agency_id): state
                for plan_id, agency_id, state in Submission.objects.filter(
                    plan_id__in=plan_ids, agency_id__in=agency_ids
                ).values_list("plan_id", "agency_id", "state")
                if cycle.figures_frozen(state, reviews=reviews)
            }
        return frozen_agencies_locked(plan_ids=plan_ids, agency_ids=agency_ids, user=user)


# What _version returns for a version that is not a whole number.
_BAD_VERSION = -1


def _version(text: str | None) -> int | None:
    """Return the version a template row names, None when it names none, or _BAD_VERSION."""
    if not text:
        return None
    number = parse_ascii_int(text, max_digits=VERSION_MAX_DIGITS)
    return _BAD_VERSION if number is None else number


def _digits(text: str) -> int | None:
    """Return the whole number written in ``text`` if it is digits that fit, else None."""
    if len(text) <= WHOLE_MAX_DIGITS and text.isascii() and text.isdigit():
        # Plain ASCII digits, the common case, read without the general parser's checks.
        return int(text)
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

