"""The progress workbook: a summary sheet with the rows of progress.csv, one sheet per target.

The workbook is written in openpyxl's write-only mode: each row goes to a temporary file as it
is appended, so memory stays flat however many agencies a province has. Rows are therefore
written in order, and column widths and frozen panes are set before the first row.

No text is ever written as a formula: agency names and notes come from uploaded files, and a
name such as ``=HYPERLINK(...)`` must stay a name. Every text cell goes through
:func:`write_text`.
"""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from plans import progress
from plans.exports import PROGRESS_COLUMNS
from plans.tiers import Tier, format_tiers
from plans.wording import agency_figure_text, target_text, untargeted_text

# Characters that make a spreadsheet read a cell as a formula (or a DDE command).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel forbids these in sheet names, and limits a name to 31 characters.
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
SHEET_NAME_MAX = 31
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True)


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


def row_cells(sheet, values, *, font=None, alignment=None) -> list:
    """Return ``values`` as cells to append to the write-only ``sheet``.

    Numbers stay numbers (a Decimal with decimals shows one: "0.0"), everything else is
    guarded text, blanks stay empty; ``font`` and ``alignment`` style every non-empty cell.
    """
    cells: list[object] = []  # openpyxl's write-only cells, None for a blank
    for value in values:
        if value is None or value == "":
            cells.append(None)
            continue
        cell = WriteOnlyCell(sheet)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            cell.value = value
            if isinstance(value, Decimal):
                exponent = value.as_tuple().exponent
                assert isinstance(exponent, int)  # a stored figure is finite, never NaN
                if exponent < 0:
                    cell.number_format = "0.0"
        else:
            write_text(cell, value)
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        cells.append(cell)
    return cells


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


def _words() -> dict:
    """Return the words of the agency rows, translated once per workbook, not once per row."""
    return {
        "lagging": _("Chưa đạt"),
        "not_lagging": _("Đạt"),
        "silent": _("Chưa báo cáo"),
        "all_tiers": _("Cộng các cấp"),
        **{tier.value: str(tier.label) for tier in Tier},
    }


def _verdict(figure, words) -> str:
    if figure.lagging is True:
        return words["lagging"]
    if figure.lagging is False:
        return words["not_lagging"]
    if figure.result is None:
        return words["silent"]
    return ""


def _target_sheet(sheet, *, item, reported, not_reported, words) -> None:
    target, prog = item.target, item.progress
    _fit_columns(sheet, [14, 42, 20, 22, 9, 9, 9, 10, 14, 30])
    sheet.freeze_panes = "A5"
    sheet.append(row_cells(sheet, [target.indicator.name], font=BOLD))
    sheet.append(row_cells(sheet, [
        _("Phạm vi: %(scope)s. Chỉ tiêu: %(target)s. Trạng thái: %(status)s.")
        % {
            "scope": target.scope_in_words(),
            "target": target_text(target),
            "status": progress.Status(prog.status).label,
        },
    ]))
    sheet.append([])
    sheet.append(row_cells(sheet, [
        _("Mã đơn vị"), _("Tên đơn vị"), _("Cấp"), _("Số liệu báo cáo"), _("Giá trị"),
        _("Tử số"), _("Mẫu số"), _("Đạt được"), _("Đánh giá"), _("Ghi chú"),
    ], font=BOLD))
    places = 1 if target.unit == progress.PERCENT else 0
    for figure in reported + not_reported:
        result = figure.result
        achieved = (
            progress.round_half_away(figure.achieved, places)
            if figure.achieved is not None
            else None
        )
        sheet.append(row_cells(sheet, [
            figure.agency.code,
            figure.agency.name,
            words[figure.agency.tier],
            agency_figure_text(figure, target) if result else "",
            result.value if result else None,
            result.numerator if result else None,
            result.denominator if result else None,
            achieved,
            _verdict(figure, words),
            result.note if result else "",
        ]))


def _untargeted_sheet(sheet, *, untargeted, words) -> None:
    """Write the indicators reported without a target: one row per tier, then any total."""
    _fit_columns(sheet, [22, 42, 20, 12, 10, 10, 10, 28])
    sheet.freeze_panes = "A3"
    sheet.append(row_cells(sheet, [
        _("Chỉ tiêu có số liệu nhưng không có trong kế hoạch. Số liệu được tính riêng cho "
          "từng cấp; không đánh giá đạt hay chưa đạt."),
    ]))
    sheet.append(row_cells(sheet, [
        _("Mã chỉ tiêu"), _("Chỉ tiêu"), _("Phạm vi"), _("Số đơn vị báo cáo"), _("Tử số"),
        _("Mẫu số"), _("Đạt được"), _("Số liệu các đơn vị đã báo cáo"),
    ], font=BOLD, alignment=WRAP))
    for item in untargeted:
        indicator = item.indicator
        lines = [(words[line.tier], line.progress, None) for line in item.lines]
        if item.total is not None:
            lines.append((words["all_tiers"], item.total, BOLD))
        for scope, prog, font in lines:
            sheet.append(row_cells(sheet, [
                indicator.code,
                indicator.name,
                scope,
                prog.agencies_reporting,
                prog.numerator,
                prog.denominator,
                prog.achieved_rounded,
                untargeted_text(prog, indicator),
            ], font=font))


def progress_xlsx(*, summary_rows, items, figures, untargeted=()) -> bytes:
    """Return the progress workbook of a province and year.

    ``summary_rows`` are :func:`plans.exports.progress_rows` (the rows of progress.csv, typed);
    ``items`` are the plan's ``TargetProgress``; ``figures`` maps a target id to its (reported,
    not_reported) agencies, as :func:`plans.selectors.scope_figures` gives; ``untargeted`` are
    :func:`plans.selectors.untargeted_figures`, written on a last sheet when there are any. A
    year without a plan or results gives the summary's header alone.
    """
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Tổng hợp")[:SHEET_NAME_MAX])
    _fit_columns(summary, [13, 6, 26, 32, 10, 8, 8, 9, 11, 12, 18, 17, 9])
    summary.freeze_panes = "A2"
    summary.append(row_cells(summary, PROGRESS_COLUMNS, font=BOLD, alignment=WRAP))
    for row in summary_rows:
        summary.append(row_cells(summary, [row[column] for column in PROGRESS_COLUMNS]))

    # One sheet per target, in the summary's order (indicator code, then tiers).
    taken, words = {summary.title.lower()}, _words()
    ordered = sorted(items, key=lambda item: (item.target.indicator.code,
                                              format_tiers(item.target.tier_list)))
    for position, item in enumerate(ordered, 1):
        sheet = book.create_sheet(sheet_name(position, item.target.indicator.code, taken))
        reported, not_reported = figures.get(item.target.pk, ([], []))
        _target_sheet(sheet, item=item, reported=reported, not_reported=not_reported,
                      words=words)
    if untargeted:
        # Target sheets start with their number, so this name is never taken.
        sheet = book.create_sheet(_("Ngoài kế hoạch")[:SHEET_NAME_MAX])
        _untargeted_sheet(sheet, untargeted=untargeted, words=words)

    output = BytesIO()
    book.save(output)
    return output.getvalue()
