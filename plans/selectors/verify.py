"""Every figure of the pages recomputed from the raw results, and compared with what the pages
show (``manage.py verify_figures``).

The recomputation shares nothing with the pages' reads but the arithmetic of
:mod:`plans.rules.progress`: it loads a province's agencies, results and reports of a year,
adds them up in Python, and asks the same questions the dashboard, the target pages and the
workbook answer — each target's progress with all figures and with approved ones only, what
each agency in scope reported, the indicators reported without a target, the report counts, the
agencies still owing a figure and when the figures last changed. The pages' side is read as a
page reads it, through :func:`plans.selectors.figures.year_figures` and
:func:`plans.selectors.figures.kept_scope_figures`, the cache included.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from indicators.models import Indicator
from plans.models import Agency, Plan, Province, Result, Submission, Target
from plans.rules import progress
from plans.rules.tiers import TIER_ORDER
from plans.selectors.figures import (
    figures_as_of,
    kept_scope_figures,
    year_figures,
)

# The stored "figures as of" time is the history entry's; the scan's may be the result's own,
# saved a moment before its entry in the same transaction.
AS_OF_TOLERANCE = datetime.timedelta(seconds=2)


@dataclass(frozen=True)
class Difference:
    """One figure that a page shows otherwise than the raw results give."""

    province: str
    year: int
    what: str
    shown: object
    raw: object

    def __str__(self) -> str:
        return f"{self.province} {self.year} {self.what}: shown {self.shown!r}, raw {self.raw!r}"


def province_years(province_code: str | None = None, year: int | None = None):
    """Return the (province, year) pairs that have a plan or results, filtered as asked."""
    provinces = Province.objects.order_by("code")
    if province_code is not None:
        provinces = provinces.filter(code=province_code)
    by_id = {province.pk: province for province in provinces}
    pairs: set[tuple[int, int]] = set()
    plans = Plan.objects.filter(province_id__in=by_id)
    results = Result.objects.filter(agency__province_id__in=by_id)
    if year is not None:
        plans, results = plans.filter(year=year), results.filter(year=year)
    pairs.update(plans.values_list("province_id", "year"))
    pairs.update(results.values_list("agency__province_id", "year").distinct().order_by())
    return [(by_id[pk], y) for pk, y in sorted(pairs, key=lambda p: (by_id[p[0]].code, p[1]))]


def _tally(results, *, in_scope: int) -> progress.Tally:
    return progress.Tally(
        agencies_in_scope=in_scope,
        agencies_reporting=len(results),
        value_sum=sum(r.value or 0 for r in results),
        numerator_sum=sum(r.numerator or 0 for r in results),
        denominator_sum=sum(r.denominator or 0 for r in results),
    )


def year_differences(province: Province, year: int) -> list[Difference]:
    """Return every difference between the pages of ``province``'s ``year`` and its raw
    results."""
    differences: list[Difference] = []

    def check(what: str, shown, raw) -> None:
        if shown != raw:
            differences.append(Difference(province.code, year, what, shown, raw))

    plan = Plan.objects.filter(province=province, year=year).first()
    active = {
        agency.pk: agency
        for agency in Agency.objects.filter(province=province)
        if agency.is_active_in(year)
    }
    results = [r for r in Result.objects.filter(agency__province=province, year=year)
               if r.agency_id in active]
    targets = list(plan.targets.select_related("indicator")) if plan else []
    approved = set(
        Submission.objects.filter(plan=plan, state=Submission.State.APPROVED)
        .values_list("agency_id", flat=True)
    ) if plan else set()
    by_indicator: dict[int, list[Result]] = defaultdict(list)
    for result in results:
        by_indicator[result.indicator_id].append(result)

    for approved_only in (False, True):
        bundle = year_figures(province=province, year=year, plan=plan,
                              approved_only=approved_only)
        shown = {row.target.pk: row.progress for row in bundle.rows}
        check("targets" + (" (approved)" if approved_only else ""),
              sorted(shown), sorted(t.pk for t in targets))
        for target in targets:
            tiers = set(target.tier_list)
            in_scope = sum(1 for agency in active.values() if agency.tier in tiers)
            counted = [
                r for r in by_indicator[target.indicator_id]
                if active[r.agency_id].tier in tiers
                and (not approved_only or r.agency_id in approved)
            ]
            raw = progress.compute(
                kind=target.indicator.kind, unit=target.unit, comparator=target.comparator,
                target=target.value, tally=_tally(counted, in_scope=in_scope),
            )
            label = f"{target.indicator.code} {target.tiers}" + (
                " (approved)" if approved_only else ""
            )
            check(label, shown.get(target.pk), raw)

    bundle = year_figures(province=province, year=year, plan=plan)
    differences += _untargeted_differences(province, year, bundle, targets, by_indicator, active)
    differences += _scope_differences(province, year, plan, targets, by_indicator, active)

    wanted: dict[str, set[int]] = defaultdict(set)
    for target in targets:
        for tier in target.tier_list:
            wanted[tier].add(target.indicator_id)
    reported: dict[int, int] = defaultdict(int)
    for result in results:
        if result.indicator_id in wanted.get(active[result.agency_id].tier, ()):
            reported[result.agency_id] += 1
    missing = sum(
        1 for agency in active.values()
        if agency.tier in wanted and reported[agency.pk] < len(wanted[agency.tier])
    )
    check("agencies missing", bundle.as_of.agencies_missing, missing)
    scanned = figures_as_of(
        province_id=province.pk, year=year, plan=plan, targets=[row.target for row in bundle.rows]
    ).changed_at
    stored = bundle.as_of.changed_at
    if (stored is None) != (scanned is None) or (
        stored is not None and scanned is not None and abs(stored - scanned) > AS_OF_TOLERANCE
    ):
        differences.append(Difference(province.code, year, "figures as of", stored, scanned))

    if plan is not None:
        tiers = {tier for target in targets for tier in target.tier_list}
        submissions = Submission.objects.filter(plan=plan, agency__tier__in=tiers)
        raw_counts = {
            "agencies": sum(1 for agency in active.values() if agency.tier in tiers),
            "submitted": submissions.filter(
                state__in=[Submission.State.SUBMITTED, Submission.State.APPROVED]
            ).count(),
            "approved": submissions.filter(state=Submission.State.APPROVED).count(),
        }
        check("report counts", bundle.reports, raw_counts)
    return differences


def _untargeted_differences(province, year, bundle, targets, by_indicator, active):
    differences = []
    targeted = {target.indicator_id for target in targets}
    raw: dict[str, list] = {}
    for indicator in Indicator.objects.order_by("position", "code"):
        if indicator.pk in targeted or not by_indicator.get(indicator.pk):
            continue
        unit = progress.COUNT if indicator.kind == Indicator.Kind.COUNT else progress.PERCENT
        lines = []
        for tier in TIER_ORDER:
            tier_results = [r for r in by_indicator[indicator.pk]
                            if active[r.agency_id].tier == tier]
            if tier_results:
                tally = _tally(tier_results, in_scope=len(tier_results))
                lines.append((tier, progress.compute(
                    kind=indicator.kind, unit=unit, comparator=Target.Comparator.GTE,
                    target=0, tally=tally,
                )))
        raw[indicator.code] = lines
    shown = {
        figure.indicator.code: [(line.tier, line.progress) for line in figure.lines]
        for figure in bundle.untargeted
    }
    if shown != raw:
        for code in sorted(set(shown) | set(raw)):
            if shown.get(code) != raw.get(code):
                differences.append(Difference(province.code, year, f"untargeted {code}",
                                              shown.get(code), raw.get(code)))
    return differences


def _scope_differences(province, year, plan, targets, by_indicator, active):
    """Each agency's own figure on the target pages and the workbook's target sheets."""
    if plan is None or not targets:
        return []
    differences = []
    figures = kept_scope_figures(plan, targets)
    for target in targets:
        reported, not_reported = figures[target.pk]
        tiers = set(target.tier_list)
        raw_results = {r.agency_id: r for r in by_indicator[target.indicator_id]
                       if active[r.agency_id].tier in tiers}
        in_scope = {pk for pk, agency in active.items() if agency.tier in tiers}
        shown_reported = {figure.agency.pk: (figure.result.value, figure.result.numerator,
                                             figure.result.denominator)
                          for figure in reported}
        raw_reported = {pk: (r.value, r.numerator, r.denominator)
                        for pk, r in raw_results.items()}
        if shown_reported != raw_reported:
            differences.append(Difference(province.code, year,
                                          f"agencies reporting {target.indicator.code}",
                                          shown_reported, raw_reported))
        shown_silent = {figure.agency.pk for figure in not_reported}
        if shown_silent != in_scope - set(raw_results):
            differences.append(Difference(province.code, year,
                                          f"agencies silent {target.indicator.code}",
                                          sorted(shown_silent),
                                          sorted(in_scope - set(raw_results))))
    return differences


def figures_differences(province_code: str | None = None, year: int | None = None):
    """Yield every difference of every (province, year) asked, province by province."""
    for province, each_year in province_years(province_code, year):
        yield from year_differences(province, each_year)
