"""Import the programmes of a ``programmes.csv``: programmes and their end-year targets.

All-or-nothing and idempotent, like every import (see :mod:`plans.services.imports`).
Programmes are matched on (province, programme code), their targets on (programme, indicator,
set of tiers). A programme's name and years are repeated on each of its rows and must agree.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.files.columns import PROGRAMME_COLUMNS
from plans.models import Programme, ProgrammeTarget, Province
from plans.models.programmes import PROGRAMME_CODE_RULE
from plans.rules.parsing import is_agency_code
from plans.services.imports.rows import (
    ImportReport,
    _allowed,
    _Check,
    _Invalid,
    _is_allowed,
    _messages,
    _province_code,
    _required,
    _Rows,
    _unknown_province_message,
    _year,
)
from plans.services.imports.targets import target_terms
from plans.services.tables import ReadBudget

# Programme.code and Programme.name (CharField max_length).
CODE_MAX_LENGTH = 40
NAME_MAX_LENGTH = 300


@dataclass
class _ProgrammeRow:
    line: int
    province_code: str
    code: str
    name: str
    first_year: int
    last_year: int
    indicator: Indicator
    tiers: str
    comparator: str
    value: Decimal
    unit: str

    @property
    def programme_key(self) -> tuple:
        return (self.province_code, self.code)

    @property
    def key(self) -> tuple:
        return (self.province_code, self.code, self.indicator.code, self.tiers)

    def programme_values(self) -> tuple:
        return (self.name, self.first_year, self.last_year)

    def target_values(self) -> tuple:
        return (self.comparator, self.value, self.unit)


def _programme_code(text: str) -> str:
    if not text:
        raise _Invalid(_("Cột programme_code không được để trống."))
    if len(text) > CODE_MAX_LENGTH or not is_agency_code(text):
        raise _Invalid(
            _("Cột programme_code: “%(value)s” không hợp lệ. %(rule)s")
            % {"value": text[:CODE_MAX_LENGTH], "rule": PROGRAMME_CODE_RULE}
        )
    return text


def _programme_row(
    line: int, fields: list[Any], check: _Check, indicators: dict
) -> _ProgrammeRow | None:
    (province_code, code, name, first_year, last_year, indicator_code, tiers, comparator,
     value, unit) = fields
    check(_required, province_code, "province_code")
    check(_province_code, province_code)
    check(_programme_code, code)
    check(_required, name, "programme_name", max_length=NAME_MAX_LENGTH)
    first_year = check(_year, first_year, "first_year")
    last_year = check(_year, last_year, "last_year")
    if isinstance(first_year, int) and isinstance(last_year, int) and first_year > last_year:
        check.add(
            _("Năm bắt đầu %(first)s sau năm kết thúc %(last)s.")
            % {"first": first_year, "last": last_year}
        )
    indicator, tiers, comparator, value, unit = target_terms(
        check, indicators, indicator_code=indicator_code, tiers=tiers, comparator=comparator,
        value=value, unit=unit,
    )
    if check.problems:
        return None
    assert indicator is not None  # without problems the code was given and found
    target = ProgrammeTarget(indicator=indicator, tiers=tiers, comparator=comparator,
                             value=value, unit=unit)
    try:
        target.clean()
    except ValidationError as exc:
        for message in _messages(exc):
            check.add(message)
        return None
    return _ProgrammeRow(line, province_code, code, name, first_year, last_year, indicator,
                         tiers, comparator, value, unit)


def programmes_import(
    *, source: Any, dry_run: bool = False, provinces: Any = None,
    budget: ReadBudget | None = None,
) -> ImportReport:
    """Create or update the programmes and programme targets of a ``programmes.csv``.

    ``report.created``/``updated``/``unchanged`` count the rows: a row is updated when its
    target's comparator, value or unit, or its programme's name or years, change.
    """
    report = ImportReport(kind="programmes", dry_run=dry_run)
    allowed = _allowed(provinces)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    with transaction.atomic():
        rows = _Rows(report, source, PROGRAMME_COLUMNS, budget)
        parsed: list[_ProgrammeRow] = []
        first_line: dict[tuple, int] = {}
        programme_line: dict[tuple, _ProgrammeRow] = {}
        for line, fields in rows:
            check = _Check()
            row = _programme_row(line, fields, check, indicators)
            if row is not None:
                if row.key in first_line:
                    check.add(
                        _("Chỉ tiêu %(code)s cấp %(tiers)s của chương trình %(programme)s tỉnh "
                          "%(province)s đã có ở dòng %(first)s.")
                        % {"code": row.indicator.code, "tiers": row.tiers,
                           "programme": row.code, "province": row.province_code,
                           "first": first_line[row.key]}
                    )
                first_line.setdefault(row.key, line)
                earlier = programme_line.setdefault(row.programme_key, row)
                if earlier.programme_values() != row.programme_values():
                    check.add(
                        _("Chương trình %(programme)s đã ghi ở dòng %(first)s với tên hoặc năm "
                          "khác; mọi dòng của một chương trình phải ghi cùng tên, cùng năm bắt "
                          "đầu và năm kết thúc.")
                        % {"programme": row.code, "first": earlier.line}
                    )
            if not rows.errors_of(line, check.problems):
                assert row is not None  # a row is None only with problems
                parsed.append(row)

        provinces_by_code = {
            p.code: p
            for p in Province.objects.filter(code__in={row.province_code for row in parsed})
        }
        programmes = {
            (programme.province.code, programme.code): programme
            for programme in Programme.objects.filter(
                province__code__in=provinces_by_code, code__in={row.code for row in parsed}
            ).select_related("province")
        }
        existing = {
            (t.programme.province.code, t.programme.code, t.indicator.code, t.tiers): t
            for t in ProgrammeTarget.objects.filter(
                programme__in=list(programmes.values())
            ).select_related("programme__province", "indicator")
        }
        writes: list[_ProgrammeRow] = []
        for row in parsed:
            province = provinces_by_code.get(row.province_code)
            if not _is_allowed(province, allowed) or province is None:
                # The same words for a province that does not exist and one that is not the
                # caller's: nothing is learnt about other provinces by trying their codes.
                rows.error(row.line, _unknown_province_message(row.province_code))
                continue
            programme = programmes.get(row.programme_key)
            target = existing.get(row.key)
            if target is None:
                report.created += 1
            elif (
                (target.comparator, target.value, target.unit) != row.target_values()
                or programme is None
                or (programme.name, programme.first_year, programme.last_year)
                != row.programme_values()
            ):
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            writes.append(row)
        if not rows.failed and not dry_run:
            _programmes_write(writes, provinces_by_code, programmes, existing)
        return rows.finish()


def _programmes_write(
    writes: list, provinces_by_code: dict, programmes: dict, existing: dict
) -> None:
    """Create or update the programmes and targets of ``writes`` (rows that change)."""
    for row in writes:
        programme = programmes.get(row.programme_key)
        if programme is None:
            programme = Programme(province=provinces_by_code[row.province_code], code=row.code)
            programmes[row.programme_key] = programme
        if programme.pk is None or (
            (programme.name, programme.first_year, programme.last_year)
            != row.programme_values()
        ):
            programme.name, programme.first_year, programme.last_year = row.programme_values()
            programme.full_clean()
            programme.save()
        target = existing.get(row.key)
        if target is None:
            target = ProgrammeTarget(programme=programme, indicator=row.indicator,
                                     tiers=row.tiers)
        target.comparator, target.value, target.unit = row.target_values()
        target.full_clean()
        target.save()
