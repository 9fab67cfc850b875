"""A programme target's forecast in words: "Chậm", "cần tăng thêm 6,5 điểm % mỗi năm".

The one place the forecast of :mod:`plans.rules.forecast` is put into words: the programme page,
the year dashboard, the workbook and the printed report call these functions. Nothing is
recomputed here; numbers follow the active language (``6,5`` in Vietnamese).
"""

from fractions import Fraction

from django.utils.translation import gettext as _

from egov_targets.vocabulary import ForecastStatus, Unit
from plans.rules.forecast import Forecast
from plans.rules.progress import round_half_away
from plans.words.wording import DASH, count_noun, number_text


def forecast_label(status) -> str:
    """Return the forecast's status in words: Đúng tiến độ, Chậm, ..."""
    return str(ForecastStatus(status).label)


def forecast_class(status) -> str:
    """Return the CSS class that marks a forecast beside its label: ``forecast-slow``, ..."""
    return f"forecast-{ForecastStatus(status).value}"


def series_value_text(value: Fraction | None, unit: str, indicator) -> str:
    """Return a point of the series as the dashboard shows an achieved value: "85,0 %", "3"."""
    if value is None:
        return DASH
    if unit == Unit.PERCENT:
        return _("%(number)s %%") % {"number": number_text(round_half_away(value, 1), 1)}
    return _amount(round_half_away(value, 0), 0, indicator)


def projected_text(value: Fraction | None, unit: str, indicator) -> str:
    """Return a projected value with one decimal, for both units: "87,5 %", "4,5 dịch vụ"."""
    if value is None:
        return DASH
    rounded = round_half_away(value, 1)
    if unit == Unit.PERCENT:
        return _("%(number)s %%") % {"number": number_text(rounded, 1)}
    return _amount(rounded, 1, indicator)


def _amount(value, places: int, indicator) -> str:
    noun = count_noun(indicator)
    number = number_text(value, places)
    return _("%(number)s %(noun)s") % {"number": number, "noun": noun} if noun else number


def needed_text(result: Forecast, unit: str, indicator) -> str:
    """Return the yearly change still needed: "cần tăng thêm 6,5 điểm % mỗi năm", or "".

    Nothing for a target already met, and nothing when no change can be computed (no series,
    or the latest figure is of the programme's last year).
    """
    needed = result.needed_per_year
    if needed is None or result.status == ForecastStatus.MET or needed == 0:
        return ""
    rounded = round_half_away(abs(needed), 1)
    if unit == Unit.PERCENT:
        amount = _("%(number)s điểm %%") % {"number": number_text(rounded, 1)}
    else:
        amount = _amount(rounded, 1, indicator)
    if needed > 0:
        return _("cần tăng thêm %(amount)s mỗi năm") % {"amount": amount}
    return _("cần giảm %(amount)s mỗi năm") % {"amount": amount}


def projection_sentence(result: Forecast, *, unit: str, last_year: int, indicator) -> str:
    """Return where the series leads: "Theo đà hiện nay, năm 2025 đạt khoảng 87,5 %.", or ""."""
    if result.projected is None or result.latest_year == last_year:
        return ""
    return _("Theo đà hiện nay, năm %(year)s đạt khoảng %(value)s.") % {
        "year": last_year,
        "value": projected_text(result.projected, unit, indicator),
    }


def forecast_in_words(result: Forecast, *, unit: str, last_year: int, indicator) -> str:
    """Return the forecast as one line: status, where it leads, and what is still needed."""
    details = forecast_details(result, unit=unit, last_year=last_year, indicator=indicator)
    label = forecast_label(result.status) + "."
    return f"{label} {details}" if details else label


def forecast_details(result: Forecast, *, unit: str, last_year: int, indicator) -> str:
    """Return where the series leads and what is still needed, without the status, or ""."""
    parts = []
    projection = projection_sentence(result, unit=unit, last_year=last_year, indicator=indicator)
    if projection:
        parts.append(projection)
    needed = needed_text(result, unit, indicator)
    if needed:
        parts.append(_("Để đạt chỉ tiêu, %(needed)s.") % {"needed": needed})
    return " ".join(parts)
