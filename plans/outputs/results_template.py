"""The results template: results.csv or .xlsx, pre-filled with a plan's agencies and indicators.

Officers download it, fill it in and upload it (``plans.services.imports.results_import`` reads
it back). One row per active agency and indicator, in the grid's order, with any result already
stored. After the import's columns come the agency's name (as people tell it apart, see
plans.selectors.naming), its parent's, the indicator's name and what to count, for the person
filling it in; the import ignores them. Names and notes come from uploaded files, so no text is
ever written as a formula. The last column, ``version``, is the version of each row's stored
result (0: none), as the grid's cells carry it: the upload tells from it a figure someone
changed after the download (a conflict) from one the file may write.

The workbook keeps its header in view, offers "có"/"không" on the value of yes/no rows, and is
protected without a password: only value, numerator, denominator and note can be typed in, so
that the codes the import matches on are not changed by a slip.
"""

import csv
import io

from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.models import Indicator
from plans.files.columns import (
    RESULT_COLUMNS,
    RESULT_IGNORED_COLUMNS,
    RESULT_OPTIONAL_COLUMNS,
)
from plans.files.csv_writing import csv_safe
from plans.models import Plan
from plans.outputs.openpyxl_cells import write_text
from plans.selectors.agencies import template_contents, yes_no_indicator_codes

# The template is a results.csv to fill: the import's columns, the ones it ignores, and last
# the version each row was made from.
TEMPLATE_COLUMNS = RESULT_COLUMNS + RESULT_IGNORED_COLUMNS + RESULT_OPTIONAL_COLUMNS
# The columns a person types in; every other cell of the workbook is locked.
FILLED_COLUMNS = ("value", "numerator", "denominator", "note")
# A yes/no answer as the template writes it and its drop-down offers it (the import reads
# these as 1 and 0, as it reads 1/0, yes/no and true/false).
YES_NO_WORDS = {1: "có", 0: "không"}
COLUMN_WIDTHS = {
    "year": 7, "agency_code": 14, "indicator_code": 26, "value": 10, "numerator": 11,
    "denominator": 12, "note": 30, "agency_name": 40, "parent_name": 30, "indicator_name": 50,
    "what_to_count": 60, "definition": 45, "version": 8,
}
# Columns the workbook hides: for the upload, not for the person filling it in.
HIDDEN_COLUMNS = ("version",)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_rows(plan: Plan, *, agency_ids=None, site_root: str = "") -> list[list]:
    """Return the template's rows for ``plan``: agencies by tier and name shown, in Vietnamese
    alphabetical order as on the grids, indicators targeted first; blanks are empty strings.
    ``agency_ids`` limits the agencies (a reporter's); ``site_root`` ("https://host") makes the
    address of each indicator's definitions page a full one that a spreadsheet can open."""
    agencies, indicators, results = template_contents(plan, agency_ids=agency_ids)
    what = {indicator.pk: what_to_count(indicator) for indicator in indicators}
    definition = {
        indicator.pk: site_root + reverse("indicators:definition", args=[indicator.code])
        for indicator in indicators
    }
    rows = []
    for agency in agencies:
        for indicator in indicators:
            result = results.get((agency.pk, indicator.pk))
            value: int | str = ""
            if result is not None and result.value is not None:
                value = result.value
                if indicator.kind == Indicator.Kind.YES_NO:
                    value = YES_NO_WORDS[result.value]
            rows.append(
                [
                    plan.year,
                    agency.code,
                    indicator.code,
                    value,
                    "" if result is None or result.numerator is None else result.numerator,
                    "" if result is None or result.denominator is None else result.denominator,
                    "" if result is None else result.note,
                    agency.display_name,
                    agency.parent.name if agency.parent else "",
                    indicator.name,
                    what[indicator.pk],
                    definition[indicator.pk],
                    0 if result is None else result.version,
                ]
            )
    return rows


def what_to_count(indicator: Indicator) -> str:
    """Return what to write for ``indicator``, in the template's words.

    "value: có hoặc không"; "numerator: Số cán bộ có hộp thư công vụ; denominator: Tổng số
    cán bộ, công chức"; "value: Số dịch vụ".
    """
    if indicator.kind == Indicator.Kind.YES_NO:
        return _("value: có hoặc không")
    if indicator.kind == Indicator.Kind.RATIO:
        return _("numerator: %(numerator)s; denominator: %(denominator)s") % {
            "numerator": indicator.numerator_label or _("số đạt"),
            "denominator": indicator.denominator_label or _("tổng số"),
        }
    return _("value: %(what)s") % {"what": indicator.numerator_label or _("một số nguyên ≥ 0")}


def template_file(
    plan: Plan, file_format: str, *, agency_ids=None, site_root: str = ""
) -> bytes:
    """Return ``plan``'s template as ``file_format`` (a key of CONTENT_TYPES), of the agencies
    ``agency_ids`` only when given; ``site_root`` as for :func:`template_rows`."""
    rows = template_rows(plan, agency_ids=agency_ids, site_root=site_root)
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
    """Return the rows as a one-sheet workbook ("results") under the header.

    The header row stays in view, the yes/no rows' value cells offer "có"/"không", and the
    sheet is protected (no password) with the value, numerator, denominator and note cells
    left unlocked.
    """
    unlocked = Protection(locked=False)
    filled = {TEMPLATE_COLUMNS.index(column) for column in FILLED_COLUMNS}

    def cell_of(sheet, index, value):
        cell = WriteOnlyCell(sheet)
        if isinstance(value, str):
            # openpyxl writes a string starting with "=" as a formula; notes come from uploads.
            write_text(cell, value)
        elif value != "":
            cell.value = value
        if index in filled:
            cell.protection = unlocked
        return cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("results")
    # Set before the first row: a write-only sheet writes its view and columns first.
    sheet.freeze_panes = "A2"
    for index, column in enumerate(TEMPLATE_COLUMNS, 1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = COLUMN_WIDTHS[column]
        dimension.hidden = column in HIDDEN_COLUMNS
    yes_no = DataValidation(
        type="list", formula1=f'"{",".join(YES_NO_WORDS.values())}"', allow_blank=True,
        showErrorMessage=True, errorTitle=_("Chỉ tiêu có/không"),
        error=_("Chọn “có” hoặc “không”."),
    )
    header = []
    for column in TEMPLATE_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    value_letter = get_column_letter(TEMPLATE_COLUMNS.index("value") + 1)
    indicator_index = TEMPLATE_COLUMNS.index("indicator_code")
    yes_no_codes = yes_no_indicator_codes()
    for number, row in enumerate(rows, 2):
        sheet.append([cell_of(sheet, index, value) for index, value in enumerate(row)])
        if row[indicator_index] in yes_no_codes:
            yes_no.add(f"{value_letter}{number}")
    if yes_no.sqref:
        sheet.data_validations.append(yes_no)
    # Locked cells may be selected and read, columns widened; nothing else without unprotecting.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
