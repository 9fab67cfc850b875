"""The reporting cycle on the entry and dashboard pages: a plan's deadlines in words.

An agency's report panel is read by :func:`plans.selectors.status.submission_panel`.
"""

from django import template
from django.utils.translation import gettext as _

from plans.words.wording import date_text

register = template.Library()


@register.simple_tag
def plan_deadlines(plan) -> str:
    """Return "Hạn gửi báo cáo: dd/mm/yyyy · Ngày chốt số liệu: dd/mm/yyyy" (those set), or ""."""
    parts = []
    if plan.report_deadline:
        parts.append(_("Hạn gửi báo cáo: %(date)s") % {"date": date_text(plan.report_deadline)})
    if plan.data_cutoff:
        parts.append(_("Ngày chốt số liệu: %(date)s") % {"date": date_text(plan.data_cutoff)})
    return " · ".join(parts)


@register.inclusion_tag("plans/_submission_panel.html", takes_context=True)
def submission_panel(context, report):
    """Show where an agency's report stands and the buttons for the moves the reader may make.

    ``report`` (plans.views.entry.AgencyReport) carries everything: the status, the moves the
    table of plans.rules.cycle allows the reader, the changes since submission. Nothing is
    looked up or decided here.
    """
    return {
        "plan": report.plan,
        "agency": report.status.agency,
        "status": report.status,
        "submission": report.status.submission,
        "moves": report.moves,
        "changes": report.changes,
        "csrf_token": context.get("csrf_token"),
    }
