"""The reporting cycle on the entry and dashboard pages: a plan's deadlines in words.

An agency's report panel is read by :func:`plans.selectors.status.submission_panel`.
"""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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


@register.simple_tag
def status_rows(statuses, agency_url_prefix: str) -> SafeString:
    """Render the status board's rows: one per agency in scope (hundreds in a large province),
    built in one pass with the words translated once, rather than a template's nodes and
    translations per row. Times are Vietnam's, in the short date-time format."""
    if not statuses:
        return mark_safe(f'<tr><td colspan="8">{escape(_("Không có đơn vị nào."))}</td></tr>')
    late, overdue = escape(_("gửi muộn")), escape(_("quá hạn"))
    changed = escape(_("đã thay đổi"))
    changed_since = escape(_("đã thay đổi sau khi gửi"))
    labels: dict[str, str] = {}
    tiers: dict[str, str] = {}

    def moment(value) -> str:
        if value is None:
            return ""
        return escape(date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT"))

    rows = []
    for status in statuses:
        agency, submission = status.agency, status.submission
        code = escape(agency.code)
        url = f"{escape(agency_url_prefix)}{code}/"
        if status.state not in labels:
            labels[status.state] = escape(status.state_label)
        if agency.tier not in tiers:
            tiers[agency.tier] = escape(agency.get_tier_display())
        state = labels[status.state]
        if status.state == "returned" and submission is not None:
            state += f"<br><small>{escape(submission.return_reason)}</small>"
        lateness = late if status.late else overdue if status.overdue else ""
        since = (f'<a href="{url}#submission-heading">{changed_since}</a>'
                 if status.changed_since_submission else "")
        rows.append(
            f'<tr id="agency-{code}" class="state-{escape(status.state)}">'
            f'<th scope="row"><a href="{url}">{escape(agency.display_name)}</a> '
            f'<span class="code">{code}</span></th>'
            f"<td>{tiers[agency.tier]}</td>"
            f'<td class="state">{state}</td>'
            f"<td>{moment(submission.submitted_at if submission else None)}</td>"
            f"<td>{moment(submission.approved_at if submission else None)}</td>"
            f"<td>{lateness}</td>"
            f"<td>{changed if status.changed_since_approval else ''}</td>"
            f"<td>{since}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(rows))
