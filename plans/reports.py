"""The progress workbook: a summary sheet with the rows of progress.csv, one sheet per target.

No text is ever written as a formula: agency names and notes come from uploaded files, and a
name such as ``=HYPERLINK(...)`` must stay a name. Every text cell goes through
:func:`write_text`.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from plans import progress
from plans.exports import PROGRESS_COLUMNS
from plans.templatetags.progress_tags import agency_figure_text, target_text
from plans.tiers import Tier, format_tiers

# Characters that make a spreadsheet read a cell as a formula (or a DDE command).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel forbids these in sheet names, and limits a name to 31 characters.
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
SHEET_NAME_MAX = 31
BOLD = Font(bold=True)


def write_text(cell, text) -> None:
    """Set ``cell`` to ``text`` as a string, never a formula, whatever it starts with.

    openpyxl stores a string starting with "=" as a formula; forcing the string type writes it
    as text, and the quote prefix keeps it text when someone edits the cell in Excel.
    """
    text = "" if text is None else str(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def write_row(sheet, row: int, values) -> None:
    """Write ``values`` into ``row``: numbers as numbers, everything else as guarded text."""
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row=row, column=column)
        if value is None or value == "":
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            cell.value = value
        elif hasattr(value, "is_finite"):  # Decimal
            cell.value = value
            if value.as_tuple().exponent < 0:
                cell.number_format = "0.0"
        else:
            write_text(cell, value)


def sheet_name(position: int, code: str, taken: set) -> str:
    """Return a unique, valid sheet name for the target at ``position``: "1 OFFICIAL_EMAIL"."""
    base = f"{position} {code}".translate(SHEET_NAME_FORBIDDEN).strip("'")[:SHEET_NAME_MAX]
    name, suffix = base, 2
    while name.lower() in taken:
        tail = f" ({suffix})"
        name = base[: SHEET_NAME_MAX - len(tail)] + tail
        suffix += 1
    taken.add(name.lower())
    return name


def _fit_columns(sheet, widths) -> None:
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _target_sheet(sheet, *, item, reported, not_reported) -> None:
    target, prog = item.target, item.progress
    write_text(sheet.cell(row=1, column=1), target.indicator.name)
    sheet.cell(row=1, column=1).font = BOLD
    write_text(
        sheet.cell(row=2, column=1),
        _("Phạm vi: %(scope)s. Chỉ tiêu: %(target)s. Trạng thái: %(status)s.")
        % {
            "scope": target.scope_in_words(),
            "target": target_text(target),
            "status": progress.Status(prog.status).label,
        },
    )
    headers = [
        _("Mã đơn vị"), _("Tên đơn vị"), _("Cấp"), _("Số liệu báo cáo"), _("Giá trị"),
        _("Tử số"), _("Mẫu số"), _("Đạt được"), _("Đánh giá"), _("Ghi chú"),
    ]
    write_row(sheet, 4, headers)
    for cell in sheet[4]:
        cell.font = BOLD
    row = 5
    for figure in reported + not_reported:
        result = figure.result
        if figure.lagging is True:
            verdict = _("Chưa đạt")
        elif figure.lagging is False:
            verdict = _("Đạt")
        elif result is None:
            verdict = _("Chưa báo cáo")
        else:
            verdict = ""
        achieved = (
            progress.round_half_away(
                figure.achieved, 1 if target.unit == progress.PERCENT else 0
            )
            if figure.achieved is not None
            else None
        )
        write_row(
            sheet,
            row,
            [
                figure.agency.code,
                figure.agency.name,
                Tier(figure.agency.tier).label,
                agency_figure_text(figure, target) if result else "",
                result.value if result else None,
                result.numerator if result else None,
                result.denominator if result else None,
                achieved,
                verdict,
                result.note if result else "",
            ],
        )
        row += 1
    sheet.freeze_panes = "A5"
    _fit_columns(sheet, [14, 42, 20, 22, 9, 9, 9, 10, 14, 30])


def progress_xlsx(*, summary_rows, items, figures) -> bytes:
    """Return the progress workbook of a province and year.

    ``summary_rows`` are :func:`plans.exports.progress_rows` (the rows of progress.csv, typed);
    ``items`` are the plan's ``TargetProgress``; ``figures`` maps a target id to its (reported,
    not_reported) agencies, as :func:`plans.selectors.scope_figures` gives. A year without a
    plan gives the summary's header alone.
    """
    book = Workbook()
    summary = book.active
    summary.title = _("Tổng hợp")[:SHEET_NAME_MAX]
    write_row(summary, 1, PROGRESS_COLUMNS)
    for cell in summary[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True)
    for index, row in enumerate(summary_rows, 2):
        write_row(summary, index, [row[column] for column in PROGRESS_COLUMNS])
    summary.freeze_panes = "A2"
    _fit_columns(summary, [13, 6, 26, 32, 10, 8, 8, 9, 11, 12, 18, 17, 9])

    # One sheet per target, in the summary's order (indicator code, then tiers).
    taken = {summary.title.lower()}
    ordered = sorted(items, key=lambda item: (item.target.indicator.code,
                                              format_tiers(item.target.tier_list)))
    for position, item in enumerate(ordered, 1):
        sheet = book.create_sheet(sheet_name(position, item.target.indicator.code, taken))
        reported, not_reported = figures.get(item.target.pk, ([], []))
        _target_sheet(sheet, item=item, reported=reported, not_reported=not_reported)

    output = BytesIO()
    book.save(output)
    return output.getvalue()
