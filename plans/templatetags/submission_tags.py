"""The reporting cycle on the entry and dashboard pages: deadlines and an agency's report."""

from django import template
from django.utils.translation import gettext as _

from plans.models import Profile
from plans.policy.access import may_report_for, role_of
from plans.selectors.status import agency_status
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
def submission_panel(context, plan, agency):
    """Show where ``agency``'s report stands, and the buttons the reader may use on it."""
    user = context["request"].user
    status = agency_status(plan, agency)
    reviewer = role_of(user) in (Profile.Role.OFFICER, Profile.Role.ADMIN)
    open_plan = plan.status == plan.Status.OPEN
    state = status.state
    return {
        "plan": plan,
        "agency": agency,
        "status": status,
        "submission": status.submission,
        "csrf_token": context.get("csrf_token"),
        "may_submit": open_plan and state in ("not_started", "draft", "returned")
        and may_report_for(user, agency),
        "may_review": open_plan and reviewer and state == "submitted",
        "may_reopen": open_plan and reviewer and state == "approved",
    }
