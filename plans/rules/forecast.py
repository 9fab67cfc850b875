"""The on-track forecast of a programme target (docs/FORMATS.md): numbers in, numbers out.

A programme sets a value to reach by its last year. The forecast draws a straight line through
the first and the latest year of the province's series that have a figure, extends it to the
last year and says where the target will stand then. Everything is exact (fractions); rounding
belongs to whoever shows or writes the figures.

No database and no request: :mod:`plans.selectors.programmes` gathers the series, the pages,
the workbook and the CSV export show what :func:`forecast` returns.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from egov_targets.vocabulary import ForecastStatus, Unit
from plans.rules.progress import meets

PERCENT_CEILING = Fraction(100)


@dataclass(frozen=True)
class Forecast:
    """Where a programme target stands and where its series leads by ``last_year``.

    ``base_year``/``base_value`` and ``latest_year``/``latest_value`` are the first and the
    latest point of the series (None without a series); ``projected`` is the line through them
    extended to ``last_year`` (None with fewer than two points); ``needed_per_year`` is the
    yearly change that would still reach the target (None without a series, or once the
    latest figure is of the last year).
    """

    status: str
    base_year: int | None = None
    base_value: Fraction | None = None
    latest_year: int | None = None
    latest_value: Fraction | None = None
    slope: Fraction | None = None
    projected: Fraction | None = None
    needed_per_year: Fraction | None = None


def held_in_range(value: Fraction, unit: str) -> Fraction:
    """Return ``value`` held within what the unit allows: 0–100 for a percent, ≥ 0 for a count."""
    value = max(value, Fraction(0))
    if unit == Unit.PERCENT:
        value = min(value, PERCENT_CEILING)
    return value


def forecast(
    *,
    series: dict[int, Fraction],
    first_year: int,
    last_year: int,
    comparator: str,
    target: Decimal | int,
    unit: str,
) -> Forecast:
    """Return the forecast of a target of ``comparator`` ``target`` in ``unit`` by ``last_year``.

    ``series`` maps a year to the province's exact achieved value that year; only the years
    from ``first_year - 1`` (the baseline) to ``last_year`` count, as the contract says.
    """
    if unit not in Unit.values:
        raise ValueError(f"unknown unit {unit!r}")
    if first_year > last_year:
        raise ValueError("first_year must not come after last_year")
    points = {
        year: Fraction(value)
        for year, value in series.items()
        if first_year - 1 <= year <= last_year
    }
    if not points:
        return Forecast(status=ForecastStatus.NO_DATA)
    base_year, latest_year = min(points), max(points)
    base_value, latest_value = points[base_year], points[latest_year]
    goal = Fraction(target)
    needed = (
        (goal - latest_value) / (last_year - latest_year) if latest_year < last_year else None
    )
    slope = projected = None
    if latest_year > base_year:
        slope = (latest_value - base_value) / (latest_year - base_year)
        projected = held_in_range(latest_value + slope * (last_year - latest_year), unit)
    if meets(comparator, latest_value, target):
        status = ForecastStatus.MET
    elif latest_year == last_year:
        status = ForecastStatus.MISSED
    elif slope is None or projected is None:
        # One point: no line to extend.
        status = ForecastStatus.NO_DATA
    elif meets(comparator, projected, target):
        status = ForecastStatus.ON_TRACK
    elif slope > 0:
        status = ForecastStatus.SLOW
    else:
        status = ForecastStatus.NO_PROGRESS
    return Forecast(
        status=status,
        base_year=base_year,
        base_value=base_value,
        latest_year=latest_year,
        latest_value=latest_value,
        slope=slope,
        projected=projected,
        needed_per_year=needed,
    )
