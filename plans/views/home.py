from django.shortcuts import render
from django.utils import timezone

from plans.policy.access import can_write, is_reporter, sees_drafts
from plans.selectors.cycle import reporter_reports
from plans.selectors.plans import add_reporter_agencies, plans_by_province, readable_provinces
from plans.words.wording import date_text, days_left_text


def home(request):
    """List the provinces the user may see, each with its plans, newest year first.

    Two queries besides the session's: the provinces, and their plans with a count of targets.
    A reporter also gets, for each open plan, links to the entry pages of its agencies active
    that year (two queries more: its agencies' ids, then the agencies), and above the plans its
    reports: each agency's state, the deadline and the days left, the reason of a return
    (plans.selectors.cycle.reporter_reports).
    """
    provinces = readable_provinces(request.user)
    by_province = plans_by_province(request.user, provinces)
    reports = []
    if is_reporter(request.user):
        agency_ids = add_reporter_agencies(request.user, by_province)
        reports = _report_rows(reporter_reports(
            [plan for plans in by_province.values() for plan in plans], agency_ids
        ))
    sections = [
        {"province": province, "plans": by_province[province.pk]} for province in provinces
    ]
    return render(
        request, "plans/home.html", {
            "sections": sections,
            "can_enter": can_write(request.user),
            "sees_drafts": sees_drafts(request.user),
            "reports": reports,
        }
    )


def _report_rows(reports) -> list[dict]:
    """Return the reporter's reports in words: agency, plan, state, deadline, return reason."""
    today = timezone.localdate()
    rows = []
    for report in reports:
        status, deadline = report.status, report.plan.report_deadline
        submission = status.submission if status is not None else None
        rows.append({
            "plan": report.plan,
            "agency": report.agency,
            "state": status.state if status is not None else "",
            "state_label": status.state_label if status is not None else "",
            "deadline": date_text(deadline) if deadline else "",
            "left": days_left_text(deadline, today) if deadline else "",
            "overdue": status is not None and status.overdue,
            "return_reason": submission.return_reason
            if submission is not None and status.state == "returned" else "",
        })
    return rows
