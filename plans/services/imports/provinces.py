"""Import the provinces of a ``provinces.csv``: names, active dates and successors.

All-or-nothing and idempotent, like every import (see :mod:`plans.services.imports`).
Provinces are matched on their code. A successor must exist (already, or anywhere in the same
file) and be active on the day after its predecessor ends: a new province, or one that goes on
under its own code and absorbs the other.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from plans.files.columns import PROVINCE_COLUMNS
from plans.models import Province
from plans.services.imports.rows import (
    _BAD,
    ImportReport,
    _Check,
    _Invalid,
    _province_code,
    _required,
    _Rows,
)
from plans.services.tables import ReadBudget

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Province.name (CharField max_length).
NAME_MAX_LENGTH = 120
# A province's dates: the provinces of today were founded after 1900.
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class _ProvinceRow:
    line: int
    code: str
    name: str
    active_from: datetime.date
    active_to: datetime.date | None
    successor_code: str

    def values(self) -> tuple:
        return (self.name, self.active_from, self.active_to, self.successor_code)


def _date(text: str, column: str, *, required: bool) -> datetime.date | None:
    if not text:
        if required:
            raise _Invalid(_("Cột %(column)s không được để trống.") % {"column": column})
        return None
    try:
        if not DATE.fullmatch(text):
            raise ValueError
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise _Invalid(
            _("Cột %(column)s: “%(value)s” không phải ngày theo dạng YYYY-MM-DD, ví dụ "
              "2025-06-30.") % {"column": column, "value": text[:20]}
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _Invalid(
            _("Cột %(column)s: ngày %(value)s nằm ngoài khoảng 1900–2100.")
            % {"column": column, "value": text}
        )
    return day


def _province_row(line: int, fields: list[str], check: _Check) -> _ProvinceRow | None:
    code, name, active_from, active_to, successor_code = fields
    check(_required, code, "province_code")
    check(_province_code, code)
    check(_required, name, "province_name", max_length=NAME_MAX_LENGTH)
    active_from = check(_date, active_from, "active_from", required=True)
    active_to = check(_date, active_to, "active_to", required=False)
    if successor_code:
        check(_province_code, successor_code)
    if (
        isinstance(active_from, datetime.date)
        and isinstance(active_to, datetime.date)
        and active_from > active_to
    ):
        check.add(_("Ngày bắt đầu %(first)s sau ngày kết thúc %(last)s.")
                  % {"first": active_from.isoformat(), "last": active_to.isoformat()})
    if successor_code and active_to is None:
        check.add(_("Tỉnh có tỉnh kế thừa phải có ngày kết thúc (active_to)."))
    if successor_code and successor_code == code:
        check.add(_("Một tỉnh không thể kế thừa chính nó."))
    if check.problems or active_from is _BAD or active_to is _BAD:
        return None
    return _ProvinceRow(line, code, name, active_from, active_to, successor_code)


def provinces_import(
    *, source: Any, dry_run: bool = False, budget: ReadBudget | None = None, **_options: Any
) -> ImportReport:
    """Create or update the provinces of a ``provinces.csv``, then link their successors."""
    report = ImportReport(kind="provinces", dry_run=dry_run)
    with transaction.atomic():
        rows = _Rows(report, source, PROVINCE_COLUMNS, budget)
        parsed: dict[str, _ProvinceRow] = {}
        names: dict[str, _ProvinceRow] = {}
        for line, fields in rows:
            check = _Check()
            row = _province_row(line, fields, check)
            if row is not None:
                if row.code in parsed:
                    check.add(_("Tỉnh mã %(code)s đã có ở dòng %(first)s.")
                              % {"code": row.code, "first": parsed[row.code].line})
                elif row.name in names:
                    check.add(_("Tên tỉnh “%(name)s” đã dùng cho mã %(code)s ở dòng "
                                "%(first)s.") % {"name": row.name, "code": names[row.name].code,
                                                 "first": names[row.name].line})
            if not rows.errors_of(line, check.problems):
                assert row is not None  # a row is None only with problems
                parsed[row.code] = row
                names[row.name] = row

        wanted = set(parsed) | {row.successor_code for row in parsed.values() if
                                row.successor_code}
        stored = {
            province.code: province
            for province in Province.objects.filter(code__in=wanted).select_related("successor")
        }
        taken = dict(
            Province.objects.filter(name__in=list(names)).values_list("name", "code")
        )
        writes: list[_ProvinceRow] = []
        for row in parsed.values():
            if taken.get(row.name, row.code) != row.code:
                rows.error(row.line, _("Tên tỉnh “%(name)s” đã là tên của tỉnh mã %(code)s.")
                           % {"name": row.name, "code": taken[row.name]})
                continue
            if row.successor_code:
                problem = _successor_problem(row, parsed, stored)
                if problem:
                    rows.error(row.line, problem)
                    continue
            province = stored.get(row.code)
            if province is None:
                report.created += 1
            elif _stored_values(province) != row.values():
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            writes.append(row)
        if not rows.failed and not dry_run:
            _provinces_write(writes, stored)
        return rows.finish()


def _stored_values(province: Province) -> tuple:
    successor = province.successor.code if province.successor is not None else ""
    return (province.name, province.active_from, province.active_to, successor)


def _successor_problem(row: _ProvinceRow, parsed: dict, stored: dict) -> str:
    """Return why ``row``'s successor cannot take over, or ""."""
    successor = parsed.get(row.successor_code)
    if successor is not None:
        active = (successor.active_from, successor.active_to)
    elif row.successor_code in stored:
        found = stored[row.successor_code]
        active = (found.active_from, found.active_to)
    else:
        return _("Tỉnh kế thừa mã %(code)s không có trong tệp hay trong hệ thống.") % {
            "code": row.successor_code
        }
    assert row.active_to is not None  # checked with the row
    next_day = row.active_to + ONE_DAY
    if (active[0] is not None and active[0] > next_day) or (
        active[1] is not None and active[1] < next_day
    ):
        return _("Tỉnh kế thừa mã %(code)s không hoạt động vào ngày %(day)s, ngày sau khi tỉnh "
                 "này kết thúc.") % {"code": row.successor_code, "day": next_day.isoformat()}
    return ""


def _provinces_write(writes: list[_ProvinceRow], stored: dict) -> None:
    """Save the provinces of ``writes``, then point each at its successor."""
    for row in writes:
        province = stored.get(row.code) or Province(code=row.code)
        province.name, province.active_from, province.active_to = (
            row.name, row.active_from, row.active_to
        )
        # The successor is set below, once every province of the file exists.
        province.successor = None
        province.full_clean(exclude=["successor"])
        province.save()
        stored[row.code] = province
    for row in writes:
        if row.successor_code:
            province = stored[row.code]
            successor = stored.get(row.successor_code) or Province.objects.get(
                code=row.successor_code
            )
            province.successor = successor
            province.save(update_fields=["successor"])
