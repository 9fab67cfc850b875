"""The progress export of docs/FORMATS.md (``progress.csv``) and a guard for spreadsheet downloads.

Figures come from :func:`plans.selectors.progress.plan_progress`, so the export says exactly what
the
dashboard says. Lines end with ``\\n`` (as the import files may), and the text is UTF-8 without
a byte-order mark: the file is for programs as much as for people.
"""

import io
from decimal import Decimal

from plans.files.csv_writing import CsvWriter, csv_safe
from plans.models import Plan, Province
from plans.rules.limits import plain_decimal
from plans.rules.progress import PERCENT, Status
from plans.rules.tiers import format_tiers, parse_tiers
from plans.selectors.plans import province_plan
from plans.selectors.progress import TargetProgress, plan_progress

PROGRESS_COLUMNS = (
    "province_code", "year", "indicator_code", "tiers", "comparator", "target", "unit",
    "achieved", "numerator", "denominator", "agencies_reporting", "agencies_in_scope", "status",
)
# Text columns of progress.csv; the others hold numbers and are never prefixed.
PROGRESS_TEXT_COLUMNS = ("province_code", "indicator_code", "tiers", "comparator", "unit",
                         "status")

def plain_number(value: Decimal) -> Decimal:
    """Return ``value`` as a number that prints as :func:`plans.rules.limits.plain_decimal`: 80.0 →
    80.

    A Decimal, not text: a spreadsheet cell keeps it as a number.
    """
    return Decimal(plain_decimal(value))


def progress_rows(plan: Plan, items: list[TargetProgress] | None = None) -> list[dict]:
    """Return one dict per target of ``plan``, keyed by the columns of ``progress.csv``.

    Values keep their types for spreadsheets: ``target`` and ``achieved`` are Decimals
    (``achieved`` with one decimal place for a percent, whole for a count), the counts are
    ints, and a figure that does not apply is None. Rows are ordered by indicator code, then
    by the tiers text. Three queries (see ``plan_progress``), none when ``items`` (the plan's
    progress already read, e.g. the rows of the year's figures bundle) are given.
    """
    rows = []
    for item in plan_progress(plan) if items is None else items:
        target, progress = item.target, item.progress
        no_data = progress.status == Status.NO_DATA
        rows.append(
            {
                "province_code": plan.province.code,
                "year": plan.year,
                "indicator_code": target.indicator.code,
                "tiers": format_tiers(parse_tiers(target.tiers)),
                "comparator": target.comparator,
                "target": plain_number(target.value),
                "unit": target.unit,
                "achieved": progress.achieved_rounded,
                "numerator": None if no_data else progress.numerator,
                "denominator": (
                    progress.denominator if not no_data and target.unit == PERCENT else None
                ),
                "agencies_reporting": progress.agencies_reporting,
                "agencies_in_scope": progress.agencies_in_scope,
                "status": str(progress.status),
            }
        )
    rows.sort(key=lambda row: (row["indicator_code"], row["tiers"]))
    return rows


def progress_csv(*, province: Province, year: int) -> str:
    """Return ``progress.csv`` of ``province`` for ``year``: the header alone without a plan."""
    output = io.StringIO()
    writer = CsvWriter(output)
    writer.writerow(PROGRESS_COLUMNS)
    plan = province_plan(province, year)
    if plan is not None:
        for row in progress_rows(plan):
            writer.writerow(_csv_cell(column, row[column]) for column in PROGRESS_COLUMNS)
    return output.getvalue()


def _csv_cell(column: str, value) -> str:
    if value is None:
        return ""
    if column in PROGRESS_TEXT_COLUMNS:
        return csv_safe(str(value))
    return str(value)
