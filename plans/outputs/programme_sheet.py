"""The programmes sheet of the progress workbook: each programme target of the year's plan
with its series' first and latest figure, the projection and the forecast.

Written by :func:`plans.outputs.workbook.progress_xlsx` after the target sheets, with the same
title, print set-up and cells (numbers a spreadsheet computes with, text never a formula).
"""

from django.utils.translation import gettext as _

from plans.files.xlsx_writing import Number, WorkbookWriter
from plans.outputs.workbook import _sheet_title, _start, achieved_number, target_number
from plans.rules import progress
from plans.words.forecast import forecast_in_words, forecast_label

ONE_DECIMAL = "0.0"


def _one_decimal(value) -> Number | None:
    """Return a projected value or a yearly change with one decimal (points for a percent)."""
    if value is None:
        return None
    return Number(progress.round_half_away(value, 1), ONE_DECIMAL)


def _point(value, unit: str) -> Number | None:
    if value is None:
        return None
    places = 1 if unit == progress.PERCENT else 0
    return achieved_number(progress.round_half_away(value, places), unit)


def forecasts_sheet(book: WorkbookWriter, name: str, *, forecasts, province, year: int,
                    as_of_line: str) -> None:
    """Write the sheet ``name``: one row per programme target of ``forecasts``
    (TargetForecast items)."""
    sheet = _start(
        book,
        name,
        title=_sheet_title(_("Tiến độ các chương trình nhiều năm"), province=province, year=year),
        lines=[
            _("Dự báo theo đường thẳng qua năm đầu tiên và năm gần nhất có số liệu, kéo dài "
              "đến năm cuối của chương trình. Dự báo và mức cần tăng mỗi năm làm tròn một chữ "
              "số thập phân (điểm phần trăm với chỉ tiêu phần trăm)."),
            as_of_line,
        ],
        widths=[40, 20, 30, 12, 12, 8, 10, 8, 10, 10, 10, 18, 50],
        headers=[
            _("Chỉ tiêu"), _("Phạm vi"), _("Chương trình"), _("Giai đoạn"),
            _("Chỉ tiêu năm cuối"), _("Năm gốc"), _("Giá trị gốc"), _("Năm gần nhất"),
            _("Giá trị gần nhất"), _("Dự báo năm cuối"), _("Cần thay đổi mỗi năm"),
            _("Dự báo"), _("Diễn giải"),
        ],
    )
    for item in forecasts:
        target, result, programme = item.target, item.forecast, item.target.programme
        sheet.append([
            target.indicator.name,
            target.scope_in_words(),
            programme.name,
            f"{programme.first_year}–{programme.last_year}",
            target_number(target),
            result.base_year,
            _point(result.base_value, target.unit),
            result.latest_year,
            _point(result.latest_value, target.unit),
            _one_decimal(result.projected),
            _one_decimal(result.needed_per_year),
            forecast_label(result.status),
            forecast_in_words(result, unit=target.unit, last_year=programme.last_year,
                              indicator=target.indicator),
        ])
