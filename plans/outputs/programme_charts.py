"""The chart of a programme target: its series, each year's milestone, the line to the end.

Drawn by :func:`plans.outputs.charts.trend_svg` (server-rendered SVG): the achieved values
year by year with the plans' milestones, and a second line from the latest figure to the
projection for the programme's last year, where the programme's own target is marked.
"""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from plans.outputs import charts
from plans.rules import progress
from plans.selectors.programmes import TargetForecast
from plans.words.wording import number_text, whole_percent_text


def forecast_chart(item: TargetForecast, *, title_id: str) -> SafeString:
    """Return the SVG chart of ``item``: achieved values, milestones and the projection."""
    target, result = item.target, item.forecast
    programme = target.programme
    places = 1 if target.unit == progress.PERCENT else 0
    achieved = charts.Series(label=_("Đạt được"))
    for point in item.points:
        if point.achieved is not None:
            achieved.achieved[point.year] = progress.round_half_away(point.achieved, places)
        if point.milestone is not None and point.milestone.unit == target.unit:
            achieved.targets[point.year] = point.milestone.value
    projection = charts.Series(label=_("Theo đà hiện nay"))
    if result.projected is not None and result.latest_year is not None:
        assert result.latest_value is not None  # a projection has a latest point
        projection.achieved[result.latest_year] = progress.round_half_away(
            result.latest_value, places
        )
        projection.achieved[programme.last_year] = progress.round_half_away(
            result.projected, places
        )
    projection.targets[programme.last_year] = target.value
    title = _("%(indicator)s (%(scope)s) – %(programme)s") % {
        "indicator": target.indicator.name,
        "scope": target.scope_in_words(),
        "programme": programme.name,
    }
    return charts.trend_svg(
        series=[achieved, projection],
        years=list(range(programme.first_year - 1, programme.last_year + 1)),
        unit=target.unit,
        title=title,
        format_number=(
            whole_percent_text if target.unit == progress.PERCENT
            else (lambda value: number_text(value, 0))
        ),
        target_label=_("Chỉ tiêu từng năm; chỉ tiêu của chương trình ở năm cuối"),
        title_id=title_id,
    )
