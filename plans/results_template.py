"""The results template: results.csv or .xlsx, pre-filled with a plan's agencies and indicators.

Officers download it, fill it in and upload it (``plans.services.imports.results_import`` reads
it back). One row per active agency and indicator, in the grid's order, with any result already
stored. Notes and codes come from uploaded files, so no text is ever written as a formula.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from plans.exports import csv_safe
from plans.grid import ordered_indicators, plan_agencies, targeted_indicator_ids
from plans.models import Plan, Result
from plans.services.tables.columns import RESULT_COLUMNS
from plans.tiers import TIER_ORDER
from plans.workbook import write_text

# The template is a results.csv to fill: the import's columns.
TEMPLATE_COLUMNS = RESULT_COLUMNS
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_rows(plan: Plan) -> list[list]:
    """Return the template's rows for ``plan``: agencies by tier and name, indicators targeted
    first; blanks are empty strings."""
    agencies = list(plan_agencies(plan))
    agencies.sort(key=lambda a: (TIER_ORDER.index(a.tier), a.name, a.code))
    indicators = ordered_indicators(targeted_indicator_ids(plan))
    results = {
        (r.agency_id, r.indicator_id): r
        for r in Result.objects.filter(year=plan.year, agency__in=agencies)
    }
    rows = []
    for agency in agencies:
        for indicator in indicators:
            result = results.get((agency.pk, indicator.pk))
            rows.append(
                [
                    plan.year,
                    agency.code,
                    indicator.code,
                    "" if result is None or result.value is None else result.value,
                    "" if result is None or result.numerator is None else result.numerator,
                    "" if result is None or result.denominator is None else result.denominator,
                    "" if result is None else result.note,
                ]
            )
    return rows


def template_file(plan: Plan, file_format: str) -> bytes:
    """Return ``plan``'s template as ``file_format`` (a key of CONTENT_TYPES)."""
    rows = template_rows(plan)
    return template_csv(rows) if file_format == "csv" else template_xlsx(rows)


def template_csv(rows) -> bytes:
    """Return the rows as CSV (UTF-8 with a byte-order mark, CRLF line ends) under the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    # A leading "'" keeps "=..." from being a formula when the template is opened in a
    # spreadsheet.
    writer.writerows(
        [csv_safe(value) if isinstance(value, str) else value for value in row] for row in rows
    )
    # A byte-order mark so that Excel opens the Vietnamese names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(rows) -> bytes:
    """Return the rows as a one-sheet workbook ("results") under the header."""

    def text_cell(sheet, text):
        # openpyxl writes a string starting with "=" as a formula; notes come from uploads.
        cell = WriteOnlyCell(sheet)
        write_text(cell, text)
        return cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("results")
    sheet.append(TEMPLATE_COLUMNS)
    for row in rows:
        sheet.append(
            [text_cell(sheet, value) if isinstance(value, str) else value for value in row]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
