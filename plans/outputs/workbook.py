"""The progress workbook, a report for people: a summary grouped as the dashboard groups its
targets, one sheet per target with the agencies in its scope, and a last sheet for the
indicators reported without a target.

progress.csv (:mod:`plans.outputs.exports`) is the file for programs; this workbook is what a leader
forwards as it is. Every sheet is titled with the province and the year and set up to print
(A4 landscape, fit to the page's width, the header row repeated on each page). Indicators,
scopes and verdicts are in words; figures are numbers a spreadsheet can compute with, a
percentage stored as a fraction (0.8) and shown as one ("80.0%", in the reader's own Excel
language).

The workbook is streamed by :mod:`plans.files.xlsx_writing`: each row goes to the compressed
sheet as it is appended, so memory stays flat however many agencies a province has, and a row
costs a few string joins rather than openpyxl's tree of cells (a 900-agency province's workbook
took over a second). Rows are therefore written in order, a sheet's column widths, frozen rows
and print set-up given when it is opened. The words of a sheet's rows (tiers, verdicts, the
agencies' figures) are translated once per sheet, not once per row.

No text is ever written as a formula: agency names and notes come from uploaded files, and a
name such as ``=HYPERLINK(...)`` must stay a name. The writer stores every text as a string
cell, and one that starts like a formula with the quote prefix. :func:`write_text` and
:func:`row_cells` do the same for sheets written with openpyxl (the results template).
"""

import re
from decimal import Decimal
from itertools import chain

from django.utils.translation import gettext as _

from plans.files.xlsx_writing import (
    PLAIN,
    SHEET_NAME_MAX,
    Number,
    PageSetup,
    Sheet,
    Style,
    WorkbookWriter,
)
from plans.outputs.openpyxl_cells import row_cells as row_cells
from plans.outputs.openpyxl_cells import write_text as write_text
from plans.rules import progress
from plans.rules.tiers import Tier
from plans.words.wording import (
    agency_figure_words,
    as_of_text,
    provisional_text,
    status_label,
    target_text,
    time_text,
    untargeted_text,
)

# Excel forbids these in sheet names, and limits a name to 31 characters.
SHEET_NAME_FORBIDDEN = str.maketrans({c: "-" if c in "/\\" else " " for c in "[]:*?/\\"})
BOLD = Style(bold=True)
TITLE = Style(bold=True, size=14)
WRAP = Style(wrap=True)
HEADER = Style(bold=True, wrap=True)
# Number formats: Excel shows them in the reader's own language ("80,0%" in Vietnamese).
PERCENT_FORMAT = "0.0%"
WHOLE_PERCENT_FORMAT = "0%"
COUNT_FORMAT = "#,##0"
# Print set-up of every sheet: A4 landscape, fit to the page's width, margins in inches.
PRINTED = PageSetup(landscape=True, paper_size=9, fit_to_width=True, margins={
    "left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3,
})


def sheet_name(position: int, title: str, taken: set) -> str:
    """Return a unique, valid sheet name for the target at ``position``: "1. Có mạng nội bộ".

    The number is the target's row number (STT) on the summary. A long title loses its
    bracketed part first, then its last words, marked "…"; the sheet's first row has it whole.
    """
    text = " ".join(title.translate(SHEET_NAME_FORBIDDEN).split())
    prefix = f"{position}. "
    room = SHEET_NAME_MAX - len(prefix)
    if len(text) > room:
        text = " ".join(re.sub(r"\([^)]*\)", " ", text).split()) or text
    if len(text) > room:
        cut = text[: room - 1]
        if text[room - 1] != " ":
            cut = cut.rsplit(" ", 1)[0]  # a word cut short goes whole
        text = cut.rstrip(" ,;-–") + "…"
    base = (prefix + text).strip("'")[:SHEET_NAME_MAX]
    name, suffix = base, 2
    while name.lower() in taken:
        tail = f" ({suffix})"
        name = base[: SHEET_NAME_MAX - len(tail)] + tail
        suffix += 1
    taken.add(name.lower())
    return name


def _start(book: WorkbookWriter, name: str, *, title: str, lines, widths, headers) -> Sheet:
    """Open the sheet ``name``: the title, the lines under it, a blank row and the bold header
    row, kept in view and repeated on every printed page."""
    header_row = len(lines) + 3
    sheet = book.add_sheet(name, widths=widths, frozen_rows=header_row,
                           print_title_row=header_row, page=PRINTED)
    sheet.append([title], TITLE)
    for line in lines:
        sheet.append([line])
    sheet.append([])
    sheet.append(headers, HEADER)
    return sheet


def _sheet_title(what: str, *, province, year: int) -> str:
    return _("%(what)s – tỉnh %(province)s, năm %(year)s") % {
        "what": what, "province": province.name, "year": year,
    }


def _as_of_line(as_of) -> str:
    """Return when the figures last changed, and whether they are still provisional."""
    line = as_of_text(as_of.changed_at) + "."
    missing = provisional_text(as_of.agencies_missing)
    return f"{line} {missing}." if missing else line


def percent_number(value: Decimal) -> Number:
    """Return a percentage (0 to 100, rounded) as the fraction Excel computes with: 0.8."""
    return Number(value / 100, PERCENT_FORMAT)


def target_number(target) -> Number:
    """Return a target's value as a number: 80 % as 0.8 (shown 80%), 3 services as 3."""
    value = target.value_display()
    if target.unit == progress.PERCENT:
        whole = value == value.to_integral()
        return Number(value / 100, WHOLE_PERCENT_FORMAT if whole else PERCENT_FORMAT)
    return Number(int(value), COUNT_FORMAT)


def achieved_number(rounded, unit: str) -> Number | None:
    """Return an achieved value (rounded, on the target's scale) as a number, or None."""
    if rounded is None:
        return None
    if unit == progress.PERCENT:
        return percent_number(rounded)
    return Number(int(rounded), COUNT_FORMAT)


def _row_labels() -> dict:
    """Return the labels of the agency rows (verdicts, tiers), translated once per workbook,
    not once per row."""
    return {
        "lagging": _("Chưa đạt"),
        "not_lagging": _("Đạt"),
        "silent": _("Chưa báo cáo"),
        "summed": _("cộng vào tổng của tỉnh"),
        "all_tiers": _("Cộng các cấp"),
        **{tier.value: str(tier.label) for tier in Tier},
    }


def _verdict(figure, labels) -> str:
    if figure.lagging is True:
        return labels["lagging"]
    if figure.lagging is False:
        return labels["not_lagging"]
    if figure.result is None:
        return labels["silent"]
    return labels["summed"]


def _summary_sheet(book: WorkbookWriter, *, province, year, plan, groups, as_of,
                   approved_only, exported_at) -> list:
    """Write the summary, a row per target under its group's heading; return the targets
    in the order numbered (STT), which the target sheets follow."""
    if plan is None:
        plan_line = _("Tỉnh chưa nhập kế hoạch năm %(year)s; chỉ có số liệu báo cáo.") % {
            "year": year
        }
    elif plan.document_number:
        plan_line = _("%(title)s, số %(number)s") % {
            "title": plan, "number": plan.document_number,
        }
    else:
        plan_line = str(plan)
    total = sum(group["total"] for group in groups)
    lines = [plan_line, _as_of_line(as_of), _("Lập lúc: %(time)s.") % {
        "time": time_text(exported_at)
    }]
    if approved_only:
        lines.append(_("Chỉ tính số liệu của các đơn vị đã được duyệt báo cáo."))
    if total:
        lines.append(_("Đến thời điểm báo cáo, %(met)s/%(total)s chỉ tiêu đã đạt.") % {
            "met": sum(group["met"] for group in groups), "total": total,
        })
    sheet = _start(
        book,
        _("Tổng hợp")[:SHEET_NAME_MAX],
        title=_("Kết quả thực hiện Kế hoạch ứng dụng CNTT năm %(year)s – tỉnh %(province)s")
        % {"year": year, "province": province.name},
        lines=lines,
        widths=[6, 46, 30, 22, 11, 11, 10, 10, 11, 11, 16, 14],
        headers=[
            _("STT"), _("Chỉ tiêu"), _("Phạm vi"), _("Chỉ tiêu kế hoạch"), _("Mức kế hoạch"),
            _("Đạt được"), _("Tử số"), _("Mẫu số"), _("Đơn vị đã báo cáo"),
            _("Đơn vị trong phạm vi"), _("Đánh giá"), _("Ghi chú"),
        ],
    )
    numbered = []
    provisional = _("tạm tính")
    for group in groups:
        sheet.append([
            None,
            _("%(group)s: %(met)s/%(total)s chỉ tiêu đạt.") % {
                "group": group["label"], "met": group["met"], "total": group["total"],
            },
        ], BOLD)
        for item in group["rows"]:
            numbered.append(item)
            target, prog = item.target, item.progress
            no_data = prog.status == progress.Status.NO_DATA
            sheet.append([
                len(numbered),
                target.indicator.name,
                target.scope_in_words(),
                target_text(target),
                target_number(target),
                achieved_number(prog.achieved_rounded, target.unit),
                None if no_data else prog.numerator,
                prog.denominator if not no_data and target.unit == progress.PERCENT else None,
                prog.agencies_reporting,
                prog.agencies_in_scope,
                status_label(prog.status),
                provisional if prog.is_provisional else "",
            ], WRAP)
    return numbered


def _target_sheet(book: WorkbookWriter, name: str, *, item, reported, not_reported, labels,
                  province, year, as_of_line) -> None:
    target, prog = item.target, item.progress
    sheet = _start(
        book,
        name,
        title=_sheet_title(target.indicator.name, province=province, year=year),
        lines=[
            _("Phạm vi: %(scope)s. Chỉ tiêu: %(target)s. Trạng thái: %(status)s.") % {
                "scope": target.scope_in_words(),
                "target": target_text(target),
                "status": status_label(prog.status),
            },
            as_of_line,
        ],
        widths=[42, 20, 24, 9, 9, 9, 11, 14, 30, 14],
        headers=[
            _("Tên đơn vị"), _("Cấp"), _("Số liệu báo cáo"), _("Giá trị"), _("Tử số"),
            _("Mẫu số"), _("Đạt được"), _("Đánh giá"), _("Ghi chú"), _("Mã đơn vị"),
        ],
    )
    percent = target.unit == progress.PERCENT
    places = 1 if percent else 0
    figure_words = agency_figure_words(target)
    # Many agencies share a figure (100 %, 0 %): each is rounded and turned into a cell once.
    achieved_cells: dict = {None: (None, None)}
    silent = labels["silent"]
    for figure in chain(reported, not_reported):
        agency, result = figure.agency, figure.result
        if result is None:
            sheet.append([agency.display_name, labels[agency.tier], None, None, None, None,
                          None, silent, None, agency.code])
            continue
        found = achieved_cells.get(figure.achieved)
        if found is None:
            rounded = progress.round_half_away(figure.achieved, places)
            found = achieved_cells[figure.achieved] = (
                rounded, achieved_number(rounded, target.unit)
            )
        rounded, achieved_cell = found
        sheet.append([
            agency.display_name,
            labels[agency.tier],
            figure_words(figure, rounded if percent else None),
            result.value,
            result.numerator,
            result.denominator,
            achieved_cell,
            _verdict(figure, labels),
            result.note,
            agency.code,
        ])


def _untargeted_sheet(book: WorkbookWriter, name: str, *, untargeted, labels, province, year,
                      as_of_line) -> None:
    """Write the indicators reported without a target: one row per tier, then any total.

    Shares and counts are in columns of their own, so that each column sums or averages.
    """
    sheet = _start(
        book,
        name,
        title=_sheet_title(
            _("Chỉ tiêu có số liệu nhưng không có trong kế hoạch"), province=province, year=year
        ),
        lines=[
            _("Số liệu được tính riêng cho từng cấp; không đánh giá đạt hay chưa đạt."),
            as_of_line,
        ],
        widths=[46, 20, 12, 10, 10, 10, 10, 30],
        headers=[
            _("Chỉ tiêu"), _("Phạm vi"), _("Số đơn vị báo cáo"), _("Tử số"), _("Mẫu số"),
            _("Tỉ lệ"), _("Số lượng"), _("Số liệu các đơn vị đã báo cáo"),
        ],
    )
    for item in untargeted:
        indicator = item.indicator
        lines = [(labels[line.tier], line.progress, PLAIN) for line in item.lines]
        if item.total is not None:
            lines.append((labels["all_tiers"], item.total, BOLD))
        for scope, prog, style in lines:
            percent = prog.unit == progress.PERCENT
            achieved = achieved_number(prog.achieved_rounded, prog.unit)
            sheet.append([
                indicator.name,
                scope,
                prog.agencies_reporting,
                prog.numerator,
                prog.denominator,
                achieved if percent else None,
                None if percent else achieved,
                untargeted_text(prog, indicator),
            ], style)


def progress_xlsx(*, province, year: int, plan, groups, figures, untargeted=(), as_of,
                  exported_at, approved_only: bool = False, forecasts=()) -> bytes:
    """Return the progress workbook of ``province`` for ``year``.

    ``plan`` may be None (results without a plan); ``groups`` are the dashboard's groups of
    ``TargetProgress`` (dicts of ``label``, ``rows``, ``met``, ``total``, in display order);
    ``figures`` maps a target id to its (reported, not_reported) agencies, as
    :func:`plans.selectors.figures.scope_figures` gives; ``untargeted`` are
    :func:`plans.selectors.figures.untargeted_figures`, written on a last sheet when there are any;
    ``as_of`` is :func:`plans.selectors.figures.figures_as_of`; ``exported_at`` the time of the
    export, also the workbook's creation time; with ``approved_only`` the summary says that only
    approved reports' figures count (as :func:`plans.selectors.figures.year_figures` computed
    them); ``forecasts`` the programme targets the plan's targets are milestones of
    (:func:`plans.selectors.programmes.plan_forecasts`), on a sheet of their own when any.
    """
    with WorkbookWriter(created=exported_at) as book:
        summary_name = _("Tổng hợp")[:SHEET_NAME_MAX]
        numbered = _summary_sheet(book, province=province, year=year, plan=plan, groups=groups,
                                  as_of=as_of, approved_only=approved_only,
                                  exported_at=exported_at)

        taken, labels, as_of_line = {summary_name.lower()}, _row_labels(), _as_of_line(as_of)
        untargeted_name = _("Ngoài kế hoạch")[:SHEET_NAME_MAX]
        taken.add(untargeted_name.lower())
        for position, item in enumerate(numbered, 1):
            reported, not_reported = figures.get(item.target.pk, ([], []))
            _target_sheet(book, sheet_name(position, item.target.indicator.name, taken), item=item,
                          reported=reported, not_reported=not_reported, labels=labels,
                          province=province, year=year, as_of_line=as_of_line)
        if untargeted:
            _untargeted_sheet(book, untargeted_name, untargeted=untargeted, labels=labels,
                              province=province, year=year, as_of_line=as_of_line)
        if forecasts:
            # Imported here: the programmes sheet builds on this module's cells and set-up.
            from plans.outputs.programme_sheet import forecasts_sheet

            forecasts_sheet(book, _("Chương trình")[:SHEET_NAME_MAX], forecasts=forecasts,
                            province=province, year=year, as_of_line=as_of_line)
        return book.close()
