"""The progress export of docs/FORMATS.md (``progress.csv``) and a guard for spreadsheet downloads.

Figures come from :func:`plans.selectors.progress.plan_progress`, so the export says exactly what
the
dashboard says. Lines end with ``\\n`` (as the import files may), and the text is UTF-8 without
a byte-order mark: the file is for programs as much as for people.
"""

import io
from decimal import Decimal

from plans.files.csv_writing import CsvWriter
from plans.models import Plan, Province
from plans.rules.limits import plain_decimal
from plans.rules.progress import PERCENT, Status
from plans.rules.tiers import format_tiers, parse_tiers
from plans.selectors.progress import plan_progress

PROGRESS_COLUMNS = (
    "province_code", "year", "indicator_code", "tiers", "comparator", "target", "unit",
    "achieved", "numerator", "denominator", "agencies_reporting", "agencies_in_scope", "status",
)
# Text columns of progress.csv; the others hold numbers and are never prefixed.
PROGRESS_TEXT_COLUMNS = ("province_code", "indicator_code", "tiers", "comparator", "unit",
                         "status")

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection): the ASCII
# signs, their full-width forms (＝＋－＠, which spreadsheets with East Asian input read as the
# same signs), and a tab or carriage return before one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_safe(text: str) -> str:
    """Return ``text`` with a leading ``'`` if a spreadsheet would read it as a formula.

    Only for text cells: a number such as ``-1`` in a numeric column is left to the caller.
    Only for files people open (progress.csv and .xlsx, the entry templates): the backups of
    ``export_data`` are read back by the imports, which would keep the apostrophe.
    """
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def plain_number(value: Decimal) -> Decimal:
    """Return ``value`` as a number that prints as :func:`plans.rules.limits.plain_decimal`: 80.0 →
    80.

    A Decimal, not text: a spreadsheet cell keeps it as a number.
    """
    return Decimal(plain_decimal(value))


def progress_rows(plan: Plan) -> list[dict]:
    """Return one dict per target of ``plan``, keyed by the columns of ``progress.csv``.

    Values keep their types for spreadsheets: ``target`` and ``achieved`` are Decimals
    (``achieved`` with one decimal place for a percent, whole for a count), the counts are
    ints, and a figure that does not apply is None. Rows are ordered by indicator code, then
    by the tiers text. Three queries (see ``plan_progress``).
    """
    rows = []
    for item in plan_progress(plan):
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
    plan = Plan.objects.select_related("province").filter(province=province, year=year).first()
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
