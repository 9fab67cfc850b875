"""The leaders' progress dashboard: read-only pages, a printable report and downloads.

Every page gets its province or plan through :mod:`plans.policy.access` and its figures through
:mod:`plans.selectors` (progress of any set of targets in a constant number of queries).
Anonymous visitors are sent to the login page unless ``settings.PUBLIC_DASHBOARD`` is on.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import MAX_YEAR, MIN_YEAR
from plans.outputs import charts, exports, workbook
from plans.outputs.territory_charts import comparable_chart, territory_chart
from plans.policy.access import (
    check_plan_visible,
    get_plan_for_user,
    get_province_for_user,
    reads_agency_pages,
    sees_drafts,
)
from plans.rules import progress
from plans.rules.parsing import parse_ascii_int
from plans.selectors import caching, comparison
from plans.selectors import programmes as programme_selectors
from plans.selectors.agencies import indicator_by_code
from plans.selectors.checklists import target_items
from plans.selectors.comparable import comparable_series
from plans.selectors.figures import kept_scope_figures, year_figures
from plans.selectors.plans import (
    province_plan,
    readable_provinces,
    sees_several_provinces,
    target_page_figures,
    visible_plans,
    years_by_province,
)
from plans.selectors.progress import indicator_over_years, plan_target
from plans.selectors.territory import territory_trends
from plans.views.decorators import dashboard_view
from plans.words.wording import number_text, report_counts_text, whole_percent_text


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404


def _province_year_context(request, province_code: str, year: int) -> dict:
    """Return what the dashboard and the report show for one province and year.

    Queries: the user's profile, the province, the plan, then those of
    :func:`plans.selectors.figures.year_figures`.
    """
    _check_year(year)
    province = get_province_for_user(request.user, province_code)
    plan = province_plan(province, year)
    check_plan_visible(request.user, plan)
    # Every year's figures versions of the province, read once for the keys of the year's
    # figures, the forecasts and the programmes (None with the cache off).
    versions = caching.figures_versions([province.pk]) if caching.enabled() else None
    # "approved figures only" or "all figures" (the default: provisional ones marked).
    bundle = year_figures(
        province=province, year=year, plan=plan,
        approved_only=request.GET.get("figures") == "approved", versions=versions,
    )
    if plan is None and not bundle.untargeted:
        raise Http404
    forecasts, forecasts_key = programme_selectors.kept_plan_forecasts(
        request.user, plan, [row.target for row in bundle.rows], versions=versions,
    )
    return {
        "province": province,
        "year": year,
        "plan": plan,
        "groups": bundle.groups,
        "met": bundle.met,
        "total": len(bundle.rows),
        "provisional": bundle.provisional,
        "untargeted": bundle.untargeted,
        "sample": bundle.sample,
        "as_of": bundle.as_of,
        "approved_only": bundle.approved_only,
        "reports": report_counts_text(bundle.reports) if bundle.reports is not None else None,
        # The programme targets each plan target is a milestone of, with their forecasts.
        "programme_forecasts": forecasts,
        # The tables of targets, rendered once per figures version (the template's cache tag):
        # the year's figures, and the forecasts, which read the other years too.
        "figures_key": bundle.fragment_key,
        "forecasts_key": forecasts_key,
        "versions": versions,
        "figures_seconds": settings.FIGURES_CACHE_SECONDS,
        "figures_cache": settings.FIGURES_CACHE,
    }


@dashboard_view
def dashboard_index(request):
    """List the provinces the user may read with their years, latest first; jump to one."""
    provinces = readable_provinces(request.user)
    years = years_by_province(request.user, [province.pk for province in provinces])

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

    programmes = programme_selectors.programmes_by_province(
        [province.pk for province in provinces]
    )
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
    context["sees_several"] = sees_several_provinces(request.user)
    versions = context.pop("versions")
    context["programmes"] = (
        programme_selectors.kept_province_programmes(context["province"], versions)
        if versions is not None else programme_selectors.province_programmes(context["province"])
    )
    return render(request, "plans/dashboard_plan.html", context)


@dashboard_view
def dashboard_report(request, province_code: str, year: int):
    """Show the province-year dashboard as an A4 report in administrative style."""
    context = _province_year_context(request, province_code, year)
    context.pop("versions")
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
            ("untargeted", context["untargeted"]),
            ("programmes", context["report_forecasts"]),
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
    target = plan_target(plan, target_id)
    if target is None:
        raise Http404
    agency_links = reads_agency_pages(request.user)
    # With links to the agencies' pages, the files behind each figure (one query, when the
    # agencies' tables are rendered afresh).
    figures = target_page_figures(request.user, plan, target, evidence=agency_links)
    # A checklist target is met by its items, not by the agencies' results: its items (one
    # query) instead of the agencies' figures.
    checklist = figures["row"].progress.checklist
    items = target_items(target) if checklist else []
    reported = [] if checklist else figures["reported"]
    not_reported = [] if checklist else figures["not_reported"]
    return render(
        request,
        "plans/dashboard_target.html",
        {
            "province": plan.province,
            "plan": plan,
            "year": year,
            "row": figures["row"],
            "target": target,
            "items": items,
            "reported": reported,
            "lagging": figures["lagging"],
            "not_reported": not_reported,
            "agency_links": agency_links,
            "history": figures["history"],
            "as_of": figures["as_of"],
            # The agencies' tables, rendered once per figures version (the cache tag).
            "figures_key": figures["fragment_key"],
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            "figures_cache": settings.FIGURES_CACHE,
        },
    )


@dashboard_view
def dashboard_trend(request, province_code: str, indicator_code: str):
    """Show an indicator's achievement by year against each year's target, chart and table.

    Queries: profile, province, indicator, the province's targets on it in every year, agency
    counts and result sums for all of them at once.
    """
    province = get_province_for_user(request.user, province_code)
    indicator = indicator_by_code(indicator_code)
    if indicator is None:
        raise Http404
    rows = indicator_over_years(indicator, plans=visible_plans(request.user, province))
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
    provinces = readable_provinces(request.user)
    if not provinces:
        raise Http404
    context, figures_key = comparison.kept_build(
        provinces, year,
        plans=visible_plans(request.user, year=year),
        sort=request.GET.get("sort", ""),
        direction=request.GET.get("dir", "asc"),
    )
    return render(
        request, "plans/dashboard_compare.html",
        # The words of a cell, translated once for the page's hundreds of cells.
        {"year": year, "provisional_word": _("tạm tính"),
         "territory_label": _("địa bàn hiện nay"),
         "territory_word": _("gồm số liệu của tỉnh trước sáp nhập"),
         # The table, rendered once per figures version, reader and order (the cache tag).
         "figures_key": figures_key,
         "figures_seconds": settings.FIGURES_CACHE_SECONDS,
         "figures_cache": settings.FIGURES_CACHE, **context},
    )


@dashboard_view
def dashboard_csv(request, province_code: str, year: int):
    """Download the progress of a province and year, byte for byte what export_progress writes."""
    _check_year(year)
    province = get_province_for_user(request.user, province_code)
    check_plan_visible(request.user, province_plan(province, year))
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

    The workbook's bytes are kept in the figures cache under the province's figures versions
    (every year: the programmes' forecasts read the other years), the options and whether the
    person sees draft plans: a repeated download is the versions' one query, not openpyxl's
    hundreds of milliseconds. Its summary says when it was made, which on a hit is when these
    same figures were first written out.

    Queries: profile, province, plan, the versions, then on a miss those of
    :func:`plans.selectors.figures.year_figures` (``?figures=approved`` as on the dashboard),
    the agencies in scope and their results, and the programmes' forecasts.
    """
    _check_year(year)
    province = get_province_for_user(request.user, province_code)
    plan = province_plan(province, year)
    check_plan_visible(request.user, plan)
    approved_only = request.GET.get("figures") == "approved"

    def build() -> bytes:
        bundle = year_figures(province=province, year=year, plan=plan,
                              approved_only=approved_only)
        return workbook.progress_xlsx(
            province=province,
            year=year,
            plan=plan,
            groups=bundle.groups,
            figures=(kept_scope_figures(plan, [row.target for row in bundle.rows])
                     if plan else {}),
            untargeted=bundle.untargeted,
            as_of=bundle.as_of,
            approved_only=bundle.approved_only,
            exported_at=timezone.now(),
            forecasts=[
                item
                for found in (
                    programme_selectors.plan_forecasts(
                        plan, [row.target for row in bundle.rows],
                        plans=visible_plans(request.user),
                    ) if plan and bundle.rows else {}
                ).values()
                for item in found
            ],
        )

    content = caching.kept(
        "xlsx",
        lambda: (caching.figures_versions([province.pk]), province.pk, year,
                 plan.pk if plan else None, approved_only, sees_drafts(request.user)),
        build,
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="progress-{province.code}-{year}.xlsx"'
    )
    return response

