"""Import the targets of a ``targets.csv``, creating the plans they need (as drafts).

All-or-nothing and idempotent, like every import (see :mod:`plans.services.imports`). Targets
are matched on (province, year, indicator, set of tiers); a created or changed target, and a
plan created for one, get a Change entry.

The optional last column ``items`` makes a checklist target: the names of its items separated
by ``|``, the target's value being how many must be done. A row that names items sets the
target's items to exactly those, in that order (an item no longer named is removed, and its
removal recorded); a blank ``items`` leaves a target's items as they are.
"""


import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.files.columns import TARGET_COLUMNS, TARGET_ITEMS_COLUMN
from plans.models import Change, Plan, Province, Target, TargetItem
from plans.rules.limits import NOTE_MAX_LENGTH
from plans.rules.parsing import ASCII_DIGITS
from plans.rules.tiers import TiersError, format_tiers, parse_tiers
from plans.services.checklists import checklist_items_set, parse_item_names
from plans.services.history import ChangeEntry, changes_record, target_snapshot
from plans.services.imports.rows import (
    _BAD,
    ImportReport,
    _allowed,
    _channel,
    _Check,
    _choice,
    _Invalid,
    _is_allowed,
    _limited,
    _messages,
    _province_code,
    _required,
    _Rows,
    _unknown_province_message,
    _year,
)
from plans.services.tables import ReadBudget, TableSource

# Target.value is DecimalField(max_digits=14, decimal_places=1): 13 digits before the point.
TARGET_MAX_WHOLE_DIGITS = 13
COMPARATORS = tuple(Target.Comparator.values)
UNITS = tuple(Target.Unit.values)
# The fields a file sets on a target (besides its key), compared to tell a changed target.
FIELDS = ("tiers", "comparator", "value", "unit", "note")
PERCENT_VALUE = re.compile(r"[0-9]+(\.[0-9])?")
DECIMAL_VALUE = re.compile(r"[0-9]+(\.[0-9]+)?")


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
    # The names of a checklist target's items, in order; empty: leave its items as they are.
    items: tuple[str, ...] = ()

    @property
    def key(self) -> tuple:
        return (self.province_code, self.year, self.indicator.code, self.tiers)

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in FIELDS)


def _stored_values(target: Target) -> tuple:
    """Return the fields of a stored target that a file sets, to compare with a row's."""
    # tiers as stored: a target stored as "all" (not through Target.clean) is rewritten.
    return tuple(getattr(target, name) for name in FIELDS)


def _target_value(text: str, unit: str) -> Decimal:
    if not text:
        raise _Invalid(_("Cột value không được để trống."))
    if unit == Target.Unit.COUNT:
        if not ASCII_DIGITS.fullmatch(text):
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


def _item_names(text: str) -> tuple[str, ...]:
    try:
        return parse_item_names(text)
    except ValueError as exc:
        raise _Invalid(str(exc)) from None



def target_terms(
    check: _Check, indicators: dict, *, indicator_code: str, tiers: str, comparator: str,
    value: str, unit: str,
) -> tuple[Any, Any, Any, Any, Any]:
    """Return a target's (indicator, tiers, comparator, value, unit) checked as targets.csv
    and programmes.csv write them; a wrong one is ``_BAD`` (the indicator None), its problem
    added to ``check``."""
    indicator = indicators.get(indicator_code)
    if indicator_code and indicator is None:
        check.add(
            _("Không có chỉ tiêu mã “%(code)s” trong danh mục.") % {"code": indicator_code}
        )
    check(_required, indicator_code, "indicator_code")
    try:
        checked_tiers: Any = format_tiers(parse_tiers(tiers))
    except TiersError as exc:
        check.add(exc)
        checked_tiers = _BAD
    checked_comparator = check(_choice, comparator, "comparator", COMPARATORS)
    checked_unit = check(_choice, unit.lower(), "unit", UNITS)
    checked_value: Any = value
    if checked_unit is not _BAD:
        checked_value = check(_target_value, value, checked_unit)
    return indicator, checked_tiers, checked_comparator, checked_value, checked_unit

def _target_row(line: int, fields: list, check: _Check, indicators: dict) -> _TargetRow | None:
    province_code, year, indicator_code, tiers, comparator, value, unit, note, items = fields
    # A file without the items column (None) leaves a target's items as a blank cell does.
    items = items or ""
    check(_required, province_code, "province_code")
    check(_province_code, province_code)
    year = check(_year, year)
    indicator, tiers, comparator, value, unit = target_terms(
        check, indicators, indicator_code=indicator_code, tiers=tiers, comparator=comparator,
        value=value, unit=unit,
    )
    check(_limited, note, "note", max_length=NOTE_MAX_LENGTH)
    items = check(_item_names, items)
    if items is not _BAD and items and unit is not _BAD and value is not _BAD:
        if unit != Target.Unit.COUNT:
            check.add(_("Chỉ tiêu có hạng mục (cột items) phải có đơn vị count: value là số "
                        "hạng mục phải hoàn thành."))
        elif value > len(items):
            check.add(
                _("Cột value: cần %(value)s hạng mục hoàn thành nhưng cột items chỉ có "
                  "%(count)s.") % {"value": value, "count": len(items)}
            )
    if check.problems:
        return None
    assert indicator is not None  # without problems the code was given and found
    target = Target(indicator=indicator, tiers=tiers, comparator=comparator, value=value,
                    unit=unit, note=note)
    try:
        target.clean()
    except ValidationError as exc:
        for message in _messages(exc):
            check.add(message)
        return None
    return _TargetRow(
        line, province_code, year, indicator, tiers, comparator, value, unit, note, items
    )


def targets_import(
    *, source: TableSource, user: User | None = None, channel: str = Change.Channel.COMMAND,
    dry_run: bool = False, provinces: Iterable[int] | None = None, budget: ReadBudget | None = None,
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
        rows = _Rows(report, source, TARGET_COLUMNS, budget, optional=(TARGET_ITEMS_COLUMN,))
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
                assert row is not None  # a row is None only with problems
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
        stored_items: dict[int, list[TargetItem]] = {}
        for item in (
            TargetItem.objects.filter(target__in=list(existing.values()))
            .select_related("target", "agency")
            .order_by("position", "pk")
        ):
            stored_items.setdefault(item.target_id, []).append(item)
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
            kept = stored_items.get(target.pk, ()) if target is not None else ()
            if kept and not row.items and (
                row.unit != Target.Unit.COUNT or row.value > len(kept)
            ):
                # The target keeps its items: its value still counts them.
                rows.error(
                    row.line,
                    _("Chỉ tiêu này có %(count)s hạng mục: đơn vị phải là count và value không "
                      "quá %(count)s (hoặc ghi lại các hạng mục ở cột items).")
                    % {"count": len(kept)},
                )
                continue
            if target is not None and _stored_values(target) == row.values() and (
                not row.items
                or row.items == tuple(item.name for item in stored_items.get(target.pk, ()))
            ):
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
            _targets_write(new_plans.values(), created, updated, stored_items, user=user,
                           channel=channel)
        return rows.finish()


def _targets_write(
    new_plans: Iterable[Plan], created: list, updated: list,
    stored_items: dict[int, list[TargetItem]], *, user: User | None, channel: str,
) -> None:
    plans = Plan.objects.bulk_create(list(new_plans))
    changes: list[ChangeEntry] = [
        (plan, None, {"province": plan.province.code, "year": plan.year, "status": plan.status})
        for plan in plans
    ]
    targets = Target.objects.bulk_create(
        [
            Target(plan=plan, indicator=row.indicator, tiers=row.tiers,
                   comparator=row.comparator, value=row.value, unit=row.unit, note=row.note)
            for plan, row in created
        ]
    )
    changes += [(target, None, target_snapshot(target)) for target in targets]
    for target, row in updated:
        old = target_snapshot(target)
        for name in FIELDS:
            setattr(target, name, getattr(row, name))
        new = target_snapshot(target)
        if new != old:
            # A row that changes only the target's items records the items' changes alone.
            changes.append((target, old, new))
    Target.objects.bulk_update([target for target, _row in updated], FIELDS, batch_size=500)
    checklists = [
        (target, row.items)
        for target, (_plan, row) in zip(targets, created, strict=True)
        if row.items
    ] + [(target, row.items) for target, row in updated if row.items]
    changes += checklist_items_set(checklists=checklists, stored=stored_items)
    changes_record(changes=changes, user=user, channel=channel)
