"""The leaders' progress dashboard: read-only pages, a printable report and downloads.

Every page gets its province or plan through :mod:`plans.policy.access` and its figures through
:mod:`plans.selectors.progress` (progress of any set of targets in a constant number of queries).
Anonymous visitors are sent to the login page unless ``settings.PUBLIC_DASHBOARD`` is on.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.models import MAX_YEAR, MIN_YEAR, Plan, Target
from plans.outputs import charts, exports, workbook
from plans.outputs.territory_charts import comparable_chart, territory_chart
from plans.policy.access import (
    check_plan_visible,
    get_plan_for_user,
    get_province_for_user,
    provinces_for_user,
    sees_drafts,
    without_hidden_drafts,
)
from plans.rules import progress
from plans.rules.parsing import parse_ascii_int
from plans.selectors import comparison
from plans.selectors import programmes as programme_selectors
from plans.selectors import progress as selectors
from plans.selectors.checklists import target_items
from plans.selectors.comparable import comparable_series
from plans.selectors.territory import territory_trends
from plans.views.decorators import dashboard_view
from plans.words.collation import sorted_vietnamese
from plans.words.wording import number_text, whole_percent_text


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
    result sums, indicators reported without a target, whether any result is sample data, and
    when the figures last changed with how many agencies have not reported.
    """
    _check_year(year)
    province = get_province_for_user(request.user, province_code)
    plan = province.plans.filter(year=year).first()
    check_plan_visible(request.user, plan)
    # "approved figures only" or "all figures" (the default: provisional ones marked).
    approved_only = request.GET.get("figures") == "approved"
    rows = sorted(
        selectors.plan_progress(plan, approved_only=approved_only), key=selectors.display_order
    ) if plan else []
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
        "as_of": selectors.figures_as_of(
            province_id=province.pk, year=year, plan=plan, targets=[row.target for row in rows]
        ),
        "approved_only": approved_only,
        "reports": selectors.submission_counts(
            plan, {tier for row in rows for tier in row.target.tier_list}
        ) if plan else None,
        # The programme targets each plan target is a milestone of, with their forecasts.
        "programme_forecasts": programme_selectors.plan_forecasts(
            plan, [row.target for row in rows],
            plans=without_hidden_drafts(request.user, Plan.objects.all()),
        ) if plan and rows else {},
    }


@dashboard_view
def dashboard_index(request):
    """List the provinces the user may read with their years, latest first; jump to one."""
    provinces = sorted_vietnamese(
        provinces_for_user(request.user).order_by(), key=lambda province: province.name
    )
    province_ids = [province.pk for province in provinces]
    years = selectors.result_years(province_ids)
    for province_id, plan_year, status in Plan.objects.filter(
        province_id__in=province_ids
    ).values_list("province_id", "year", "status"):
        if status == Plan.Status.DRAFT and not sees_drafts(request.user):
            # A draft's year is not offered, even with results: its pages answer 404.
            years[province_id].discard(plan_year)
        else:
            years[province_id].add(plan_year)

    chosen_code, chosen_year = request.GET.get("province"), request.GET.get("year")
    error = None
    if chosen_code or chosen_year:
        by_code = {province.code: province for province in provinces}
        province = by_code.get(chosen_code or "")
        year = parse_ascii_int(chosen_year, max_digits=4)
        if province is None:
            error = _("Hãy chọn một tỉnh trong danh sách.")
        elif year not in years[province.pk]:
            error = _("Tỉnh %(province)s chưa có kế hoạch hay số liệu cho năm %(year)s.") % {
                "province": province.name,
                "year": chosen_year or "—",
            }
        else:
            return redirect("plans:dashboard_plan", province.code, year)

    programmes = programme_selectors.programmes_by_province(province_ids)
    entries = [
        {"province": province, "years": sorted(years[province.pk], reverse=True),
         "programmes": programmes.get(province.pk, [])}
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
    context["programmes"] = programme_selectors.province_programmes(context["province"])
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
    numerals = iter(["II", "III", "IV", "V"])
    context["report_forecasts"] = [
        item for items in context["programme_forecasts"].values() for item in items
    ]
    context["numbers"] = {
        section: next(numerals)
        for section, present in (
            ("results", context["total"]),
            ("programmes", context["report_forecasts"]),
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
    agency counts and result sums for those, agencies in scope, their results, when the
    figures last changed. A checklist target lists its items (one query) instead of the
    agencies in scope and their results.
    """
    _check_year(year)
    plan = get_plan_for_user(request.user, province_code, year)
    target = get_object_or_404(plan.targets.select_related("indicator", "plan"), pk=target_id)
    history = selectors.targets_progress(
        Target.objects.filter(
            plan__in=without_hidden_drafts(request.user, Plan.objects.all()),
            plan__province_id=plan.province_id, indicator_id=target.indicator_id,
            tiers=target.tiers,
        )
        .select_related("plan", "indicator")
        .order_by("-plan__year")
    )
    current = next(item for item in history if item.target.pk == target.pk)
    if current.progress.checklist:
        # A checklist target is met by its items, not by the agencies' results: its items
        # instead of the agencies' figures.
        items = target_items(target)
        reported: list = []
        not_reported: list = []
    else:
        items = []
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
            "items": items,
            "reported": reported,
            "lagging": sum(1 for figure in reported if figure.lagging),
            "not_reported": not_reported,
            "history": [item for item in history if item.target.pk != target.pk],
            "as_of": selectors.figures_as_of(
                province_id=plan.province_id, year=year, plan=plan, targets=[target]
            ),
        },
    )


@dashboard_view
def dashboard_trend(request, province_code: str, indicator_code: str):
    """Show an indicator's achievement by year against each year's target, chart and table.

    Queries: profile, province, indicator, the province's targets on it in every year, agency
    counts and result sums for all of them at once.
    """
    province = get_province_for_user(request.user, province_code)
    indicator = get_object_or_404(
        Indicator.objects.select_related("predecessor"), code=indicator_code
    )
    rows = selectors.targets_progress(
        Target.objects.filter(
            plan__in=without_hidden_drafts(request.user, province.plans.all()),
            indicator=indicator,
        )
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
        series: dict[str, charts.Series] = {}
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
                    whole_percent_text if unit == progress.PERCENT
                    else (lambda value: number_text(value, 0))
                ),
                target_label=_("Chỉ tiêu của từng năm"),
            )
        )
    scopes = list(dict.fromkeys((row.target.tier_list, row.target.unit) for row in rows))

    def targets_of(tiers, unit) -> dict:
        return {row.target.plan.year: row.target.value for row in rows
                if (row.target.tier_list, row.target.unit) == (tiers, unit)}

    # An indicator that replaced another (Decree 42/2022): one series, split where it changed.
    comparable = [
        (
            found,
            comparable_chart(
                found, targets=targets_of(found.tiers, found.unit),
                title=_("%(indicator)s – chuỗi số liệu so sánh được, tỉnh %(province)s") % {
                    "indicator": indicator.name, "province": province.name,
                },
                title_id=f"comparable-title-{index}",
            ),
        )
        for index, found in enumerate(
            comparable_series(province=province, indicator=indicator, scopes=scopes), start=1
        )
    ]
    # A merged province: the figures of the territory it covers now, before the merger too.
    trends = territory_trends(province=province, indicator=indicator, scopes=scopes)
    territory = [
        (
            trend,
            territory_chart(
                trend,
                targets=targets_of(trend.tiers, trend.unit),
                title=_("%(indicator)s – địa bàn tỉnh %(province)s hiện nay") % {
                    "indicator": indicator.name, "province": province.name,
                },
                title_id=f"territory-title-{index}",
            ),
        )
        for index, trend in enumerate(trends, start=1)
    ]
    return render(
        request,
        "plans/dashboard_trend.html",
        {"province": province, "indicator": indicator, "rows": rows, "charts": charts_by_unit,
         "territory": territory, "comparable": comparable},
    )


@dashboard_view
def dashboard_compare(request, year: int):
    """Show the provinces the user may read side by side, per indicator and scope, for a year.

    Queries: profile, the provinces, then those of :func:`plans.selectors.comparison.build`.
    """
    _check_year(year)
    provinces = sorted_vietnamese(
        provinces_for_user(request.user).order_by(), key=lambda province: province.name
    )
    if not provinces:
        raise Http404
    context = comparison.build(
        provinces, year,
        plans=without_hidden_drafts(request.user, Plan.objects.filter(year=year)),
        sort=request.GET.get("sort", ""),
        direction=request.GET.get("dir", "asc"),
    )
    return render(request, "plans/dashboard_compare.html", {"year": year, **context})


@dashboard_view
def dashboard_csv(request, province_code: str, year: int):
    """Download the progress of a province and year, byte for byte what export_progress writes."""
    _check_year(year)
    province = get_province_for_user(request.user, province_code)
    check_plan_visible(request.user, province.plans.filter(year=year).first())
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
    """Download the progress as a workbook for people: a summary grouped as on the dashboard,
    a sheet per target, and the indicators reported without a target on a last sheet.

    Queries: profile, province, plan, targets, agency counts, result sums, agencies, results,
    untargeted indicators, when the figures last changed.
    """
    _check_year(year)
    province = get_province_for_user(request.user, province_code)
    plan = province.plans.filter(year=year).first()
    check_plan_visible(request.user, plan)
    items = sorted(selectors.plan_progress(plan), key=selectors.display_order) if plan else []
    figures = selectors.scope_figures(plan, [item.target for item in items]) if plan else {}
    untargeted = selectors.untargeted_figures(
        province_id=province.pk,
        year=year,
        exclude_indicator_ids={item.target.indicator_id for item in items},
    )
    forecasts = programme_selectors.plan_forecasts(
        plan, [item.target for item in items],
        plans=without_hidden_drafts(request.user, Plan.objects.all()),
    ) if plan and items else {}
    content = workbook.progress_xlsx(
        province=province,
        year=year,
        plan=plan,
        groups=_groups(items),
        figures=figures,
        untargeted=untargeted,
        as_of=selectors.figures_as_of(
            province_id=province.pk, year=year, plan=plan,
            targets=[item.target for item in items],
        ),
        exported_at=timezone.now(),
        forecasts=[item for found in forecasts.values() for item in found],
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="progress-{province.code}-{year}.xlsx"'
    )
    return response

