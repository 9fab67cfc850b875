"""Server-rendered SVG: bars with the target marked and trend lines, escaped and exact."""

from decimal import Decimal

from django.utils import translation

from plans.outputs import charts
from plans.rules import progress


def prog(*, unit="percent", target="80", numerator=3, denominator=4, reporting=4, in_scope=4,
         comparator=">"):
    kind = progress.YES_NO if unit == "percent" else progress.RATIO
    tally = progress.Tally(
        agencies_in_scope=in_scope, agencies_reporting=reporting, value_sum=numerator,
        numerator_sum=numerator, denominator_sum=denominator,
    )
    return progress.compute(kind=kind, unit=unit, comparator=comparator,
                            target=Decimal(target), tally=tally)


def test_it_fills_a_percent_bar_to_its_share_and_marks_the_target():
    shape = charts.bar(prog())
    assert shape.fill == Decimal("75.0")
    assert shape.marker == Decimal("80.0")
    assert shape.status == "not_met"


def test_it_scales_a_count_bar_to_the_larger_of_target_and_achievement():
    under = charts.bar(prog(unit="count", target="4", numerator=3))
    assert (under.fill, under.marker) == (Decimal("75.0"), Decimal("100.0"))
    over = charts.bar(prog(unit="count", target="3", numerator=6))
    assert (over.fill, over.marker) == (Decimal("100.0"), Decimal("50.0"))


def test_it_draws_an_empty_bar_without_data():
    shape = charts.bar(prog(reporting=0, numerator=0, denominator=0))
    assert shape.fill == Decimal("0.0")
    assert shape.marker == Decimal("80.0")
    assert shape.status == "no_data"
    zero = charts.bar(prog(unit="count", target="0", numerator=0, reporting=0))
    assert (zero.fill, zero.marker) == (Decimal("0.0"), Decimal("0.0"))


def test_it_rounds_bar_widths_half_away_from_zero():
    # 1 of 16 is 6.25 %: shown as 6.3, never 6.2.
    assert charts.bar(prog(numerator=1, reporting=16, in_scope=16)).fill == Decimal("6.3")


def test_it_escapes_the_bar_label_and_writes_dot_coordinates_in_vietnamese():
    with translation.override("vi"):
        svg = charts.bar_svg(prog(), label='<script>alert("x")</script> 75,0 %')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'width="75.0"' in svg
    assert 'x1="80.0"' in svg
    assert 'role="img"' in svg
    assert "<title>" in svg
    assert "style=" not in svg  # the Content-Security-Policy forbids inline styles


def test_it_colours_the_bar_by_status():
    assert charts.STATUS_COLOURS["met"] in charts.bar_svg(prog(target="50"), label="x")
    assert charts.STATUS_COLOURS["not_met"] in charts.bar_svg(prog(), label="x")


def series(label="sở, ban, ngành tỉnh"):
    line = charts.Series(label=label)
    line.achieved = {2017: Decimal("75.0"), 2018: None, 2019: Decimal("100.0")}
    line.targets = {2017: Decimal("80"), 2018: Decimal("90"), 2019: Decimal("90")}
    return line


def trend(lines, unit="percent", title="Chỉ tiêu"):
    return charts.trend_svg(
        series=lines, years=[2017, 2018, 2019], unit=unit, title=title,
        format_number=lambda value: f"{value:.0f}", target_label="Chỉ tiêu từng năm",
    )


def test_it_draws_a_line_per_scope_and_a_mark_per_target():
    svg = trend([series(), series("UBND cấp huyện")])
    assert svg.count("<polyline") == 2
    # Two points per line (2018 has no figure), three target marks per line.
    assert svg.count("<circle") == 4
    assert svg.count('stroke-dasharray="4 3"') == 7  # 6 marks and the legend's sample
    assert "sở, ban, ngành tỉnh" in svg
    assert "UBND cấp huyện" in svg


def test_it_places_percent_points_on_a_0_to_100_axis():
    svg = trend([series()])
    # Plot area: top 16, height 212; 100 % sits on the top line, 75 % a quarter down.
    assert 'cy="16.0"' in svg
    assert 'cy="69.0"' in svg


def test_it_rounds_a_count_axis_up_to_a_round_number():
    line = charts.Series(label="x", achieved={2017: Decimal("7")}, targets={2017: Decimal("3")})
    svg = charts.trend_svg(series=[line], years=[2017], unit="count", title="t",
                           format_number=str, target_label="t")
    assert ">10</text>" in svg
    assert charts._nice_ceiling(Decimal("29")) == Decimal("50")
    assert charts._nice_ceiling(Decimal("0")) == Decimal("1")


def test_it_escapes_every_text_of_the_trend_chart():
    svg = trend([series('<img src=x onerror="1">')], title="</title><script>1</script>")
    assert "<script>" not in svg
    assert "<img" not in svg
    assert "&lt;img" in svg
    assert "&lt;/title&gt;" in svg
    assert "style=" not in svg
