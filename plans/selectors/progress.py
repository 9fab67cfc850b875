"""The progress of many targets in a constant number of queries (plans.rules.progress on sums).

The figures around it (agencies' own figures, untargeted indicators, "figures as of", report
counts, a year's dashboard bundle) are in :mod:`plans.selectors.figures`.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Sum,
)

from indicators.models import Indicator
from plans.models import Agency, Plan, Result, Submission, Target, active_in_year
from plans.rules import progress
from plans.selectors import caching
from plans.selectors.checklists import item_counts, with_item_counts


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    progress: progress.Progress


def _active_agency_counts(province_ids) -> dict:
    """Return {(province_id, tier): [(active_from, active_to, n), ...]} in one query.

    Counted by active years rather than filtered on one year: one query serves every year of
    the targets, and targets_progress applies the active-year rule (active_in_year) to each
    group of agencies with the same years.
    """
    rows = (
        Agency.objects.filter(province_id__in=province_ids)
        .values("province_id", "tier", "active_from", "active_to")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = defaultdict(list)
    for row in rows:
        counts[row["province_id"], row["tier"]].append(
            (row["active_from"], row["active_to"], row["n"])
        )
    return counts


def approved_results_only(results):
    """Return ``results`` of the agencies whose report for that year's plan is approved.

    One subquery on the plan's submissions, so a page keeps its number of queries.
    """
    return results.filter(
        Exists(
            Submission.objects.filter(
                agency_id=OuterRef("agency_id"),
                plan__year=OuterRef("year"),
                state=Submission.State.APPROVED,
            )
        )
    )


def result_tallies(*, province_ids, years, indicator_ids, approved_only: bool = False) -> dict:
    """Return {(province_id, year, indicator_id, tier): Tally-without-scope} in one query.

    Only results of agencies active in the result's own year count; with ``approved_only``,
    only those of agencies whose report is approved.
    """
    years = set(years)
    results = Result.objects.filter(
        year__in=years, indicator_id__in=indicator_ids, agency__province_id__in=province_ids
    )
    if approved_only:
        results = approved_results_only(results)
    if len(years) == 1:
        # One year (dashboards, exports, the comparison page): the active-year test is a
        # constant filter on the agencies, and the year stays out of the GROUP BY, where
        # PostgreSQL would count its ten distinct values into the number of groups, expect
        # ten times too many and sort them on disk instead of hashing them.
        (year,) = years
        results = results.filter(Agency.active_in(year, via="agency"))
        keys: tuple[str, ...] = ("agency__province_id", "indicator_id", "agency__tier")
    else:
        # Each result against its own year.
        results = results.filter(Agency.active_in(F("year"), via="agency"))
        year = None
        keys = ("agency__province_id", "year", "indicator_id", "agency__tier")
    rows = (
        results.values_list(*keys)
        # Counted on agency_id, not id: a column of the covering index, so that PostgreSQL
        # can answer from the index alone (every result has an agency).
        .annotate(Count("agency"), Sum("value"), Sum("numerator"), Sum("denominator"))
        .order_by()
    )
    tallies = {}
    for row in rows:
        if year is not None:
            row = (row[0], year, *row[1:])
        province_id, row_year, indicator_id, tier, reporting, value, numerator, denominator = row
        tallies[province_id, row_year, indicator_id, tier] = progress.Tally(
            agencies_reporting=reporting,
            value_sum=value or 0,
            numerator_sum=numerator or 0,
            denominator_sum=denominator or 0,
        )
    return tallies


def province_figures(*, province_ids, years, indicator_ids,
                     approved_only: bool = False) -> tuple[dict, dict]:
    """Return (:func:`_active_agency_counts`, :func:`result_tallies`) of ``province_ids``.

    With the figures cache on, each province's year is kept under its own version: after a
    write in one province's year only that year of that province is read again, not the whole
    country's (the comparison of 63 provinces) nor the other nine years (a target's history,
    the trend). One query more (the versions), and the two reads for what is missing only.
    """
    province_ids, years = set(province_ids), set(years)
    indicator_ids = set(indicator_ids)
    if not caching.enabled():
        return _active_agency_counts(province_ids), result_tallies(
            province_ids=province_ids, years=years, indicator_ids=indicator_ids,
            approved_only=approved_only,
        )
    versions = {(province_id, year): version for province_id, year, version
                in caching.figures_versions(province_ids, years)}
    asked = (tuple(sorted(indicator_ids)), approved_only)
    keys = {
        (province_id, year): caching.key_of(
            "province-figures", (province_id, year, versions.get((province_id, year), 0), *asked)
        )
        for province_id in province_ids
        for year in years
    }

    def compute(missing: set[tuple[int, int]]) -> dict:
        provinces_missing = {province_id for province_id, _year in missing}
        counts = _active_agency_counts(provinces_missing)
        tallies = result_tallies(
            province_ids=provinces_missing, years={year for _province_id, year in missing},
            indicator_ids=indicator_ids, approved_only=approved_only,
        )
        return {
            keys[province_id, year]: (
                {key: value for key, value in counts.items() if key[0] == province_id},
                {key: value for key, value in tallies.items()
                 if key[0] == province_id and key[1] == year},
            )
            for province_id, year in missing
        }

    found = caching.kept_many(keys, compute)
    counts: defaultdict = defaultdict(list)
    tallies: dict = {}
    for province_counts, province_tallies in found.values():
        counts.update(province_counts)
        tallies.update(province_tallies)
    return counts, tallies


def targets_progress(targets, *, approved_only: bool = False) -> list[TargetProgress]:
    """Return the progress of ``targets`` (with ``plan`` and ``indicator`` loaded).

    Two queries whatever the number of targets, plans, provinces or agencies: agency counts by
    province, tier and active years, and result sums by province, year, indicator and tier
    (with the figures cache on, one more, and those two for the provinces whose figures changed
    only: :func:`province_figures`).
    A checklist target's progress is its items done (plans.rules.progress.checklist), counted
    with the targets when they come as a queryset, else in one more query.
    """
    if isinstance(targets, QuerySet):
        targets = with_item_counts(targets)
    targets = list(targets)
    if not targets:
        return []
    checklists = item_counts(targets)
    province_ids = {t.plan.province_id for t in targets}
    years = {t.plan.year for t in targets}
    indicator_ids = {t.indicator_id for t in targets}
    agency_counts, tallies = province_figures(
        province_ids=province_ids, years=years, indicator_ids=indicator_ids,
        approved_only=approved_only,
    )

    in_scope = {}  # (province_id, year, tier): agencies active that year, worked out once
    tier_lists: dict[str, tuple[str, ...]] = {}  # Target.tiers text: its tiers, parsed once
    answers = []
    for target in targets:
        province_id, year = target.plan.province_id, target.plan.year
        tiers = tier_lists.get(target.tiers)
        if tiers is None:
            tiers = tier_lists[target.tiers] = target.tier_list
        scope = reporting = value_sum = numerator_sum = denominator_sum = 0
        for tier in tiers:
            key = (province_id, year, tier)
            if key not in in_scope:
                in_scope[key] = sum(
                    n for (a_from, a_to, n) in agency_counts.get((province_id, tier), ())
                    if active_in_year(a_from, a_to, year)
                )
            scope += in_scope[key]
            reported = tallies.get((province_id, year, target.indicator_id, tier))
            if reported:
                reporting += reported.agencies_reporting
                value_sum += reported.value_sum
                numerator_sum += reported.numerator_sum
                denominator_sum += reported.denominator_sum
        done, total = checklists.get(target.pk, (0, 0))
        if total:
            answers.append(
                TargetProgress(
                    target=target,
                    progress=progress.checklist(
                        comparator=target.comparator, target=target.value, done=done,
                        total=total,
                    ),
                )
            )
            continue
        answers.append(
            TargetProgress(
                target=target,
                progress=progress.compute(
                    kind=target.indicator.kind,
                    unit=target.unit,
                    comparator=target.comparator,
                    target=target.value,
                    tally=progress.Tally(
                        agencies_in_scope=scope,
                        agencies_reporting=reporting,
                        value_sum=value_sum,
                        numerator_sum=numerator_sum,
                        denominator_sum=denominator_sum,
                    ),
                ),
            )
        )
    return answers


GROUP_ORDER = [choice.value for choice in Indicator.Group]


def display_order(item: TargetProgress):
    """Sort key of a target on pages for people: by indicator group (infrastructure, internal,
    services), then as the plan lists its targets, then the catalogue's order. Files keep
    docs/FORMATS.md's order (indicator code, then tiers)."""
    target = item.target
    return (
        GROUP_ORDER.index(target.indicator.group),
        target.position,
        target.indicator.position,
        target.indicator.code,
        target.tiers,
    )


def plan_progress(plan: Plan, *, approved_only: bool = False) -> list[TargetProgress]:
    """Return the progress of every target of ``plan``, in order: three queries.

    With ``approved_only``, only the figures of agencies whose report is approved count.
    """
    targets = plan.targets.select_related("indicator", "plan").order_by(
        "indicator__code", "tiers"
    )
    return targets_progress(targets, approved_only=approved_only)


def target_over_years(target: Target, *, plans) -> list[TargetProgress]:
    """Return the progress of the targets on ``target``'s indicator and tiers in every plan of
    ``plans`` of its province, latest year first (``target`` among them): three queries."""
    return targets_progress(
        Target.objects.filter(
            plan__in=plans,
            plan__province_id=target.plan.province_id,
            indicator_id=target.indicator_id,
            tiers=target.tiers,
        )
        .select_related("plan", "indicator")
        .order_by("-plan__year")
    )


def indicator_over_years(indicator: Indicator, *, plans) -> list[TargetProgress]:
    """Return the progress of every target of ``plans`` on ``indicator``, by year, then tiers
    and unit: three queries."""
    return targets_progress(
        Target.objects.filter(plan__in=plans, indicator=indicator)
        .select_related("plan", "indicator")
        .order_by("plan__year", "tiers", "unit")
    )


def plan_target(plan: Plan, target_id: int) -> Target | None:
    """Return ``plan``'s target ``target_id`` with its indicator and plan, or None: one query."""
    return plan.targets.select_related("indicator", "plan").filter(pk=target_id).first()
