"""Import the indicator catalogue from an ``indicators.csv``, as ``export_data`` writes it.

The catalogue is installed by a migration; admins add indicators to it. A backup carries the
whole catalogue so that the targets and results naming an added indicator can be restored: this
import runs first. Like the other imports it is all-or-nothing (any wrong line, nothing
written, every error with its line) and idempotent (the same file again writes nothing).
Indicators are matched on ``code``; no Change entries are kept, as for agencies (the history
follows results, targets and plans).
"""


from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.files.columns import INDICATOR_COLUMNS
from plans.models import Result, Target
from plans.rules.parsing import parse_ascii_int
from plans.services.figures import figures_changed_everywhere
from plans.services.imports.rows import (
    ImportReport,
    _Check,
    _choice,
    _Invalid,
    _limited,
    _required,
    _Rows,
    _year,
)
from plans.services.tables import TableSource

# The fields an import sets, compared to tell an updated indicator from an unchanged one; the
# predecessor (predecessor_code, from_year) is compared and set apart, by code.
FIELDS = INDICATOR_COLUMNS[1:-2]
# PositiveSmallIntegerField: the range that both SQLite and PostgreSQL hold.
MAX_POSITION = 32767


@dataclass
class _IndicatorRow:
    line: int
    code: str
    name_vi: str
    name_en: str
    group: str
    kind: str
    numerator_label: str
    denominator_label: str
    position: int
    predecessor_code: str = ""
    from_year: int | None = None

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in FIELDS)

    def succession(self) -> tuple:
        return (self.predecessor_code, self.from_year)


def _max_length(name: str) -> int:
    field = Indicator._meta.get_field(name)
    assert isinstance(field, CharField) and field.max_length is not None
    return field.max_length


def _code(text: str) -> str:
    code = _required(text, "code", max_length=_max_length("code"))
    try:
        Indicator._meta.get_field("code").run_validators(code)
    except ValidationError as exc:
        raise _Invalid(
            _("Cột code: “%(value)s” không hợp lệ. %(reason)s")
            % {"value": code, "reason": " ".join(exc.messages)}
        ) from None
    return code


def _position(text: str) -> int:
    """Return the display position written in ``text``; blank is 0, the model's default."""
    if not text:
        return 0
    position = parse_ascii_int(text, max_digits=len(str(MAX_POSITION)))
    if position is None or position > MAX_POSITION:
        raise _Invalid(
            _("Cột position: “%(value)s” không hợp lệ; ghi số nguyên từ 0 đến %(max)s.")
            % {"value": text[:20], "max": MAX_POSITION}
        )
    return position


def _indicator_row(line: int, fields: list[str], check: _Check) -> _IndicatorRow | None:
    (code, name_vi, name_en, group, kind, numerator_label, denominator_label, position,
     predecessor_code, from_year) = (field or "" for field in fields)
    row = _IndicatorRow(
        line,
        code=check(_code, code),
        name_vi=check(_required, name_vi, "name_vi", max_length=_max_length("name_vi")),
        name_en=check(_required, name_en, "name_en", max_length=_max_length("name_en")),
        group=check(_choice, group.lower(), "group", Indicator.Group.values),
        kind=check(_choice, kind.lower(), "kind", Indicator.Kind.values),
        numerator_label=check(_limited, numerator_label, "numerator_label",
                              max_length=_max_length("numerator_label")),
        denominator_label=check(_limited, denominator_label, "denominator_label",
                                max_length=_max_length("denominator_label")),
        position=check(_position, position),
        predecessor_code=predecessor_code,
        from_year=check(_year, from_year, "from_year", required=False),
    )
    if bool(predecessor_code) != bool(from_year):
        check.add(_("Cột predecessor_code và from_year phải ghi cùng nhau, hoặc cùng để trống."))
    if predecessor_code and predecessor_code == code:
        check.add(_("Một chỉ tiêu không thể thay thế chính nó."))
    return None if check.problems else row


def indicators_import(*, source: TableSource, dry_run: bool = False) -> ImportReport:
    """Create or update the indicators listed in an ``indicators.csv``; nothing is deleted.

    An indicator's ``kind`` may not change once targets or results use it (the progress rules
    read those figures by kind), as in the admin; its code is the key and never changes.
    """
    report = ImportReport(kind="indicators", dry_run=dry_run)
    with transaction.atomic():
        # A backup written before indicators had predecessors lacks the last two columns.
        rows = _Rows(
            report, source, INDICATOR_COLUMNS[:-2], optional=INDICATOR_COLUMNS[-2:]
        )
        parsed: dict[str, _IndicatorRow] = {}
        for line, fields in rows:
            check = _Check()
            row = _indicator_row(line, fields, check)
            if row is not None and row.code in parsed:
                check.add(
                    _("Mã chỉ tiêu %(code)s đã có ở dòng %(first)s; mỗi chỉ tiêu chỉ ghi một "
                      "dòng.") % {"code": row.code, "first": parsed[row.code].line}
                )
            if not rows.errors_of(line, check.problems):
                assert row is not None  # a row is None only with problems
                parsed[row.code] = row

        found = Indicator.objects.filter(code__in=parsed).select_related("predecessor")
        if not dry_run:
            # Nobody may change these indicators between this check and our write.
            found = found.select_for_update(of=("self",))
        existing = {indicator.code: indicator for indicator in found.order_by()}
        predecessors = set(parsed) | set(Indicator.objects.filter(
            code__in={row.predecessor_code for row in parsed.values() if row.predecessor_code}
        ).values_list("code", flat=True))
        created: list[_IndicatorRow] = []
        updated: list[tuple[Indicator, _IndicatorRow]] = []
        for row in parsed.values():
            if row.predecessor_code and row.predecessor_code not in predecessors:
                rows.error(row.line, _("Không có chỉ tiêu mã “%(code)s” (predecessor_code) trong "
                                       "tệp hay trong danh mục.") % {"code": row.predecessor_code})
                continue
            indicator = existing.get(row.code)
            if indicator is None:
                created.append(row)
            elif (
                tuple(getattr(indicator, name) for name in FIELDS) != row.values()
                or _succession(indicator) != row.succession()
            ):
                updated.append((indicator, row))
            else:
                report.unchanged += 1
        _refuse_kind_changes(rows, updated)
        report.created, report.updated = len(created), len(updated)
        if not rows.failed and not dry_run:
            _indicators_write(created, updated)
        return rows.finish()


def _refuse_kind_changes(rows: _Rows, updated: list) -> None:
    """Record an error for each used indicator whose kind the file changes: one query."""
    changed = {indicator.pk: row for indicator, row in updated if indicator.kind != row.kind}
    if not changed:
        return
    used = (
        Indicator.objects.filter(pk__in=changed)
        .filter(
            Exists(Target.objects.filter(indicator=OuterRef("pk")))
            | Exists(Result.objects.filter(indicator=OuterRef("pk")))
        )
        .order_by()
        .values_list("pk", "kind")
    )
    for pk, kind in used:
        row = changed[pk]
        rows.error(
            row.line,
            _("Chỉ tiêu %(code)s đã có chỉ tiêu kế hoạch hoặc kết quả: không thể đổi loại từ "
              "%(old)s sang %(new)s.")
            % {"code": row.code, "old": kind, "new": row.kind},
        )


def _succession(indicator: Indicator) -> tuple:
    """Return what an indicator replaces as a file writes it: (predecessor code, from year)."""
    predecessor = indicator.predecessor.code if indicator.predecessor is not None else ""
    return (predecessor, indicator.from_year)


def _indicators_write(created: list[_IndicatorRow], updated: list) -> None:
    Indicator.objects.bulk_create(
        [Indicator(code=row.code, **dict(zip(FIELDS, row.values(), strict=True)))
         for row in created]
    )
    for indicator, row in updated:
        for name, value in zip(FIELDS, row.values(), strict=True):
            setattr(indicator, name, value)
    Indicator.objects.bulk_update([indicator for indicator, _row in updated], list(FIELDS))
    # Predecessors last: one may be an indicator created just above.
    rows = [*created, *(row for _indicator, row in updated)]
    ids = dict(Indicator.objects.filter(
        code__in={row.predecessor_code for row in rows if row.predecessor_code}
    ).values_list("code", "pk"))
    for row in rows:
        Indicator.objects.filter(code=row.code).update(
            predecessor_id=ids.get(row.predecessor_code), from_year=row.from_year
        )
    if updated:
        # Names and definitions show on every page of every year.
        figures_changed_everywhere()
