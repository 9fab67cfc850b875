"""Import whether the items of checklist targets are done, from an ``items.csv``.

All-or-nothing and idempotent, like every import (see :mod:`plans.services.imports`). Rows are
matched on (province, year, indicator, set of tiers, item); the items themselves are named in
targets.csv (its ``items`` column), so a row naming an item that its target does not list is
refused. A changed item gets a Change entry in its target's history.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from plans.files.columns import ITEM_COLUMNS
from plans.models import Change, Province, TargetItem
from plans.models.checklists import ITEM_NAME_MAX_LENGTH
from plans.rules.limits import NOTE_MAX_LENGTH
from plans.rules.tiers import TiersError, format_tiers, parse_tiers
from plans.services.checklists import item_tick_problems
from plans.services.history import changes_record, item_snapshot
from plans.services.imports.result_checks import NO, YES
from plans.services.imports.rows import (
    _BAD,
    ImportReport,
    _allowed,
    _channel,
    _Check,
    _Invalid,
    _is_allowed,
    _limited,
    _province_code,
    _required,
    _Rows,
    _unknown_province_message,
    _year,
)
from plans.services.tables import ReadBudget, TableSource

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass
class _ItemRow:
    line: int
    province_code: str
    year: int
    indicator_code: str
    tiers: str
    item: str
    done: bool
    done_on: datetime.date | None
    note: str

    @property
    def key(self) -> tuple:
        return (self.province_code, self.year, self.indicator_code, self.tiers, self.item)


def _done(text: str) -> bool:
    word = text.lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise _Invalid(
        _("Cột done: “%(value)s” không phải câu trả lời có/không; ghi 1, 0, yes, no, có, "
          "không, true hoặc false.") % {"value": text}
    )


def _done_on(text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise _Invalid(
            _("Cột done_on: “%(value)s” không phải ngày; ghi năm-tháng-ngày, ví dụ 2025-06-30, "
              "hoặc để trống.") % {"value": text}
        ) from None


def _item_row(line: int, fields: list, check: _Check) -> _ItemRow | None:
    province_code, year, indicator_code, tiers, item, done, done_on, note = fields
    check(_required, province_code, "province_code")
    check(_province_code, province_code)
    year = check(_year, year)
    check(_required, indicator_code, "indicator_code")
    try:
        tiers = format_tiers(parse_tiers(tiers))
    except TiersError as exc:
        check.add(exc)
        tiers = _BAD
    check(_required, item, "item", max_length=ITEM_NAME_MAX_LENGTH)
    done = check(_done, done)
    done_on = check(_done_on, done_on)
    check(_limited, note, "note", max_length=NOTE_MAX_LENGTH)
    if done is not _BAD and done_on is not _BAD:
        for problem in item_tick_problems(done=done, done_on=done_on, note=""):
            check.add(problem)
    if check.problems:
        return None
    return _ItemRow(line, province_code, year, indicator_code, tiers, item, done, done_on, note)


def items_import(
    *, source: TableSource, user: User | None = None, channel: str = Change.Channel.COMMAND,
    dry_run: bool = False, provinces: Iterable[int] | None = None, budget: ReadBudget | None = None,
) -> ImportReport:
    """Set done, date and note of the checklist items an ``items.csv`` names.

    Items are matched on (province, year, indicator, set of tiers, item name) and must be
    listed by their target already; a changed item gets a Change entry on its target. Items of
    a closed plan are refused, and so are rows outside ``provinces`` (ids) when given.
    """
    channel = _channel(channel)
    report = ImportReport(kind="items", dry_run=dry_run)
    allowed = _allowed(provinces)
    with transaction.atomic():
        rows = _Rows(report, source, ITEM_COLUMNS, budget)
        parsed: list[_ItemRow] = []
        first_line: dict[tuple, int] = {}
        for line, fields in rows:
            check = _Check()
            row = _item_row(line, fields, check)
            if row is not None:
                if row.key in first_line:
                    check.add(
                        _("Hạng mục “%(item)s” của chỉ tiêu %(code)s cấp %(tiers)s năm %(year)s "
                          "đã có ở dòng %(first)s.")
                        % {"item": row.item, "code": row.indicator_code, "tiers": row.tiers,
                           "year": row.year, "first": first_line[row.key]}
                    )
                first_line.setdefault(row.key, line)
            if not rows.errors_of(line, check.problems):
                assert row is not None  # a row is None only with problems
                parsed.append(row)

        provinces_by_code = {
            p.code: p
            for p in Province.objects.filter(code__in={row.province_code for row in parsed})
        }
        stored: dict[tuple, TargetItem] = {}
        for stored_item in (
            TargetItem.objects.filter(
                target__plan__province__code__in=provinces_by_code,
                target__plan__year__in={row.year for row in parsed},
                target__indicator__code__in={row.indicator_code for row in parsed},
            )
            .select_related("target__plan__province", "target__indicator", "agency")
        ):
            target = stored_item.target
            key = (target.plan.province.code, target.plan.year, target.indicator.code,
                   format_tiers(parse_tiers(target.tiers)), stored_item.name)
            stored[key] = stored_item
        changed: list[tuple[TargetItem, dict]] = []
        for row in parsed:
            province = provinces_by_code.get(row.province_code)
            if not _is_allowed(province, allowed) or province is None:
                # The same words for a province that does not exist and one that is not the
                # caller's: nothing is learnt about other provinces by trying their codes.
                rows.error(row.line, _unknown_province_message(row.province_code))
                continue
            item = stored.get(row.key)
            if item is None:
                rows.error(
                    row.line,
                    _("Chỉ tiêu %(code)s cấp %(tiers)s năm %(year)s của tỉnh %(province)s không "
                      "có hạng mục “%(item)s”; các hạng mục ghi ở cột items của targets.csv.")
                    % {"code": row.indicator_code, "tiers": row.tiers, "year": row.year,
                       "province": province.name, "item": row.item},
                )
                continue
            if (item.done, item.done_on, item.note) == (row.done, row.done_on, row.note):
                report.unchanged += 1
                continue
            plan = item.target.plan
            if plan.is_closed:
                rows.error(
                    row.line,
                    _("Kế hoạch năm %(year)s của tỉnh %(province)s đã tổng kết, không thể sửa "
                      "hạng mục.") % {"year": row.year, "province": province.name},
                )
                continue
            old = item_snapshot(item)
            item.done, item.done_on, item.note = row.done, row.done_on, row.note
            changed.append((item, old))
        report.updated = len(changed)
        if not rows.failed and not dry_run:
            TargetItem.objects.bulk_update(
                [item for item, _old in changed], ["done", "done_on", "note"], batch_size=500
            )
            changes_record(
                changes=[(item, old, item_snapshot(item)) for item, old in changed],
                user=user, channel=channel,
            )
        return rows.finish()
