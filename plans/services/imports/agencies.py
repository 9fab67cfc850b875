"""Import the agencies (and their provinces) of an ``agencies.csv``.

All-or-nothing and idempotent, like every import (see :mod:`plans.services.imports`). Agencies
are matched on ``agency_code``, unique across provinces; no Change rows are kept for agencies.
"""


from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from plans.files.columns import AGENCY_COLUMNS
from plans.models import Agency, Change, Province
from plans.rules.parsing import is_agency_code
from plans.rules.tiers import TIER_ORDER
from plans.services import bulk
from plans.services.figures import figures_changed_in_provinces
from plans.services.imports.rows import (
    _BAD,
    ImportReport,
    Progress,
    _agency_code,
    _allowed,
    _channel,
    _Check,
    _choice,
    _is_allowed,
    _limited,
    _province_code,
    _required,
    _Rows,
    _unknown_parent_message,
    _year,
)
from plans.services.tables import ReadBudget, TableSource


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
    *, source: TableSource, user: User | None = None, channel: str = Change.Channel.COMMAND,
    dry_run: bool = False, provinces: Iterable[int] | None = None, budget: ReadBudget | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update the agencies (and their provinces) listed in an ``agencies.csv``.

    A province unknown to the system is created with its name, unless ``provinces`` restricts
    the caller to some provinces. Agencies are matched on ``agency_code``; no Change rows are
    kept for agencies. ``progress``, when given, is told the rows read so far as the file is
    read (see :data:`plans.services.imports.rows.Progress`); the checks against the database
    and the writes follow the reading.
    """
    _channel(channel)
    report = ImportReport(kind="agencies", dry_run=dry_run)
    allowed = _allowed(provinces)
    with transaction.atomic():
        rows = _Rows(report, source, AGENCY_COLUMNS, budget, progress=progress)
        parsed: list[_AgencyRow] = []
        bad_lines: set[int] = set()
        for line, fields in rows:
            check = _Check()
            row = _agency_row(line, fields, check)
            if rows.errors_of(line, check.problems):
                bad_lines.add(line)
            parsed.append(row)

        changes = _agency_changes(parsed, bad_lines, rows, allowed)
        report.created, report.updated, report.unchanged = (
            len(changes.created), len(changes.updated), changes.unchanged
        )
        if not rows.failed and not dry_run:
            _agencies_write(changes)
        return rows.finish()


@dataclass
class _AgencyChanges:
    """What an agencies import would write: provinces and agencies to create or update."""

    new_provinces: dict  # code -> name
    provinces: dict  # code -> Province (existing)
    created: list  # _AgencyRow
    updated: list  # (Agency, _AgencyRow)
    unchanged: int


def _agency_changes(
    parsed: list, bad_lines: set[int], rows: _Rows, allowed: set[int] | None,
) -> _AgencyChanges:
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
    parents: dict[str, str | None] = dict(
        hierarchy.order_by().values_list("code", "parent__code")
    )
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
    return _AgencyChanges(new_provinces, known_provinces, created, updated, unchanged)


def _province_problems(
    row: _AgencyRow, known: dict, names_in_use: dict, province_named: dict, code_of_name: dict,
    allowed: set[int] | None,
) -> list[str]:
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


def _parent_problems(
    row: _AgencyRow, in_file: dict, existing: dict, allowed: set[int] | None,
) -> list[str]:
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


def _agencies_write(changes: _AgencyChanges) -> None:
    """Create the new provinces and agencies, parents first, then update the changed ones."""
    provinces = dict(changes.provinces)
    new = [Province(code=code, name=name) for code, name in changes.new_provinces.items()]
    for province in Province.objects.bulk_create(new):
        provinces[province.code] = province

    fields = ["name", "tier", "active_from", "active_to"]
    rows = [*changes.created, *(row for _agency, row in changes.updated)]
    parent_ids = dict(
        Agency.objects.filter(code__in={row.parent_code for row in rows if row.parent_code})
        .order_by()
        .values_list("code", "id")
    )
    # A parent may be another new agency, anywhere in the file: create in rounds, each round
    # the agencies whose parent exists by then (loops were refused, so every round has some).
    waiting = changes.created
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

    bulk.update_rows(
        Agency,
        [*fields, "parent"],
        [
            (*(getattr(row, name) for name in fields),
             parent_ids[row.parent_code] if row.parent_code else None, agency.pk)
            for agency, row in changes.updated
        ],
        constants={},
    )
    # Scopes, counts and names of every year of these provinces may have changed.
    if changes.created or changes.updated:
        figures_changed_in_provinces(
            {provinces[row.province_code].pk for row in changes.created}
            | {agency.province_id for agency, _row in changes.updated}
        )
