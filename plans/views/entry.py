"""Results entry for steering-committee staff: the year page, grids, agency pages, closing.

Every view gets its plan through :func:`plans.views.decorators.entry_view` (and its agency
through ``plans.policy.access``), with ``write=True``: another province answers 404, a leader 403,
an
anonymous visitor goes to the login page. Writes go through ``plans.services``. Uploads and
the template download are in :mod:`plans.views.upload`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.forms.grid import ResultGrid, cell_inputs_html
from plans.models import Change, Plan, Profile
from plans.policy.access import get_agency_for_user, plan_read_only_message, role_of
from plans.rules.parsing import parse_ascii_int
from plans.rules.tiers import TIER_ORDER, Tier
from plans.selectors.agencies import (
    agency_evidence,
    agency_result,
    agency_results,
    approved_agency_ids,
    grid_results,
    incomplete_agencies,
    indicator_by_code,
    kept_year_overview,
    ordered_indicators,
    result_now,
    targeted_indicator_ids,
    tier_agencies,
)
from plans.selectors.figures import year_figures
from plans.selectors.history import agency_history
from plans.selectors.naming import name_agencies
from plans.selectors.status import submission_panel
from plans.services.plans import plan_close, plan_reopen
from plans.services.results import ResultsRefused, result_clear, results_record_grid
from plans.views.decorators import entry_view
from plans.views.evidence import evidence_form_context
from plans.words.wording import change_figures_text, person_text, plan_draft_message, time_text

HISTORY_LIMIT = 500


def _save_grid(request, *, plan: Plan, grid: ResultGrid, channel: str) -> bool:
    """Read the posted grid and save it; return True when saved, else mark the grid."""
    if not grid.read(request.POST):
        count = len(grid.errors())
        grid.message = ngettext(
            "Chưa lưu gì: %(count)s ô có lỗi, đánh dấu đỏ bên dưới. Sửa các ô đó rồi lưu lại.",
            "Chưa lưu gì: %(count)s ô có lỗi, đánh dấu đỏ bên dưới. Sửa các ô đó rồi lưu lại.",
            count,
        ) % {"count": count}
        return False
    try:
        written = results_record_grid(
            plan=plan, entries=grid.entries, user=request.user, channel=channel
        )
    except ResultsRefused as refusal:
        grid.refuse(refusal)
        if not grid.message:
            count = len(grid.errors())
            grid.message = ngettext(
                "Chưa lưu gì: %(count)s ô không lưu được, đánh dấu đỏ bên dưới.",
                "Chưa lưu gì: %(count)s ô không lưu được, đánh dấu đỏ bên dưới.",
                count,
            ) % {"count": count}
        return False
    if written:
        messages.success(
            request,
            ngettext("Đã lưu %(count)s kết quả.", "Đã lưu %(count)s kết quả.", len(written))
            % {"count": len(written)},
        )
    else:
        messages.info(request, _("Không có ô nào thay đổi nên không có gì để lưu."))
    return True


@entry_view("GET")
def entry_year(request, plan):
    """Show the year at a glance: who reported what, the plan's status and progress."""
    read_only = plan_read_only_message(request.user, plan)
    return render(
        request,
        "plans/entry_year.html",
        {
            "plan": plan,
            "province": plan.province,
            **kept_year_overview(plan),
            "progress": year_figures(province=plan.province, year=plan.year, plan=plan).rows,
            "closed_message": read_only,
            "draft_message": (
                plan_draft_message(plan) if plan.status == Plan.Status.DRAFT else ""
            ),
            "is_admin": role_of(request.user) == Profile.Role.ADMIN,
        },
    )


@entry_view("GET", "POST")
def entry_grid(request, plan, tier):
    """Show, and save, the results of one tier's agencies for the year: a row per agency."""
    if tier not in TIER_ORDER:
        raise Http404
    with_notes = request.GET.get("notes") == "1"
    targeted_ids = targeted_indicator_ids(plan, tier)
    indicators = ordered_indicators(targeted_ids)
    agencies = tier_agencies(plan, tier)
    results = grid_results(plan, agencies, indicators)
    grid = ResultGrid(
        agencies=agencies,
        indicators=indicators,
        results=results,
        targeted_ids=targeted_ids,
        with_notes=with_notes,
        approved_ids=approved_agency_ids(plan),
    )
    read_only = plan_read_only_message(request.user, plan)
    status = 200
    if request.method == "POST":
        if _save_grid(request, plan=plan, grid=grid, channel=Change.Channel.GRID):
            return redirect(request.get_full_path())
        status = 409 if plan.is_closed else 400
    return render(
        request,
        "plans/entry_grid.html",
        {
            "plan": plan,
            "province": plan.province,
            "tier": tier,
            "tier_label": Tier(tier).label,
            "grid": grid,
            "rows": grid.rendered_rows(closed=bool(read_only)),
            "with_notes": with_notes,
            "closed_message": read_only,
        },
        status=status,
    )


@entry_view("GET", "POST", reporters=True)
def entry_agency(request, plan, agency_code):
    """Show, and save, all of one agency's results for the year, and its figures by year."""
    agency = get_agency_for_user(request.user, plan.province.code, agency_code, write=True)
    name_agencies([agency], province_id=plan.province_id)
    if not agency.is_active_in(plan.year):
        raise Http404
    targeted_ids = targeted_indicator_ids(plan, agency.tier)
    indicators = ordered_indicators(targeted_ids)
    results = agency_results(agency)
    grid = ResultGrid(
        agencies=[agency],
        indicators=indicators,
        results=[r for r in results if r.year == plan.year],
        targeted_ids=targeted_ids,
    )
    read_only = plan_read_only_message(request.user, plan)
    status = 200
    if request.method == "POST":
        if _save_grid(request, plan=plan, grid=grid, channel=Change.Channel.AGENCY):
            return redirect(request.get_full_path())
        status = 409 if plan.is_closed else 400
    years = sorted({r.year for r in results})
    by_key = {(r.indicator_id, r.year): r for r in results}
    across_years = [
        {
            "indicator": indicator,
            "figures": [by_key.get((indicator.pk, y)) for y in years],
        }
        for indicator in indicators
        if any((indicator.pk, y) in by_key for y in years)
    ]
    return render(
        request,
        "plans/entry_agency.html",
        {
            "plan": plan,
            "province": plan.province,
            "agency": agency,
            "grid": grid,
            "cells": [
                (cell, cell_inputs_html(cell, closed=bool(read_only), with_notes=True))
                for cell in grid.rows[0].cells
            ],
            "years": years,
            "across_years": across_years,
            "closed_message": read_only,
            "evidence_files": agency_evidence(agency, plan.year),
            "report": submission_panel(plan, agency, request.user),
            **evidence_form_context(plan, agency, indicators),
        },
        status=status,
    )


@entry_view("GET", "POST", reporters=True)
def entry_result_clear(request, plan, agency_code, indicator_code):
    """Show what clearing one saved result removes (GET), and clear it (POST)."""
    agency = get_agency_for_user(request.user, plan.province.code, agency_code, write=True)
    name_agencies([agency], province_id=plan.province_id)
    result = agency_result(agency, plan.year, indicator_code)
    if result is None:
        raise Http404
    agency_url = reverse("plans:entry_agency", args=[plan.province.code, plan.year, agency.code])
    read_only = plan_read_only_message(request.user, plan)
    refusal, status = read_only, 200
    if read_only:
        status = 409 if plan.is_closed else 200
    elif request.method == "POST":
        try:
            result_clear(
                result=result,
                user=request.user,
                expected_version=parse_ascii_int(request.POST.get("version", "")) or 0,
                channel=Change.Channel.AGENCY,
            )
        except ResultsRefused as refused:
            refusal, status = refused.message, 409
            # Show the figures as they are now; cleared meanwhile, there is nothing to show.
            current = result_now(result)
            if current is None:
                return redirect(agency_url)
            result = current
        else:
            messages.success(
                request,
                _("Đã xoá kết quả “%(indicator)s” của %(agency)s năm %(year)s. Lịch sử thay "
                  "đổi vẫn giữ giá trị cũ.")
                % {
                    "indicator": result.indicator.name,
                    "agency": agency.display_name,
                    "year": plan.year,
                },
            )
            return redirect(agency_url)
    return render(
        request,
        "plans/result_clear.html",
        {
            "plan": plan,
            "province": plan.province,
            "agency": agency,
            "result": result,
            "figures": change_figures_text(result.indicator, result.as_dict()),
            "saved_by": person_text(result.updated_by, reader=request.user)
            if result.updated_by else "",
            "saved_at": time_text(result.updated_at),
            "refusal": refusal,
            "read_only": bool(read_only),
            "agency_url": agency_url,
        },
        status=status,
    )


@entry_view("GET", reporters=True)
def entry_history(request, plan, agency_code):
    """List the changes to an agency's results, newest first; ``?indicator=`` narrows to one."""
    agency = get_agency_for_user(request.user, plan.province.code, agency_code, write=True)
    name_agencies([agency], province_id=plan.province_id)
    indicator = None
    code = request.GET.get("indicator")
    if code:
        indicator = indicator_by_code(code)
        if indicator is None:
            raise Http404
    shown = agency_history(agency, indicator=indicator, limit=HISTORY_LIMIT)
    for change in shown:
        # For the template; Change itself has no such fields.
        change.old_text = change_figures_text(  # type: ignore[attr-defined]
            change.indicator, change.old  # type: ignore[attr-defined]
        )
        change.new_text = change_figures_text(  # type: ignore[attr-defined]
            change.indicator, change.new  # type: ignore[attr-defined]
        )
    return render(
        request,
        "plans/entry_history.html",
        {
            "plan": plan,
            "province": plan.province,
            "agency": agency,
            "indicator": indicator,
            "changes": shown,
            "limit": HISTORY_LIMIT,
        },
    )


@entry_view("GET", "POST")
def entry_close(request, plan):
    """Ask first (GET): who has not reported everything; close the plan (POST).

    Closing ends the year's entry: the page lists, by name, each agency in the plan's scope
    that has reported fewer indicators than the plan's targets ask of its tier.
    """
    if request.method == "POST":
        return _change_status(
            request, plan, plan_close,
            done=_("Đã tổng kết kế hoạch năm %(year)s: kết quả chỉ còn để xem."),
        )
    incomplete, agency_count = incomplete_agencies(plan)
    return render(
        request,
        "plans/plan_close.html",
        {
            "plan": plan,
            "province": plan.province,
            "closed_message": plan_read_only_message(request.user, plan),
            "incomplete": incomplete,
            "silent": sum(1 for row in incomplete if not row["reported"]),
            "agency_count": agency_count,
        },
    )


@entry_view("POST")
def entry_reopen(request, plan):
    """Reopen a closed plan (admins only; plan_reopen refuses anyone else with 403)."""
    return _change_status(
        request, plan, plan_reopen,
        done=_("Đã mở lại kế hoạch năm %(year)s: có thể sửa kết quả."),
    )


def _change_status(request, plan: Plan, service, *, done: str):
    """Close or reopen ``plan`` through ``service``; say how it went; back to the year page.

    ``done`` is the message of success, with a ``%(year)s`` placeholder.
    """
    try:
        service(plan=plan, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"year": plan.year})
    return redirect("plans:entry_year", province_code=plan.province.code, year=plan.year)
