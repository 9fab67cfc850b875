"""Template filters of the dashboard: thin wrappers of :mod:`plans.words.wording` and the bar chart.

The words themselves live in :mod:`plans.words.wording`, which the comparison, the workbook and the
views call too; a filter here only makes a function available to templates.
"""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def _agency_page_prefix(province, year) -> str:
    """Return the address of an agency's read-only page without its code: made once, not
    once per row."""
    return reverse("plans:dashboard_agency", args=[province.code, year, "-"])[:-2]


@register.simple_tag
def reported_rows(reported, target, province, year, agency_links) -> SafeString:
    """Render the rows of a target page's table of agencies that reported.

    Hundreds of rows in a large province: built in one pass with the words translated and the
    address made once, rather than a template's nodes, translations and ``{% url %}`` per row
    (what the template did, for the same HTML).
    """
    lagging_cell = f'<td><span class="status status-not_met">{escape(_("Chưa đạt"))}</span></td>'
    met_cell = f'<td><span class="status status-met">{escape(_("Đạt"))}</span></td>'
    summed = escape(_("cộng vào tổng của tỉnh"))
    summed_cell = f'<td><span class="muted">{summed}</span></td>'
    no_files = f'<td class="num"><span class="muted">{escape(_("không có"))}</span></td>'
    prefix = _agency_page_prefix(province, year) if agency_links else ""
    tiers: dict[str, str] = {}
    rows = []
    for figure in reported:
        agency = figure.agency
        code, name = escape(agency.code), escape(agency.display_name)
        if agency.tier not in tiers:
            tiers[agency.tier] = escape(agency.get_tier_display())
        url = f"{prefix}{code}/"
        named = f'<a href="{url}">{name}</a>' if agency_links else name
        if figure.lagging:
            verdict = lagging_cell
        elif figure.lagging is False:
            verdict = met_cell
        else:
            verdict = summed_cell
        note = escape(figure.result.note) if figure.result is not None else ""
        cells = [
            '<tr class="lagging">' if figure.lagging else "<tr>",
            f'<th scope="row">{named} <span class="code">{code}</span></th>',
            f"<td>{tiers[agency.tier]}</td>",
            f'<td class="num">{escape(wording.agency_figure_text(figure, target))}</td>',
            verdict,
            f"<td>{note}</td>",
        ]
        if agency_links:
            files = getattr(agency, "evidence_count", 0)
            if files:
                words = escape(ngettext("%(counter)s tệp", "%(counter)s tệp", files)
                               % {"counter": files})
                cells.append(f'<td class="num"><a href="{url}#evidence">{words}</a></td>')
            else:
                cells.append(no_files)
        cells.append("</tr>")
        rows.append("".join(cells))
    return mark_safe("\n".join(rows))


@register.simple_tag
def not_reported_items(not_reported, province, year, agency_links) -> SafeString:
    """Render the list items of a target page's agencies that did not report, in one pass."""
    prefix = _agency_page_prefix(province, year) if agency_links else ""
    tiers: dict[str, str] = {}
    items = []
    for figure in not_reported:
        agency = figure.agency
        code, name = escape(agency.code), escape(agency.display_name)
        if agency.tier not in tiers:
            tiers[agency.tier] = escape(agency.get_tier_display())
        named = f'<a href="{prefix}{code}/">{name}</a>' if agency_links else name
        items.append(f'<li>{named} <span class="code">{code}</span> – {tiers[agency.tier]}</li>')
    return mark_safe("".join(items))
