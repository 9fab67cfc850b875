"""Agencies' reports: submit, withdraw, approve, return, reopen (POST), and the plan's status board.

Each transition is a POST from the agency's entry page or the status board, carrying the
version of the report the person saw; the service (plans.services.submissions) decides and
the page says how it went. The board and its CSV are for officers and admins: a leader gets
403 and a reporter 403 through :func:`plans.views.decorators.entry_view`.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from plans.files.csv_writing import CsvWriter
from plans.models import Agency, Change, Submission
from plans.rules.parsing import parse_ascii_int
from plans.rules.tiers import TIER_ORDER
from plans.selectors.status import (
    STATUS_CSV_COLUMNS,
    deadline_passed,
    kept_agency_statuses,
    plan_agency_statuses,
    status_csv_rows,
    tier_counts,
)
from plans.services.conflicts import retry_on_conflict
from plans.services.submissions import (
    SubmissionRefused,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_submit,
    submission_withdraw,
)
from plans.views.decorators import entry_view


def _report_move(request, entry, service, *, done: str, reason: bool = False):
    """Run ``service`` on the agency's report; say how it went; back where the person was."""
    plan, agency = entry.plan, entry.agency
    kwargs = {"reason": request.POST.get("reason", "")} if reason else {}
    try:
        retry_on_conflict(service)(
            plan=plan,
            agency=agency,
            user=request.user,
            expected_version=parse_ascii_int(request.POST.get("version", "")) or 0,
            channel=Change.Channel.AGENCY,
            **kwargs,
        )
    except SubmissionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done % {"agency": agency.name, "year": plan.year})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("plans:entry_agency", args=[plan.province.code, plan.year, agency.code])
    return redirect(back)


@entry_view("POST", reporters=True)
def submission_submit_view(request, entry):
    """Submit the agency's report (its reporters, officers and admins of the province)."""
    return _report_move(
        request, entry, submission_submit,
        done=_("Đã gửi báo cáo năm %(year)s của %(agency)s."),
    )


@entry_view("POST", reporters=True)
def submission_withdraw_view(request, entry):
    """Take the agency's submitted report back to draft to correct it (who may submit it)."""
    return _report_move(
        request, entry, submission_withdraw,
        done=_("Đã rút lại báo cáo năm %(year)s của %(agency)s: có thể sửa rồi gửi lại."),
    )


@entry_view("POST")
def submission_approve_view(request, entry):
    """Approve the agency's submitted report (officers and admins)."""
    return _report_move(
        request, entry, submission_approve,
        done=_("Đã duyệt báo cáo năm %(year)s của %(agency)s."),
    )


@entry_view("POST")
def submission_return_view(request, entry):
    """Return the agency's submitted report with a reason (officers and admins)."""
    return _report_move(
        request, entry, submission_return, reason=True,
        done=_("Đã trả lại báo cáo năm %(year)s của %(agency)s."),
    )


@entry_view("POST")
def submission_reopen_view(request, entry):
    """Reopen the agency's approved report with a reason (officers and admins)."""
    return _report_move(
        request, entry, submission_reopen, reason=True,
        done=_("Đã mở lại báo cáo năm %(year)s của %(agency)s: số liệu có thể sửa lại."),
    )


def _filtered(statuses, query):
    state, tier, late = query.get("state", ""), query.get("tier", ""), query.get("late", "")
    if state in Submission.State.values:
        statuses = [s for s in statuses if s.state == state]
    if tier in TIER_ORDER:
        statuses = [s for s in statuses if s.agency.tier == tier]
    if late == "1":
        statuses = [s for s in statuses if s.late_or_overdue]
    return statuses


@entry_view("GET")
def status_board(request, entry):
    """List every agency in the plan's scope with where its report stands; filter by GET."""
    plan = entry.plan
    statuses, figures_key = kept_agency_statuses(plan)
    chosen = {
        "state": request.GET.get("state", ""),
        "tier": request.GET.get("tier", ""),
        "late": request.GET.get("late", ""),
    }
    shown = _filtered(statuses, request.GET)
    # Each row's tier and state in words, translated once per page rather than once per row.
    tier_labels = {tier: str(label) for tier, label in Agency.Tier.choices}
    state_labels = {state: str(label) for state, label in Submission.State.choices}
    return render(
        request,
        "plans/status_board.html",
        {
            "plan": plan,
            "province": plan.province,
            "statuses": shown,
            "rows": [
                (status, tier_labels[status.agency.tier], state_labels[status.state])
                for status in shown
            ],
            "total": len(statuses),
            "counts": tier_counts(statuses),
            "states": Submission.State.choices,
            "tiers": Agency.Tier.choices,
            "chosen": chosen,
            "deadline_passed": deadline_passed(plan),
            # The rows, rendered once per figures version and filter (the cache tag).
            "figures_key": figures_key and f"{figures_key}:{sorted(chosen.items())}",
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            "figures_cache": settings.FIGURES_CACHE,
            # Each row links its agency's page: the address is made once, not once per row.
            "agency_url_prefix": reverse(
                "plans:entry_agency", args=[plan.province.code, plan.year, "-"]
            )[:-2],
        },
    )


@entry_view("GET")
def status_csv(request, entry):
    """Return status.csv: every agency in the plan's scope and where its report stands."""
    plan = entry.plan
    output = io.StringIO()
    writer = CsvWriter(output)
    writer.writerow(STATUS_CSV_COLUMNS)
    for row in status_csv_rows(plan_agency_statuses(plan)):
        writer.writerow(row)
    response = HttpResponse(output.getvalue().encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="status-{plan.province.code}-{plan.year}.csv"'
    )
    return response

