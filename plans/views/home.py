from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from plans.models import Agency, Plan
from plans.policy.access import (
    can_write,
    is_reporter,
    provinces_for_user,
    reporter_agency_ids,
    sees_drafts,
    without_hidden_drafts,
)
from plans.selectors.cycle import reporter_reports
from plans.words.collation import sorted_vietnamese
from plans.words.wording import date_text, days_left_text


def home(request):
    """List the provinces the user may see, each with its plans, newest year first.

    Two queries besides the session's: the provinces, and their plans with a count of targets.
    A reporter also gets, for each open plan, links to the entry pages of its agencies active
    that year (two queries more: its agencies' ids, then the agencies), and above the plans its
    reports: each agency's state, the deadline and the days left, the reason of a return
    (plans.selectors.cycle.reporter_reports).
    """
    provinces = sorted_vietnamese(
        provinces_for_user(request.user).order_by(), key=lambda province: province.name
    )
    plans_by_province: dict[int, list[Plan]] = {province.pk: [] for province in provinces}
    plans = (
        Plan.objects.filter(province__in=[province.pk for province in provinces])
        .annotate(target_count=Count("targets"))
        .order_by("province_id", "-year")
    )
    if not can_write(request.user):
        # Officers see a draft to prepare for it (its entry pages are read-only); readers not.
        plans = without_hidden_drafts(request.user, plans)
    if provinces:
        provinces_by_id = {province.pk: province for province in provinces}
        for plan in plans:
            # The province is already loaded: the plan's title names it without a query.
            plan.province = provinces_by_id[plan.province_id]
            plans_by_province[plan.province_id].append(plan)
    reports = []
    if is_reporter(request.user):
        agency_ids = _add_reporter_agencies(request.user, plans_by_province)
        reports = _report_rows(reporter_reports(
            [plan for plans in plans_by_province.values() for plan in plans], agency_ids
        ))
    sections = [
        {"province": province, "plans": plans_by_province[province.pk]} for province in provinces
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


def _add_reporter_agencies(user, plans_by_province: dict[int, list[Plan]]) -> set[int]:
    """Give each open plan the reporter's agencies active in its year, by name, as
    ``plan.reporter_agencies``: the entry pages the reporter may open. Return their ids."""
    agency_ids = reporter_agency_ids(user)
    agencies = list(
        Agency.objects.filter(
            pk__in=agency_ids, province_id__in=plans_by_province
        ).order_by("name", "code")
    )
    for plans in plans_by_province.values():
        for plan in plans:
            plan.reporter_agencies = [  # type: ignore[attr-defined]
                agency
                for agency in agencies
                if plan.status == Plan.Status.OPEN
                and agency.province_id == plan.province_id
                and agency.is_active_in(plan.year)
            ]
    return agency_ids
