"""Charts rendered on the server as SVG: a progress bar with its target marked, a trend chart.

Pure functions: figures in, markup out, no database and no request. Every text that reaches the
markup goes through ``format_html`` (escaped); coordinates are written with a dot whatever the
active language, since SVG needs them so. Colours are presentation attributes, not inline
styles, because the Content-Security-Policy forbids inline styles.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from plans.rules import progress

STATUS_COLOURS: dict[str, str] = {
    progress.Status.MET: "#14632f",
    progress.Status.NOT_MET: "#a01818",
    progress.Status.NO_DATA: "#5b6470",
}
TRACK_COLOUR = "#e6eaee"
MARKER_COLOUR = "#1b1f24"
# Colour-blind-safe series colours (Okabe–Ito), dark enough for text contrast on white.
SERIES_COLOURS = ["#0b4f9c", "#a04a00", "#14632f", "#7a1f7a", "#5b6470"]


def _coord(number) -> str:
    """Return a coordinate for SVG: a dot decimal separator, at most one decimal."""
    return f"{float(number):.1f}"


@dataclass(frozen=True)
class Bar:
    """A progress bar: the filled share and the target marker, both in percent of the width."""

    fill: Decimal
    marker: Decimal | None
    status: str


def bar(prog: progress.Progress) -> Bar:
    """Return the bar of ``prog``: a percent fills its own share; a count is scaled to the larger
    of its achievement and its target, so that the marker stays inside the bar."""
    achieved = prog.achieved
    target = Fraction(prog.target)
    if prog.unit == progress.PERCENT:
        fill = min(max(achieved or Fraction(0), Fraction(0)), Fraction(100))
        marker = min(max(target, Fraction(0)), Fraction(100))
    else:
        scale = max(achieved or Fraction(0), target)
        if scale <= 0:
            fill, marker = Fraction(0), Fraction(0)
        else:
            fill = 100 * (achieved or Fraction(0)) / scale
            marker = 100 * target / scale
    return Bar(
        fill=progress.round_half_away(fill, 1),
        marker=progress.round_half_away(marker, 1),
        status=prog.status,
    )


def bar_svg(prog: progress.Progress, *, label: str) -> SafeString:
    """Return the SVG markup of ``prog``'s bar; ``label`` is its text alternative."""
    shape = bar(prog)
    colour = STATUS_COLOURS.get(shape.status, STATUS_COLOURS[progress.Status.NO_DATA])
    return format_html(
        '<svg class="bar" viewBox="0 0 100 12" preserveAspectRatio="none" width="100%" '
        'height="14" role="img" aria-label="{label}" focusable="false">'
        "<title>{label}</title>"
        '<rect x="0" y="2" width="100" height="8" fill="{track}"/>'
        '<rect x="0" y="2" width="{fill}" height="8" fill="{colour}"/>'
        '<line x1="{marker}" x2="{marker}" y1="0" y2="12" stroke="{marker_colour}" '
        'stroke-width="1.2" vector-effect="non-scaling-stroke"/>'
        "</svg>",
        label=label,
        track=TRACK_COLOUR,
        fill=_coord(shape.fill),
        colour=colour,
        marker=_coord(shape.marker),
        marker_colour=MARKER_COLOUR,
    )


@dataclass
class Series:
    """One line of a trend chart: achieved values and targets by year (None where missing)."""

    label: str
    achieved: dict[int, Decimal | None] = field(default_factory=dict)
    targets: dict[int, Decimal] = field(default_factory=dict)


def _nice_ceiling(number: Decimal) -> Decimal:
    """Return a round number at or above ``number`` for a count axis: 1, 2, 5 × 10^n."""
    if number <= 0:
        return Decimal(1)
    magnitude = Decimal(1)
    while magnitude * 10 <= number:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= number:
            return step * magnitude
    return 10 * magnitude


def trend_svg(
    *,
    series: list[Series],
    years: list[int],
    unit: str,
    title: str,
    format_number,
    target_label: str,
    title_id: str = "trend-title",
) -> SafeString:
    """Return a line chart of achieved values by year with each year's target marked.

    ``format_number`` formats an axis label in the active language (``85,0``); ``target_label``
    names the target marks in the legend. ``years`` is the x axis, oldest first. ``title_id``
    keeps the title's id unique when a page shows several charts.
    """
    width, left, right, top, plot_h = 640, 56, 16, 16, 212
    # Two legend entries per row under the x axis, the target mark on a row of its own.
    legend_rows = (len(series) + 1) // 2 + 1
    height = top + plot_h + 44 + 16 * legend_rows
    plot_w = width - left - right

    if unit == progress.PERCENT:
        y_max = Decimal(100)
    else:
        values = [v for s in series for v in s.achieved.values() if v is not None]
        values += [v for s in series for v in s.targets.values()]
        y_max = _nice_ceiling(max(values, default=Decimal(1)))

    def x_of(year):
        if len(years) == 1:
            return left + plot_w / 2
        return left + plot_w * (years.index(year) / (len(years) - 1))

    def y_of(value):
        return top + plot_h * (1 - float(Decimal(value) / y_max))

    parts = [
        format_html(
            '<svg class="trend" viewBox="0 0 {w} {h}" width="100%" role="img" '
            'aria-labelledby="{title_id}" focusable="false">'
            '<title id="{title_id}">{title}</title>',
            w=width,
            h=height,
            title=title,
            title_id=title_id,
        )
    ]
    # Grid and y axis labels: five steps.
    for step in range(5):
        value = y_max * step / 4
        y = y_of(value)
        parts.append(
            format_html(
                '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="#c9d1d9" stroke-width="1"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" font-size="12" fill="#1b1f24">'
                "{label}</text>",
                x1=left,
                x2=width - right,
                y=_coord(y),
                tx=left - 6,
                ty=_coord(y + 4),
                label=format_number(value),
            )
        )
    for year in years:
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="middle" font-size="12" fill="#1b1f24">'
                "{year}</text>",
                x=_coord(x_of(year)),
                y=top + plot_h + 18,
                year=year,
            )
        )
    for index, line in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        points = [(x_of(y), y_of(v)) for y, v in sorted(line.achieved.items()) if v is not None]
        if len(points) > 1:
            parts.append(
                format_html(
                    '<polyline points="{points}" fill="none" stroke="{colour}" '
                    'stroke-width="2.5"/>',
                    points=" ".join(f"{_coord(x)},{_coord(y)}" for x, y in points),
                    colour=colour,
                )
            )
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
                ((_coord(x), _coord(y), colour) for x, y in points),
            )
        )
        # Each year's target: a short dashed bar across the year's position.
        parts.append(
            format_html_join(
                "",
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="4 3"/>',
                (
                    (
                        _coord(x_of(year) - 14),
                        _coord(x_of(year) + 14),
                        _coord(y_of(value)),
                        _coord(y_of(value)),
                        colour,
                    )
                    for year, value in sorted(line.targets.items())
                ),
            )
        )
        legend_y = top + plot_h + 38 + 16 * (index // 2)
        legend_x = left + (plot_w / 2) * (index % 2)
        parts.append(
            format_html(
                '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{colour}" '
                'stroke-width="2.5"/>'
                '<text x="{tx}" y="{ty}" font-size="12" fill="#1b1f24">{label}</text>',
                x1=_coord(legend_x),
                x2=_coord(legend_x + 18),
                y=_coord(legend_y),
                colour=colour,
                tx=_coord(legend_x + 24),
                ty=_coord(legend_y + 4),
                label=line.label,
            )
        )
    legend_y = top + plot_h + 38 + 16 * ((len(series) + 1) // 2)
    parts.append(
        format_html(
            '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="#1b1f24" stroke-width="2" '
            'stroke-dasharray="4 3"/>'
            '<text x="{tx}" y="{ty}" font-size="12" fill="#1b1f24">{label}</text>',
            x1=left,
            x2=left + 18,
            y=_coord(legend_y),
            tx=left + 24,
            ty=_coord(legend_y + 4),
            label=target_label,
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))
