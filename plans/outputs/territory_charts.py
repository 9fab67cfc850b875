"""The charts of a trend over the years: a merged province's territory figures (one line across
the merger) and a series split at a change of definition (one line per indicator).

Drawn by :func:`plans.outputs.charts.trend_svg`. Years whose figures include the predecessors'
agencies are on the same line as the province's own: the page's table marks which they are.
"""

import re

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from plans.outputs import charts
from plans.rules import progress
from plans.rules.tiers import tiers_in_words
from plans.selectors.comparable import ComparableSeries
from plans.selectors.territory import TerritoryTrend
from plans.words.wording import number_text, whole_percent_text

BRACKETED = re.compile(r"\([^)]*\)")


def territory_chart(trend: TerritoryTrend, *, targets: dict, title: str,
                    title_id: str) -> SafeString:
    """Return the SVG chart of ``trend``; ``targets`` maps a year to the plan's target value."""
    line = charts.Series(label=_("Trên địa bàn hiện nay (%(scope)s)")
                         % {"scope": tiers_in_words(trend.tiers)})
    for point in trend.points:
        line.achieved[point.year] = point.progress.achieved_rounded
    line.targets.update(targets)
    years = sorted(set(line.achieved) | set(targets))
    return charts.trend_svg(
        series=[line],
        years=list(range(years[0], years[-1] + 1)) if years else [],
        unit=trend.unit,
        title=title,
        format_number=(
            whole_percent_text if trend.unit == progress.PERCENT
            else (lambda value: number_text(value, 0))
        ),
        target_label=_("Chỉ tiêu của từng năm"),
        title_id=title_id,
    )


def comparable_chart(series: ComparableSeries, *, targets: dict, title: str,
                     title_id: str) -> SafeString:
    """Return the SVG chart of a series split at a change of definition: two lines, one per
    indicator, never joined across the break; ``targets`` maps a year to the plan's target."""
    lines = []
    for points, label in (
        (series.before, _("%(indicator)s (đến %(year)s)")),
        (series.after, _("%(indicator)s (từ %(year)s)")),
    ):
        if not points:
            continue
        year = series.from_year - 1 if points is series.before else series.from_year
        # The name without its bracketed part ("(Nghị định 42/2022)"): a legend entry has half
        # the chart's width; the page's note gives the names whole.
        name = " ".join(BRACKETED.sub(" ", points[0].indicator.name).split())
        line = charts.Series(label=label % {"indicator": name or points[0].indicator.name,
                                            "year": year})
        for point in points:
            line.achieved[point.year] = point.point.progress.achieved_rounded
        lines.append(line)
    if lines:
        lines[-1].targets.update(targets)
    years = sorted({point.year for point in (*series.before, *series.after)} | set(targets))
    return charts.trend_svg(
        series=lines,
        years=list(range(years[0], years[-1] + 1)) if years else [],
        unit=series.unit,
        title=title,
        format_number=(
            whole_percent_text if series.unit == progress.PERCENT
            else (lambda value: number_text(value, 0))
        ),
        target_label=_("Chỉ tiêu của từng năm"),
        title_id=title_id,
    )
