"""Results entry for steering-committee staff: the year page, grids, agency pages, closing.

Every view gets its plan through :func:`plans.views.decorators.entry_view` (and its agency
through ``plans.policy.access``), with ``write=True``: another province answers 404, a leader 403,
an
anonymous visitor goes to the login page. Writes go through ``plans.services``. Uploads and
the template download are in :mod:`plans.views.upload`.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.forms.grid import ResultGrid, cell_inputs_html, posted_agency_ids
from plans.models import Change, Plan, Profile, Submission
from plans.policy.access import can_write, role_of
from plans.rules import cycle
from plans.rules.limits import GRID_PAGE_SIZE
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
from plans.selectors.agency_reading import agency_changes
from plans.selectors.cycle import cycle_summary, pending_groups
from plans.selectors.figures import year_figures
from plans.selectors.status import AgencyStatus, agency_status, changes_since_submission
from plans.services.plans import plan_close, plan_reopen
from plans.services.results import (
    ResultsRefused,
    result_clear,
    results_check,
    results_record_grid,
)
from plans.views.decorators import entry_view
from plans.views.evidence import evidence_form_context
from plans.words.wording import change_figures_text, person_text, plan_draft_message, time_text

HISTORY_LIMIT = 500


def _save_grid(request, *, plan: Plan, grid: ResultGrid, channel: str) -> bool:
    """Read the posted grid and save it; return True when saved, else mark the grid.

    The grid only parses; the service checks what was typed and answers, cell by cell.
    """
    parsed = grid.read(request.POST)
    try:
        if not parsed:
            # Unreadable cells: the readable ones are checked too, so that all show at once.
            raise ResultsRefused(
                problems=results_check(plan=plan, entries=grid.entries), invalid=True
            )
        written = results_record_grid(
            plan=plan, entries=grid.entries, user=request.user, channel=channel
        )
    except ResultsRefused as refusal:
        grid.refuse(refusal)
        if not grid.message:
            count = len(grid.errors())
            if refusal.invalid:
                grid.message = ngettext(
                    "Chưa lưu gì: %(count)s ô có lỗi, đánh dấu đỏ bên dưới. Sửa các ô đó rồi "
                    "lưu lại.",
                    "Chưa lưu gì: %(count)s ô có lỗi, đánh dấu đỏ bên dưới. Sửa các ô đó rồi "
                    "lưu lại.",
                    count,
                ) % {"count": count}
            else:
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
def entry_year(request, entry):
    """Show the year at a glance: who reported what, the plan's status and progress."""
    plan = entry.plan
    overview, figures_key = kept_year_overview(plan)
    return render(
        request,
        "plans/entry_year.html",
        {
            "plan": plan,
            "province": plan.province,
            **overview,
            # Read when the tables are rendered afresh (not when they are kept rendered).
            "progress": SimpleLazyObject(
                lambda: year_figures(province=plan.province, year=plan.year, plan=plan).rows
            ),
            # The tables, rendered once per figures version (the cache tag).
            "figures_key": figures_key,
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            "figures_cache": settings.FIGURES_CACHE,
            "closed_message": entry.read_only,
            "draft_message": (
                plan_draft_message(plan) if plan.status == Plan.Status.DRAFT else ""
            ),
            "is_admin": role_of(request.user) == Profile.Role.ADMIN,
        },
    )


def _grid_query(page: int, *, with_notes: bool) -> str:
    """Return the query string of the grid's page ``page``: "?" for the first without notes,
    as the grid's links were before it had pages."""
    parts = [f"page={page}"] if page > 1 else []
    if with_notes:
        parts.append("notes=1")
    return "?" + "&".join(parts)


def _grid_paging(paginator: Paginator, page, *, with_notes: bool) -> dict | None:
    """Return what the grid's page navigation shows, or None when the tier fits on one page.

    Each page's link names its agencies by number (101–200) and by the first and last name.
    """
    if paginator.num_pages == 1:
        return None
    agencies, size = paginator.object_list, paginator.per_page
    links = []
    for number in paginator.page_range:
        first = (number - 1) * size
        last = min(first + size, paginator.count)
        links.append({
            "number": number,
            "query": _grid_query(number, with_notes=with_notes),
            "first": first + 1,
            "last": last,
            "first_name": agencies[first].display_name,
            "last_name": agencies[last - 1].display_name,
            "current": number == page.number,
        })
    return {
        "number": page.number,
        "pages": paginator.num_pages,
        "first": page.start_index(),
        "last": page.end_index(),
        "total": paginator.count,
        "links": links,
        "previous": (
            _grid_query(page.number - 1, with_notes=with_notes) if page.has_previous() else ""
        ),
        "next": _grid_query(page.number + 1, with_notes=with_notes) if page.has_next() else "",
    }


@entry_view("GET", "POST")
def entry_grid(request, entry, tier):
    """Show, and save, the results of one tier's agencies for the year: a row per agency,
    GRID_PAGE_SIZE agencies a page (``?page=N``).

    A page number that is not plain digits shows the first page; one past the last, a 404.
    Only the page's agencies have their results read; a save reads the cells posted.
    """
    plan = entry.plan
    if tier not in TIER_ORDER:
        raise Http404
    with_notes = request.GET.get("notes") == "1"
    agencies = tier_agencies(plan, tier)
    paginator = Paginator(agencies, GRID_PAGE_SIZE)
    number = parse_ascii_int(request.GET.get("page"))
    try:
        page = paginator.page(1 if number is None else number)
    except EmptyPage as exc:
        raise Http404 from exc
    shown = list(page.object_list)
    if request.method == "POST":
        # The rows posted, should the tier's pages have moved since the page was shown.
        posted = posted_agency_ids(request.POST)
        on_page = {agency.pk for agency in shown}
        if not posted <= on_page:
            shown = [agency for agency in agencies if agency.pk in on_page or agency.pk in posted]
    targeted_ids = targeted_indicator_ids(plan, tier)
    indicators = ordered_indicators(targeted_ids)
    results = grid_results(plan, tier, indicators, agencies=shown)
    grid = ResultGrid(
        agencies=shown,
        indicators=indicators,
        results=results,
        targeted_ids=targeted_ids,
        with_notes=with_notes,
        approved_ids=approved_agency_ids(plan),
    )
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
            # The rows' HTML, built by the grid: a row per agency, each linking its page.
            "rows": grid.rendered_rows(
                closed=bool(entry.read_only),
                agency_url_prefix=reverse(
                    "plans:entry_agency", args=[plan.province.code, plan.year, "-"]
                )[:-2],
            ),
            "with_notes": with_notes,
            "paging": _grid_paging(paginator, page, with_notes=with_notes),
            "notes_shown_query": _grid_query(page.number, with_notes=True),
            "notes_hidden_query": _grid_query(page.number, with_notes=False),
            "closed_message": entry.read_only,
        },
        status=status,
    )


@dataclass
class AgencyReport:
    """What the report panel of an agency's page shows (plans.templatetags.submission_tags)."""

    plan: Plan
    status: AgencyStatus
    # The names of the moves the reader may make now (plans.rules.cycle).
    moves: set[str]
    # Indicator by indicator, the figures changed since the report was submitted.
    changes: list[dict] = field(default_factory=list)


def agency_report(user, plan: Plan, agency, *, read_only: bool = False) -> AgencyReport:
    """Return where ``agency``'s report stands and what ``user`` may do with it.

    On entry pages, whose decorator has already let ``user`` enter this agency's results (an
    officer of the province, an admin, or its reporter): that is the table's "reports";
    "reviews" is an officer's or admin's role. A ``read_only`` page (the agency's page for
    readers) offers no move at all.
    """
    status = agency_status(plan, agency)
    changes = [
        {
            "indicator": change.indicator,
            "old": change_figures_text(change.indicator, change.old),
            "new": change_figures_text(change.indicator, change.new),
            "who": person_text(change.changed_by, reader=user) if change.changed_by else "",
            "when": time_text(change.changed_at),
        }
        for change in changes_since_submission(plan, status)
    ]
    return AgencyReport(
        plan=plan,
        status=status,
        moves=set() if read_only else cycle.allowed_moves(
            status.state, reports=True, reviews=can_write(user),
            plan_open=plan.status == Plan.Status.OPEN,
        ),
        changes=changes,
    )


@entry_view("GET", "POST", reporters=True, active_agency=True)
def entry_agency(request, entry):
    """Show, and save, all of one agency's results for the year, and its figures by year."""
    plan, agency = entry.plan, entry.agency
    targeted_ids = targeted_indicator_ids(plan, agency.tier)
    indicators = ordered_indicators(targeted_ids)
    results = agency_results(agency)
    grid = ResultGrid(
        agencies=[agency],
        indicators=indicators,
        results=[r for r in results if r.year == plan.year],
        targeted_ids=targeted_ids,
    )
    report = agency_report(request.user, plan, agency)
    read_only = entry.read_only
    # An approved report's figures wait for a reopening: nothing to type or save (the submission
    # panel says why; the service would refuse the save anyway).
    locked = bool(read_only) or report.status.state == Submission.State.APPROVED
    status = 200
    if request.method == "POST":
        if _save_grid(request, plan=plan, grid=grid, channel=Change.Channel.AGENCY):
            return redirect(request.get_full_path())
        status = 409 if plan.is_closed else 400
        # The refusal may have come from a move made meanwhile: show the report as it is now.
        report = agency_report(request.user, plan, agency)
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
            "report": report,
            "grid": grid,
            "cells": [
                (cell, cell_inputs_html(cell, closed=locked, with_notes=True))
                for cell in grid.rows[0].cells
            ],
            "locked": locked,
            "years": years,
            "across_years": across_years,
            "closed_message": read_only,
            "evidence_files": agency_evidence(agency, plan.year),
            **evidence_form_context(plan, agency, indicators),
        },
        status=status,
    )


@entry_view("GET", "POST", reporters=True)
def entry_result_clear(request, entry, indicator_code):
    """Show what clearing one saved result removes (GET), and clear it (POST)."""
    plan, agency = entry.plan, entry.agency
    result = agency_result(agency, plan.year, indicator_code)
    if result is None:
        raise Http404
    agency_url = reverse("plans:entry_agency", args=[plan.province.code, plan.year, agency.code])
    read_only = entry.read_only
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
def entry_history(request, entry):
    """List the changes to an agency's results, newest first; ``?indicator=`` narrows to one."""
    plan, agency = entry.plan, entry.agency
    indicator = None
    code = request.GET.get("indicator")
    if code:
        indicator = indicator_by_code(code)
        if indicator is None:
            raise Http404
    shown = agency_changes(agency, indicator=indicator, limit=HISTORY_LIMIT)
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
def entry_close(request, entry):
    """Ask first (GET): where every report stands, who has not reported everything; close the
    plan (POST).

    Closing ends the year's entry: the page counts and names, by state, the in-scope agencies'
    reports (not started, draft, returned, submitted, approved) and each agency that has
    reported fewer indicators than the plan's targets ask of its tier. While any report is not
    approved the person must tick that they close anyway (``pending_acknowledged``); the
    service refuses otherwise, and the page says why.
    """
    plan = entry.plan
    if request.method == "POST":
        return _change_status(
            request, plan, plan_close,
            done=_("Đã tổng kết kế hoạch năm %(year)s: kết quả chỉ còn để xem."),
            pending_acknowledged=request.POST.get("pending_acknowledged") == "1",
        )
    incomplete, agency_count = incomplete_agencies(plan)
    cycle = cycle_summary(plan)
    return render(
        request,
        "plans/plan_close.html",
        {
            "plan": plan,
            "province": plan.province,
            "closed_message": entry.read_only,
            "incomplete": incomplete,
            "silent": sum(1 for row in incomplete if not row["reported"]),
            "agency_count": agency_count,
            "cycle": cycle,
            "pending_at_close": pending_groups(plan.pending_at_close),
        },
    )


@entry_view("POST")
def entry_reopen(request, entry):
    """Reopen a closed plan (admins only; plan_reopen refuses anyone else with 403)."""
    return _change_status(
        request, entry.plan, plan_reopen,
        done=_("Đã mở lại kế hoạch năm %(year)s: có thể sửa kết quả."),
    )


def _change_status(request, plan: Plan, service, *, done: str, **options):
    """Close or reopen ``plan`` through ``service``; say how it went; back to the year page
    (to the close page when closing was refused for reports not approved).

    ``done`` is the message of success, with a ``%(year)s`` placeholder; ``options`` go to
    ``service``.
    """
    try:
        service(plan=plan, user=request.user, **options)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if exc.code == "pending":
            return redirect("plans:entry_close", province_code=plan.province.code, year=plan.year)
    else:
        messages.success(request, done % {"year": plan.year})
    return redirect("plans:entry_year", province_code=plan.province.code, year=plan.year)
