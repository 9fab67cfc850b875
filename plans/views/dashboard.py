"""The leaders' progress dashboard: read-only pages, a printable report and downloads.

Every page gets its province or plan through :mod:`plans.access` and its figures through
:mod:`plans.selectors` (progress of any set of targets in a constant number of queries).
Anonymous visitors are sent to the login page unless ``settings.PUBLIC_DASHBOARD`` is on.
"""

from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators.models import Indicator
from plans import charts, exports, progress, reports, selectors
from plans.access import get_plan_for_user, get_province_for_user, provinces_for_user
from plans.models import MAX_YEAR, MIN_YEAR, Plan, Target
from plans.templatetags.progress_tags import (
    achieved_text,
    number_text,
    status_class,
    status_label,
    target_text,
)


def dashboard_view(view):
    """Let the view answer readers only: log in first unless dashboards are public; GET only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and not settings.PUBLIC_DASHBOARD:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return require_safe(wrapped)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404


def _groups(rows):
    """Return the rows by indicator group, in catalogue order, with how many are met.

    Each group is a dict of ``label``, ``rows``, ``met`` and ``total``; empty groups are left
    out.
    """
    groups = []
    for group in Indicator.Group:
        members = [row for row in rows if row.target.indicator.group == group.value]
        if members:
            met = sum(1 for row in members if row.progress.is_met)
            groups.append({"label": group.label, "rows": members, "met": met,
                           "total": len(members)})
    return groups


def _province_year_context(request, province_code: str, year: int) -> dict:
    """Return what the dashboard and the report show for one province and year.

    Queries: the user's profile, the province, the plan, the plan's targets, agency counts,
    result sums, indicators reported without a target, and whether any result is sample data.
    """
    _check_year(year)
    province = get_province_for_user(request.user, province_code)
    plan = province.plans.filter(year=year).first()
    rows = sorted(selectors.plan_progress(plan), key=selectors.display_order) if plan else []
    untargeted = selectors.untargeted_figures(
        province_id=province.pk,
        year=year,
        exclude_indicator_ids={row.target.indicator_id for row in rows},
    )
    if plan is None and not untargeted:
        raise Http404
    sample = (plan is not None and plan.is_sample) or selectors.has_sample_results(
        province_id=province.pk, year=year
    )
    return {
        "province": province,
        "year": year,
        "plan": plan,
        "groups": _groups(rows),
        "met": sum(1 for row in rows if row.progress.is_met),
        "total": len(rows),
        "provisional": sum(1 for row in rows if row.progress.is_provisional),
        "untargeted": untargeted,
        "sample": sample,
    }


@dashboard_view
def dashboard_index(request):
    """List the provinces the user may read with their years, latest first; jump to one."""
    provinces = list(provinces_for_user(request.user))
    province_ids = [province.pk for province in provinces]
    years = selectors.result_years(province_ids)
    for province_id, year in Plan.objects.filter(province_id__in=province_ids).values_list(
        "province_id", "year"
    ):
        years[province_id].add(year)

    chosen_code, chosen_year = request.GET.get("province"), request.GET.get("year")
    error = None
    if chosen_code or chosen_year:
        by_code = {province.code: province for province in provinces}
        province = by_code.get(chosen_code or "")
        if province is None:
            error = _("Hãy chọn một tỉnh trong danh sách.")
        elif not (chosen_year or "").isdigit() or int(chosen_year) not in years[province.pk]:
            error = _("Tỉnh %(province)s chưa có kế hoạch hay số liệu cho năm %(year)s.") % {
                "province": province.name,
                "year": chosen_year or "—",
            }
        else:
            return redirect("plans:dashboard_plan", province.code, int(chosen_year))

    entries = [
        {"province": province, "years": sorted(years[province.pk], reverse=True)}
        for province in provinces
    ]
    all_years = sorted(set().union(*years.values()) if years else set(), reverse=True)
    return render(
        request,
        "plans/dashboard_index.html",
        {
            "entries": entries,
            "all_years": all_years,
            "compare_years": all_years if len(provinces) > 1 else [],
            "error": error,
            "chosen_code": chosen_code or "",
            "chosen_year": chosen_year or "",
        },
    )


@dashboard_view
def dashboard_plan(request, province_code: str, year: int):
    """Show a province's targets of a year: headline, one row per target, untargeted figures."""
    context = _province_year_context(request, province_code, year)
    context["sees_several"] = provinces_for_user(request.user)[:2].count() > 1
    return render(request, "plans/dashboard_plan.html", context)


@dashboard_view
def dashboard_report(request, province_code: str, year: int):
    """Show the province-year dashboard as an A4 report in administrative style."""
    context = _province_year_context(request, province_code, year)
    today = timezone.localdate()
    context["place_date"] = _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": context["province"].name,
        "day": f"{today.day:02d}",
        "month": f"{today.month:02d}",
        "year": today.year,
    }
    plan = context["plan"]
    context["tasks"] = [line.strip() for line in (plan.tasks if plan else "").splitlines()
                        if line.strip()]
    # Sections after "I. Căn cứ" are numbered in order, leaving out those with nothing to say.
    numerals = iter(["II", "III", "IV"])
    context["numbers"] = {
        section: next(numerals)
        for section, present in (
            ("results", context["total"]),
            ("untargeted", context["untargeted"]),
            ("tasks", context["tasks"]),
        )
        if present
    }
    return render(request, "plans/dashboard_report.html", context)


@dashboard_view
def dashboard_target(request, province_code: str, year: int, target_id: int):
    """Show one target: the agencies in scope, lagging first, and the same target over the years.

    Queries: profile, province, plan, target, the same target in every plan of the province,
    agency counts and result sums for those, agencies in scope, their results.
    """
    _check_year(year)
    plan = get_plan_for_user(request.user, province_code, year)
    target = get_object_or_404(plan.targets.select_related("indicator", "plan"), pk=target_id)
    history = selectors.targets_progress(
        Target.objects.filter(
            plan__province_id=plan.province_id, indicator_id=target.indicator_id,
            tiers=target.tiers,
        )
        .select_related("plan", "indicator")
        .order_by("-plan__year")
    )
    current = next(item for item in history if item.target.pk == target.pk)
    reported, not_reported = selectors.scope_figures(plan, [target])[target.pk]
    return render(
        request,
        "plans/dashboard_target.html",
        {
            "province": plan.province,
            "plan": plan,
            "year": year,
            "row": current,
            "target": target,
            "reported": reported,
            "lagging": sum(1 for figure in reported if figure.lagging),
            "not_reported": not_reported,
            "history": [item for item in history if item.target.pk != target.pk],
        },
    )


@dashboard_view
def dashboard_trend(request, province_code: str, indicator_code: str):
    """Show an indicator's achievement by year against each year's target, chart and table.

    Queries: profile, province, indicator, the province's targets on it in every year, agency
    counts and result sums for all of them at once.
    """
    province = get_province_for_user(request.user, province_code)
    indicator = get_object_or_404(Indicator, code=indicator_code)
    rows = selectors.targets_progress(
        Target.objects.filter(plan__province=province, indicator=indicator)
        .select_related("plan", "indicator")
        .order_by("plan__year", "tiers", "unit")
    )
    charts_by_unit = []
    for unit, unit_label in ((progress.PERCENT, _("Tỉ lệ (%)")), (progress.COUNT, _("Số lượng"))):
        unit_rows = [row for row in rows if row.target.unit == unit]
        if not unit_rows:
            continue
        first, last = unit_rows[0].target.plan.year, unit_rows[-1].target.plan.year
        years = list(range(first, last + 1))
        series = {}
        for row in unit_rows:
            line = series.setdefault(
                row.target.tiers, charts.Series(label=row.target.scope_in_words())
            )
            line.achieved[row.target.plan.year] = row.progress.achieved_rounded
            line.targets[row.target.plan.year] = row.target.value
        title = _("%(indicator)s – tỉnh %(province)s, %(first)s–%(last)s (%(unit)s)") % {
            "indicator": indicator.name,
            "province": province.name,
            "first": first,
            "last": last,
            "unit": unit_label,
        }
        charts_by_unit.append(
            charts.trend_svg(
                series=list(series.values()),
                years=years,
                unit=unit,
                title=title,
                format_number=(
                    _percent_label if unit == progress.PERCENT
                    else (lambda value: number_text(value, 0))
                ),
                target_label=_("Chỉ tiêu của từng năm"),
            )
        )
    return render(
        request,
        "plans/dashboard_trend.html",
        {"province": province, "indicator": indicator, "rows": rows, "charts": charts_by_unit},
    )


def _percent_label(value) -> str:
    """Return an axis label of a percent chart: "75 %"."""
    return _("%(number)s %%") % {"number": number_text(value, 0)}


def _compare_sort_key(province_id, cells):
    """Sort rows by one province: not met first, then met, then no data, then no target;
    within a status by achieved value, lowest first."""
    rank = {progress.Status.NOT_MET: 0, progress.Status.MET: 1, progress.Status.NO_DATA: 2}

    def key(line):
        item, cell = cells[line["key"]][province_id]
        if not cell.status:
            return (3, 0)
        return (rank[item.progress.status], item.progress.achieved or 0)

    return key


@dataclass(frozen=True, slots=True)
class CompareCell:
    """One province's figure in the comparison table, in words, ready to print.

    A province that sets no target for the row's indicator and scope gets a cell too when its
    agencies in that scope reported: the achieved value, uncoloured, without status or link
    (``status`` and ``url`` empty).
    """

    status: str
    url: str
    achieved: str
    target_words: str
    status_class: str
    status_label: str
    provisional: bool


def _compare_cells(items, year: int, stand_ins: set) -> list:
    """Return a :class:`CompareCell` per target progress, in the order of ``items``.

    ``stand_ins`` holds the ids of the unsaved targets that stand for "no target here". The
    national page has hundreds of cells; the words that repeat (a target's words, a status's
    label, a province's link prefix) are made once, not per cell in the template.
    """
    link_prefix, target_words, status_words = {}, {}, {}
    no_target = _("không đặt chỉ tiêu")
    cells = []
    for item in items:
        target, prog = item.target, item.progress
        if id(target) in stand_ins:
            reported = prog.agencies_reporting > 0
            cells.append(
                CompareCell(
                    status="",
                    url="",
                    achieved=achieved_text(prog, target.indicator) if reported else "",
                    target_words=no_target,
                    status_class="cell-none",
                    status_label="",
                    provisional=reported and prog.is_provisional,
                )
            )
            continue
        province = target.plan.province
        if province.pk not in link_prefix:
            # The URL of a target with pk 0, cut before it: the same for every target.
            sample = reverse("plans:dashboard_target", args=[province.code, year, 0])
            link_prefix[province.pk] = sample[: sample.rindex("0/")]
        key = (target.indicator_id, target.unit, target.comparator, target.value)
        if key not in target_words:
            target_words[key] = _("chỉ tiêu %(target)s") % {"target": target_text(target)}
        if prog.status not in status_words:
            status_words[prog.status] = (status_class(prog.status), status_label(prog.status))
        css, label = status_words[prog.status]
        cells.append(
            CompareCell(
                status=prog.status,
                url=f"{link_prefix[province.pk]}{target.pk}/",
                achieved=achieved_text(prog, target.indicator),
                target_words=target_words[key],
                status_class=css,
                status_label=label,
                provisional=prog.is_provisional,
            )
        )
    return cells


def _stand_in(row_target: Target, province, year: int) -> Target:
    """Return an unsaved target of ``row_target``'s indicator, scope and unit in ``province``:
    its progress is what the province achieved there without a target."""
    return Target(
        plan=Plan(province=province, year=year),
        indicator=row_target.indicator,
        tiers=row_target.tiers,
        unit=row_target.unit,
        comparator=">=",
        value=0,
    )


@dashboard_view
def dashboard_compare(request, year: int):
    """Show the provinces the user may read side by side, per indicator and scope, for a year.

    A row is an indicator and scope that at least one province targets; a province without
    that target shows what it achieved there, uncoloured. Provinces with neither a target nor
    a result in the table are left out.

    Queries: profile, the provinces, every target of the year in those provinces, agency counts
    and result sums for all of them at once.
    """
    _check_year(year)
    provinces = list(provinces_for_user(request.user))
    if not provinces:
        raise Http404
    targets = list(
        Target.objects.filter(plan__year=year, plan__province__in=provinces).select_related(
            "plan", "indicator"
        )
    )
    # The provinces are loaded already: one object each, not one per target.
    by_pk = {province.pk: province for province in provinces}
    for target in targets:
        target.plan.province = by_pk[target.plan.province_id]
    rows, targeted = {}, set()
    for target in targets:
        key = (target.indicator.code, target.tiers)
        rows.setdefault(key, target)
        targeted.add((key, target.plan.province_id))
    stand_ins = [
        _stand_in(row_target, province, year)
        for key, row_target in rows.items()
        for province in provinces
        if (key, province.pk) not in targeted
    ]
    items = selectors.targets_progress(targets + stand_ins)
    stand_in_ids = {id(target) for target in stand_ins}
    prepared = _compare_cells(items, year, stand_in_ids)

    cells, shown, lines = {}, set(), {}
    for item, cell in zip(items, prepared, strict=True):
        target = item.target
        key = (target.indicator.code, target.tiers)
        cells.setdefault(key, {})[target.plan.province_id] = (item, cell)
        if cell.status or cell.achieved:
            shown.add(target.plan.province_id)
        if id(target) not in stand_in_ids:
            order = selectors.display_order(item)
            lines.setdefault(key, {"key": key, "target": target, "order": order})
    columns = [p for p in provinces if p.pk in shown]
    lines = sorted(lines.values(), key=lambda line: line["order"][:1] + line["order"][2:])

    sort, direction = request.GET.get("sort", ""), request.GET.get("dir", "asc")
    by_code = {province.code: province for province in columns}
    if sort in by_code:
        lines.sort(key=_compare_sort_key(by_code[sort].pk, cells), reverse=direction == "desc")
    else:
        sort = ""
    table = [
        {
            "target": line["target"],
            "cells": [cells[line["key"]][p.pk][1] for p in columns],
        }
        for line in lines
    ]
    headers = []
    for province in columns:
        active = sort == province.code
        next_dir = "desc" if active and direction != "desc" else "asc"
        headers.append(
            {
                "province": province,
                "url": f"?sort={province.code}&dir={next_dir}",
                "aria_sort": ("descending" if direction == "desc" else "ascending")
                if active
                else None,
            }
        )
    return render(
        request,
        "plans/dashboard_compare.html",
        {"year": year, "headers": headers, "table": table, "sort": sort},
    )


@dashboard_view
def dashboard_csv(request, province_code: str, year: int):
    """Download the progress of a province and year, byte for byte what export_progress writes."""
    _check_year(year)
    province = get_province_for_user(request.user, province_code)
    response = HttpResponse(
        exports.progress_csv(province=province, year=year).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="progress-{province.code}-{year}.csv"'
    )
    return response


@dashboard_view
def dashboard_xlsx(request, province_code: str, year: int):
    """Download the progress as a workbook: a summary sheet and one sheet per target.

    The summary rows come from the progress export itself, so that the workbook and
    progress.csv cannot disagree; indicators reported without a target get a last sheet.
    Queries: profile, province, plan, then targets, agency counts and result sums twice
    (export rows, per-target sheets), agencies, results, untargeted indicators.
    """
    _check_year(year)
    province = get_province_for_user(request.user, province_code)
    plan = province.plans.filter(year=year).first()
    summary_rows = exports.progress_rows(plan) if plan else []
    items = selectors.plan_progress(plan) if plan else []
    figures = selectors.scope_figures(plan, [item.target for item in items]) if plan else {}
    untargeted = selectors.untargeted_figures(
        province_id=province.pk,
        year=year,
        exclude_indicator_ids={item.target.indicator_id for item in items},
    )
    content = reports.progress_xlsx(
        summary_rows=summary_rows, items=items, figures=figures, untargeted=untargeted
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="progress-{province.code}-{year}.xlsx"'
    )
    return response

