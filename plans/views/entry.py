"""Results entry for steering-committee staff: the year page, grids, agency pages, uploads.

Every view gets its province, plan and agency through ``plans.access`` with ``write=True``:
another province answers 404, a leader 403, an anonymous visitor goes to the login page.
Writes go through ``plans.services``.
"""

import base64
import csv
import hashlib
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans import selectors
from plans.access import get_agency_for_user, get_plan_for_user, role_of
from plans.exports import csv_safe
from plans.forms import ResultGrid, cell_inputs_html
from plans.models import Agency, Change, Plan, Profile, Result
from plans.reports import write_text
from plans.services import imports
from plans.services.plans import plan_close, plan_reopen
from plans.services.results import (
    ResultsRefused,
    figures_in_words,
    plan_closed_message,
    results_record_grid,
)
from plans.tiers import TIER_ORDER, Tier
from plans.uploads import oversized_upload

UPLOAD_SESSION_KEY = "entry_upload"
# The preview keeps the file in the session (base64) until it is confirmed; larger files are
# refused rather than stored there.
UPLOAD_SESSION_MAX_BYTES = 2 * 1024 * 1024
TEMPLATE_COLUMNS = ["year", "agency_code", "indicator_code", "value", "numerator", "denominator",
                    "note"]
HISTORY_LIMIT = 500


def _active_agencies(plan: Plan):
    return Agency.objects.filter(Agency.active_in(plan.year), province_id=plan.province_id)


def _targeted_indicator_ids(plan: Plan, tier: str | None = None) -> set[int]:
    """Return the ids of the indicators ``plan`` sets targets for (covering ``tier``)."""
    return {
        indicator_id
        for indicator_id, tiers in plan.targets.values_list("indicator_id", "tiers")
        if tier is None or tier in tiers.split("+")
    }


def _ordered_indicators(targeted_ids: set[int]) -> list[Indicator]:
    """Return the catalogue with the targeted indicators first, each part in catalogue order."""
    indicators = list(Indicator.objects.all())
    for indicator in indicators:
        # A zero-width space after each underscore lets a narrow column header wrap there.
        indicator.breakable_code = indicator.code.replace("_", "_\u200b")
    return [i for i in indicators if i.pk in targeted_ids] + [
        i for i in indicators if i.pk not in targeted_ids
    ]


def _save_grid(request, *, plan: Plan, grid: ResultGrid, channel: str) -> bool:
    """Read the posted grid and save it; return True when saved, else mark the grid."""
    if not grid.read(request.POST):
        grid.message = _(
            "Chưa lưu gì: %(count)s ô có lỗi, đánh dấu đỏ bên dưới. Sửa các ô đó rồi lưu lại."
        ) % {"count": len(grid.errors())}
        return False
    try:
        written = results_record_grid(
            plan=plan, entries=grid.entries, user=request.user, channel=channel
        )
    except ResultsRefused as refusal:
        grid.refuse(refusal)
        if not grid.message:
            grid.message = _(
                "Chưa lưu gì: %(count)s ô không lưu được, đánh dấu đỏ bên dưới."
            ) % {"count": len(grid.errors())}
        return False
    if written:
        messages.success(
            request, _("Đã lưu %(count)s kết quả.") % {"count": len(written)}
        )
    else:
        messages.info(request, _("Không có ô nào thay đổi nên không có gì để lưu."))
    return True


# Each view checks the method after the access helper: a stranger gets 404 whatever the method.


@login_required
def entry_year(request, province_code, year):
    """Show the year at a glance: who reported what, the plan's status and progress."""
    plan = get_plan_for_user(request.user, province_code, year, write=True)
    if request.method not in ("GET",):
        return HttpResponseNotAllowed(("GET",))
    agencies = list(
        _active_agencies(plan)
        .annotate(reported=Count("results", filter=Q(results__year=plan.year)))
        .order_by("name")
    )
    reported = {
        (row["agency__tier"], row["indicator_id"]): row["n"]
        for row in Result.objects.filter(year=plan.year, agency__in=_active_agencies(plan))
        .values("agency__tier", "indicator_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    targeted_ids = _targeted_indicator_ids(plan)
    indicators = _ordered_indicators(targeted_ids)
    tiers = []
    for tier in TIER_ORDER:
        in_tier = sum(1 for agency in agencies if agency.tier == tier)
        if in_tier:
            tiers.append({"code": tier, "label": Tier(tier).label, "agencies": in_tier})
    rows = [
        {
            "indicator": indicator,
            "targeted": indicator.pk in targeted_ids,
            "counts": [
                {"tier": tier, "reported": reported.get((tier["code"], indicator.pk), 0)}
                for tier in tiers
            ],
        }
        for indicator in indicators
    ]
    return render(
        request,
        "plans/entry_year.html",
        {
            "plan": plan,
            "province": plan.province,
            "tiers": tiers,
            "rows": rows,
            "not_reported": [agency for agency in agencies if not agency.reported],
            "agency_count": len(agencies),
            "progress": sorted(selectors.plan_progress(plan), key=selectors.display_order),
            "closed_message": plan_closed_message(plan) if plan.is_closed else "",
            "is_admin": role_of(request.user) == Profile.Role.ADMIN,
        },
    )


@login_required
def entry_grid(request, province_code, year, tier):
    """Show, and save, the results of one tier's agencies for the year: a row per agency."""
    plan = get_plan_for_user(request.user, province_code, year, write=True)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(("GET", "POST"))
    if tier not in TIER_ORDER:
        raise Http404
    with_notes = request.GET.get("notes") == "1"
    targeted_ids = _targeted_indicator_ids(plan, tier)
    indicators = _ordered_indicators(targeted_ids)
    agencies = list(_active_agencies(plan).filter(tier=tier).order_by("name", "code"))
    results = Result.objects.filter(
        year=plan.year, agency__in=agencies, indicator__in=indicators
    ).only("agency_id", "indicator_id", "value", "numerator", "denominator", "note", "version")
    grid = ResultGrid(
        agencies=agencies,
        indicators=indicators,
        results=results,
        targeted_ids=targeted_ids,
        with_notes=with_notes,
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
            "rows": grid.rendered_rows(closed=plan.is_closed),
            "with_notes": with_notes,
            "closed_message": plan_closed_message(plan) if plan.is_closed else "",
        },
        status=status,
    )


@login_required
def entry_agency(request, province_code, year, agency_code):
    """Show, and save, all of one agency's results for the year, and its figures by year."""
    plan = get_plan_for_user(request.user, province_code, year, write=True)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(("GET", "POST"))
    agency = get_agency_for_user(request.user, province_code, agency_code, write=True)
    if not agency.is_active_in(plan.year):
        raise Http404
    targeted_ids = _targeted_indicator_ids(plan, agency.tier)
    indicators = _ordered_indicators(targeted_ids)
    results = list(agency.results.all().order_by("year"))
    grid = ResultGrid(
        agencies=[agency],
        indicators=indicators,
        results=[r for r in results if r.year == plan.year],
        targeted_ids=targeted_ids,
    )
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
                (cell, cell_inputs_html(cell, closed=plan.is_closed, with_notes=True))
                for cell in grid.rows[0].cells
            ],
            "years": years,
            "across_years": across_years,
            "closed_message": plan_closed_message(plan) if plan.is_closed else "",
        },
        status=status,
    )


@login_required
def entry_history(request, province_code, year, agency_code):
    """List the changes to an agency's results, newest first; ``?indicator=`` narrows to one."""
    plan = get_plan_for_user(request.user, province_code, year, write=True)
    if request.method not in ("GET",):
        return HttpResponseNotAllowed(("GET",))
    agency = get_agency_for_user(request.user, province_code, agency_code, write=True)
    changes = Change.objects.filter(result__agency=agency).select_related(
        "result__indicator", "changed_by"
    )
    indicator = None
    code = request.GET.get("indicator")
    if code:
        indicator = get_object_or_404(Indicator, code=code)
        changes = changes.filter(result__indicator=indicator)
    changes = list(changes[:HISTORY_LIMIT])
    for change in changes:
        change.old_text = _figures_text(change.result.indicator, change.old)
        change.new_text = _figures_text(change.result.indicator, change.new)
    return render(
        request,
        "plans/entry_history.html",
        {
            "plan": plan,
            "province": plan.province,
            "agency": agency,
            "indicator": indicator,
            "changes": changes,
            "limit": HISTORY_LIMIT,
        },
    )


def _figures_text(indicator: Indicator, figures: dict | None) -> str:
    """Return a history entry's figures (and note) in words."""
    if figures is None:
        return _("(chưa có)")
    text = figures_in_words(
        kind=indicator.kind,
        value=figures.get("value"),
        numerator=figures.get("numerator"),
        denominator=figures.get("denominator"),
    )
    if figures.get("note"):
        text = _("%(figures)s — ghi chú: %(note)s") % {"figures": text, "note": figures["note"]}
    return text


@login_required
def entry_close(request, province_code, year):
    """Close the plan after its year-end review: its results become read-only."""
    plan = get_plan_for_user(request.user, province_code, year, write=True)
    if request.method not in ("POST",):
        return HttpResponseNotAllowed(("POST",))
    try:
        plan_close(plan=plan, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã tổng kết kế hoạch năm %(year)s: kết quả chỉ còn để xem.") % {"year": plan.year},
        )
    return redirect("plans:entry_year", province_code=plan.province.code, year=plan.year)


@login_required
def entry_reopen(request, province_code, year):
    """Reopen a closed plan (admins only; plan_reopen refuses anyone else with 403)."""
    plan = get_plan_for_user(request.user, province_code, year, write=True)
    if request.method not in ("POST",):
        return HttpResponseNotAllowed(("POST",))
    try:
        plan_reopen(plan=plan, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã mở lại kế hoạch năm %(year)s: có thể sửa kết quả.") % {"year": plan.year},
        )
    return redirect("plans:entry_year", province_code=plan.province.code, year=plan.year)


@login_required
def entry_template(request, province_code, year, file_format):
    """Download results.csv (or .xlsx) pre-filled with the year's agencies and indicators."""
    plan = get_plan_for_user(request.user, province_code, year, write=True)
    if request.method not in ("GET",):
        return HttpResponseNotAllowed(("GET",))
    if file_format not in ("csv", "xlsx"):
        raise Http404
    agencies = list(_active_agencies(plan))
    agencies.sort(key=lambda a: (TIER_ORDER.index(a.tier), a.name, a.code))
    indicators = _ordered_indicators(_targeted_indicator_ids(plan))
    results = {
        (r.agency_id, r.indicator_id): r
        for r in Result.objects.filter(year=plan.year, agency__in=agencies)
    }
    rows = []
    for agency in agencies:
        for indicator in indicators:
            result = results.get((agency.pk, indicator.pk))
            rows.append(
                [
                    plan.year,
                    agency.code,
                    indicator.code,
                    "" if result is None or result.value is None else result.value,
                    "" if result is None or result.numerator is None else result.numerator,
                    "" if result is None or result.denominator is None else result.denominator,
                    "" if result is None else result.note,
                ]
            )
    filename = f"results-{plan.province.code}-{plan.year}.{file_format}"
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(TEMPLATE_COLUMNS)
        # Notes and codes come from uploaded files: a leading "'" keeps "=..." from being a
        # formula when the template is opened in a spreadsheet.
        writer.writerows(
            [csv_safe(value) if isinstance(value, str) else value for value in row]
            for row in rows
        )
        # A byte-order mark so that Excel opens the Vietnamese names as UTF-8.
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            _xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def text_cell(sheet, text):
        # openpyxl writes a string starting with "=" as a formula; notes come from uploads.
        cell = WriteOnlyCell(sheet)
        write_text(cell, text)
        return cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("results")
    sheet.append(TEMPLATE_COLUMNS)
    for row in rows:
        sheet.append(
            [text_cell(sheet, value) if isinstance(value, str) else value for value in row]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
def entry_upload(request, province_code, year):
    """Upload results (CSV or XLSX): preview every bad row, then confirm to write all or none.

    The previewed file is kept in the session until confirmed; the confirm imports it again
    from scratch, so anything that changed in between is checked again.
    """
    plan = get_plan_for_user(request.user, province_code, year, write=True)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(("GET", "POST"))
    # The preview's session copy and the request's own limit both apply; show the smaller.
    limit = min(UPLOAD_SESSION_MAX_BYTES, settings.UPLOAD_MAX_BYTES)
    context = {
        "plan": plan,
        "province": plan.province,
        "closed_message": plan_closed_message(plan) if plan.is_closed else "",
        "max_bytes": limit,
    }
    if request.method == "GET":
        request.session.pop(UPLOAD_SESSION_KEY, None)
        return render(request, "plans/entry_upload.html", context)

    if "confirm" in request.POST:
        return _upload_confirm(request, plan, context)

    upload = request.FILES.get("file")
    # A file past UPLOAD_MAX_BYTES was skipped while it arrived: it is not in request.FILES.
    skipped = oversized_upload(request, "file")
    if upload is None and skipped is None:
        context["file_error"] = _("Chưa chọn tệp. Hãy chọn tệp CSV hoặc Excel (.xlsx).")
        return render(request, "plans/entry_upload.html", context, status=400)
    name, size = skipped or (upload.name, upload.size)
    if skipped or size > limit:
        context["file_error"] = _(
            "Tệp %(name)s quá lớn (%(size)s KB; tối đa %(max)s KB). Hãy chia thành nhiều tệp."
        ) % {"name": name, "size": size // 1024, "max": limit // 1024}
        return render(request, "plans/entry_upload.html", context, status=400)
    data = upload.read()
    report, refused = _import(request, plan, data, dry_run=True)
    context.update({"report": report, "refused": refused, "filename": upload.name})
    if refused:
        request.session.pop(UPLOAD_SESSION_KEY, None)
        return render(request, "plans/entry_upload.html", context, status=400)
    request.session[UPLOAD_SESSION_KEY] = {
        "plan": plan.pk,
        "name": upload.name,
        "data": base64.b64encode(data).decode("ascii"),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    context["confirm_sha256"] = request.session[UPLOAD_SESSION_KEY]["sha256"]
    return render(request, "plans/entry_upload.html", context)


def _upload_confirm(request, plan, context):
    kept = request.session.get(UPLOAD_SESSION_KEY)
    if (
        not kept
        or kept.get("plan") != plan.pk
        or kept.get("sha256") != request.POST.get("sha256")
    ):
        context["file_error"] = _(
            "Không tìm thấy tệp đã xem trước (có thể bạn đã mở trang tải lên ở thẻ khác). "
            "Hãy chọn tệp và xem trước lại."
        )
        return render(request, "plans/entry_upload.html", context, status=400)
    data = base64.b64decode(kept["data"])
    report, refused = _import(request, plan, data, dry_run=False)
    if refused:
        request.session.pop(UPLOAD_SESSION_KEY, None)
        context.update({"report": report, "refused": True, "filename": kept["name"]})
        return render(request, "plans/entry_upload.html", context, status=400)
    request.session.pop(UPLOAD_SESSION_KEY, None)
    messages.success(
        request,
        _(
            "Đã nhập tệp %(name)s: %(created)s kết quả mới, %(updated)s kết quả được sửa, "
            "%(unchanged)s không đổi, %(skipped)s dòng trống bỏ qua."
        )
        % {
            "name": kept["name"],
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": report.skipped_blank,
        },
    )
    return redirect("plans:entry_year", province_code=plan.province.code, year=plan.year)


def _import(request, plan, data: bytes, *, dry_run: bool):
    """Return (report, refused) for importing ``data`` into ``plan``'s province and year."""
    try:
        report = imports.results_import(
            source=data,
            user=request.user,
            channel=Change.Channel.UPLOAD,
            dry_run=dry_run,
            provinces=[plan.province_id],
            years=[plan.year],
            budget=imports.ReadBudget.web(),
        )
    except imports.ImportRefused as refusal:
        return refusal.report, True
    return report, False
