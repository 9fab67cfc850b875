"""The on-track forecast of docs/FORMATS.md (plans.rules.forecast), as a table and as properties.

The method: a straight line through the first and the latest year with a figure (from the year
before the programme's first year to its last year), extended to the last year; exact fractions.
"""

from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from egov_targets.vocabulary import ForecastStatus
from plans.rules.forecast import Forecast, forecast, held_in_range
from plans.rules.progress import meets
from plans.words import forecast as words

MET, ON_TRACK, SLOW = ForecastStatus.MET, ForecastStatus.ON_TRACK, ForecastStatus.SLOW
NO_PROGRESS, MISSED, NO_DATA = (
    ForecastStatus.NO_PROGRESS, ForecastStatus.MISSED, ForecastStatus.NO_DATA,
)
F = Fraction

# (series, first, last, comparator, target, unit, status, projected, needed per year)
CASES = [
    # No data: an empty series, and figures only outside first_year - 1 .. last_year.
    ({}, 2021, 2025, ">=", "80", "percent", NO_DATA, None, None),
    ({2018: F(50), 2026: F(90)}, 2021, 2025, ">=", "80", "percent", NO_DATA, None, None),
    # One point: no line, but what is needed per year is known.
    ({2022: F(40)}, 2021, 2025, ">=", "80", "percent", NO_DATA, None, F(40, 3)),
    # The baseline year (first_year - 1) counts.
    ({2020: F(40), 2022: F(60)}, 2021, 2025, ">=", "80", "percent", ON_TRACK, F(90), F(20, 3)),
    # Already met: met whatever the line says (here it falls).
    ({2021: F(95), 2023: F(85)}, 2021, 2025, ">=", "80", "percent", MET, F(75), F(-5, 2)),
    # Exactly at a ">=" threshold is met; at a ">" threshold it is not.
    ({2021: F(70), 2023: F(80)}, 2021, 2025, ">=", "80", "percent", MET, F(90), F(0)),
    ({2021: F(70), 2023: F(80)}, 2021, 2025, ">", "80", "percent", ON_TRACK, F(90), F(0)),
    # Rising too slowly: slow, with 6.5 points a year still needed.
    ({2021: F(40), 2023: F(47)}, 2021, 2025, ">=", "60", "percent", SLOW, F(54), F(13, 2)),
    # Falling, and flat: no progress.
    ({2021: F(60), 2023: F(50)}, 2021, 2025, ">=", "80", "percent", NO_PROGRESS, F(40), F(15)),
    ({2021: F(50), 2023: F(50)}, 2021, 2025, ">=", "80", "percent", NO_PROGRESS, F(50), F(15)),
    # Capped percentage: the line would pass 100 %, the projection stops there.
    ({2020: F(20), 2021: F(80)}, 2021, 2025, ">=", "100", "percent", ON_TRACK, F(100), F(5)),
    # Capped at zero: a falling count does not go below nothing.
    ({2021: F(9), 2022: F(3)}, 2021, 2025, ">=", "10", "count", NO_PROGRESS, F(0), F(7, 3)),
    # A count: 3 services in 2021, 5 in 2023, 9 wanted by 2025 (7 projected).
    ({2021: F(3), 2023: F(5)}, 2021, 2025, ">=", "9", "count", SLOW, F(7), F(2)),
    # A "less than" target reached by a falling series.
    ({2021: F(30), 2023: F(20)}, 2021, 2025, "<", "15", "percent", ON_TRACK, F(10),
     F(-5, 2)),
    # The latest figure is of the last year and falls short: missed, nothing more needed.
    ({2021: F(40), 2025: F(70)}, 2021, 2025, ">=", "80", "percent", MISSED, F(70), None),
    ({2025: F(70)}, 2021, 2025, ">=", "80", "percent", MISSED, None, None),
    # A gap in the series: the latest year with a figure, not the current one.
    ({2021: F(10), 2022: F(20), 2024: F(40)}, 2021, 2030, ">=", "100", "percent", ON_TRACK,
     F(100), F(10)),
]


@pytest.mark.parametrize(
    ("series", "first", "last", "comparator", "target", "unit", "status", "projected", "needed"),
    CASES,
)
def test_it_forecasts_by_the_contracts_method(
    series, first, last, comparator, target, unit, status, projected, needed
):
    result = forecast(series=series, first_year=first, last_year=last, comparator=comparator,
                      target=Decimal(target), unit=unit)

    assert (result.status, result.projected, result.needed_per_year) == (
        status, projected, needed
    )


def test_it_names_the_base_and_latest_points():
    result = forecast(series={2019: F(10), 2020: F(30), 2022: F(40), 2023: F(45)},
                      first_year=2021, last_year=2025, comparator=">=", target=80,
                      unit="percent")

    assert (result.base_year, result.base_value, result.latest_year, result.latest_value) == (
        2020, F(30), 2023, F(45)
    )
    assert result.slope == F(5)


def test_it_refuses_an_unknown_unit_or_a_programme_ending_before_it_starts():
    with pytest.raises(ValueError):
        forecast(series={}, first_year=2021, last_year=2025, comparator=">=", target=1,
                 unit="points")
    with pytest.raises(ValueError):
        forecast(series={}, first_year=2026, last_year=2025, comparator=">=", target=1,
                 unit="count")


# Properties -----------------------------------------------------------------------------------

years = st.integers(min_value=2015, max_value=2035)
percents = st.fractions(min_value=0, max_value=100, max_denominator=1000)
comparators = st.sampled_from([">=", ">", "<=", "<"])
targets = st.decimals(min_value=0, max_value=100, places=1)


# Exact fractions of a few points: no deadline, since a loaded machine makes a pure
# computation miss hypothesis's default 200 ms without anything being wrong.
patient = settings(deadline=None)


@st.composite
def cases(draw):
    first = draw(years)
    last = draw(st.integers(min_value=first, max_value=first + 10))
    series = draw(st.dictionaries(st.integers(min_value=first - 3, max_value=last + 3),
                                  percents, max_size=8))
    return series, first, last, draw(comparators), draw(targets)


@patient
@given(cases())
def test_it_projects_a_percentage_within_0_and_100(case):
    series, first, last, comparator, target = case
    result = forecast(series=series, first_year=first, last_year=last, comparator=comparator,
                      target=target, unit="percent")

    assert result.projected is None or 0 <= result.projected <= 100


@patient
@given(cases())
def test_it_says_met_exactly_when_the_latest_figure_meets_the_target(case):
    series, first, last, comparator, target = case
    result = forecast(series=series, first_year=first, last_year=last, comparator=comparator,
                      target=target, unit="percent")

    if result.latest_value is None:
        assert result.status == NO_DATA
    else:
        assert (result.status == MET) == meets(comparator, result.latest_value, target)


@patient
@given(cases())
def test_it_reaches_the_target_when_the_needed_change_is_kept_up(case):
    series, first, last, comparator, target = case
    result = forecast(series=series, first_year=first, last_year=last, comparator=comparator,
                      target=target, unit="percent")

    if result.needed_per_year is not None:
        assert result.latest_year is not None and result.latest_value is not None
        years_left = last - result.latest_year
        assert result.latest_value + result.needed_per_year * years_left == Fraction(target)


@patient
@given(cases())
def test_it_says_slow_only_for_a_rising_line_that_falls_short(case):
    series, first, last, comparator, target = case
    result = forecast(series=series, first_year=first, last_year=last, comparator=comparator,
                      target=target, unit="percent")

    if result.status == SLOW:
        assert result.slope is not None and result.slope > 0
        assert not meets(comparator, result.projected, target)
    if result.status == NO_PROGRESS:
        assert result.slope is not None and result.slope <= 0


@given(st.fractions(min_value=-1000, max_value=1000))
def test_it_holds_a_count_at_zero_or_above_and_a_percent_within_0_and_100(value):
    assert held_in_range(value, "count") == max(value, 0)
    assert held_in_range(value, "percent") == min(max(value, 0), 100)


# Words ----------------------------------------------------------------------------------------

SERVICES = SimpleNamespace(code="PUBLIC_SERVICES_FULL", kind="ratio")
MEETINGS = SimpleNamespace(code="ONLINE_MEETINGS_X", kind="count")


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (MET, "Đã đạt"),
        (ON_TRACK, "Đúng tiến độ"),
        (SLOW, "Chậm"),
        (NO_PROGRESS, "Không tiến triển hoặc đi lùi"),
        (NO_DATA, "Chưa đủ số liệu"),
        (MISSED, "Không đạt khi kết thúc chương trình"),
    ],
)
def test_it_names_each_forecast_in_vietnamese(status, label):
    with translation.override("vi"):
        assert words.forecast_label(status) == label
    assert words.forecast_class(status) == f"forecast-{status}"


def test_it_says_the_yearly_change_needed_in_percentage_points():
    result = forecast(series={2021: F(40), 2023: F(47)}, first_year=2021, last_year=2025,
                      comparator=">=", target=60, unit="percent")

    with translation.override("vi"):
        assert words.needed_text(result, "percent", SERVICES) == (
            "cần tăng thêm 6,5 điểm % mỗi năm"
        )
        assert words.forecast_in_words(result, unit="percent", last_year=2025,
                                       indicator=SERVICES) == (
            "Chậm. Theo đà hiện nay, năm 2025 đạt khoảng 54,0 %. "
            "Để đạt chỉ tiêu, cần tăng thêm 6,5 điểm % mỗi năm."
        )
    with translation.override("en"):
        assert words.needed_text(result, "percent", SERVICES) == (
            "needs to rise by 6.5 % points a year"
        )


def test_it_says_a_count_and_a_fall_in_words():
    rising = forecast(series={2021: F(3), 2023: F(5)}, first_year=2021, last_year=2025,
                      comparator=">=", target=8, unit="count")
    falling = forecast(series={2021: F(30), 2023: F(28)}, first_year=2021, last_year=2025,
                       comparator="<", target=15, unit="percent")

    with translation.override("vi"):
        assert words.needed_text(rising, "count", SERVICES) == "cần tăng thêm 1,5 dịch vụ mỗi năm"
        assert words.projected_text(rising.projected, "count", MEETINGS) == "7,0"
        assert words.series_value_text(F(5), "count", SERVICES) == "5 dịch vụ"
        assert words.needed_text(falling, "percent", SERVICES) == (
            "cần giảm 6,5 điểm % mỗi năm"
        )


def test_it_says_nothing_is_needed_once_met_or_finished():
    met = forecast(series={2021: F(90)}, first_year=2021, last_year=2025, comparator=">=",
                   target=80, unit="percent")
    missed = forecast(series={2025: F(70)}, first_year=2021, last_year=2025, comparator=">=",
                      target=80, unit="percent")

    with translation.override("vi"):
        assert words.needed_text(met, "percent", SERVICES) == ""
        assert words.needed_text(missed, "percent", SERVICES) == ""
        assert words.forecast_in_words(missed, unit="percent", last_year=2025,
                                       indicator=SERVICES) == (
            "Không đạt khi kết thúc chương trình."
        )
        assert words.forecast_in_words(Forecast(status=NO_DATA), unit="percent",
                                       last_year=2025, indicator=SERVICES) == "Chưa đủ số liệu."
