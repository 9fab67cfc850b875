"""Template filters of the dashboard: thin wrappers of :mod:`plans.words.wording` and the bar chart.

The words themselves live in :mod:`plans.words.wording`, which the comparison, the workbook and the
views call too; a filter here only makes a function available to templates.
"""

from django import template

from plans.outputs import charts
from plans.rules import progress
from plans.words import wording
from plans.words.wording import number_text  # noqa: F401  (the tags' tests format numbers with it)

register = template.Library()

achieved_text = register.filter("achieved_text", wording.achieved_text)
target_text = register.filter("target_text", wording.target_text)
status_label = register.filter("status_label", wording.status_label)
status_class = register.filter("status_class", wording.status_class)
completeness_text = register.filter("completeness_text", wording.completeness_text)
ratio_text = register.filter("ratio_text", wording.ratio_text)
agency_figure_text = register.filter("agency_figure_text", wording.agency_figure_text)
untargeted_text = register.filter("untargeted_text", wording.untargeted_text)
as_of_text = register.filter("as_of_text", wording.as_of_text)
provisional_text = register.filter("provisional_text", wording.provisional_text)
verdict_text = register.filter("verdict_text", wording.verdict_text)


@register.simple_tag
def progress_bar(prog: progress.Progress, target):
    """Render the bar of a target's progress, its text alternative naming figure and target."""
    return charts.bar_svg(prog, label=wording.progress_bar_label(prog, target))
