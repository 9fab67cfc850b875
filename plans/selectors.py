"""Read helpers: the progress of many targets in a constant number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from plans import progress
from plans.models import Agency, Plan, Result, Target


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    progress: progress.Progress


def _active_agency_counts(province_ids) -> dict:
    """Return {(province_id, tier): [(active_from, active_to, n), ...]} in one query."""
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


def _in_year(active_from, active_to, year) -> bool:
    return (active_from is None or active_from <= year) and (active_to is None or year <= active_to)


def result_tallies(*, province_ids, years, indicator_ids) -> dict:
    """Return {(province_id, year, indicator_id, tier): Tally-without-scope} in one query.

    Only results of agencies active in the result's own year count.
    """
    rows = (
        Result.objects.filter(
            year__in=years,
            indicator_id__in=indicator_ids,
            agency__province_id__in=province_ids,
        )
        .filter(Q(agency__active_from__isnull=True) | Q(agency__active_from__lte=F("year")))
        .filter(Q(agency__active_to__isnull=True) | Q(agency__active_to__gte=F("year")))
        .values("agency__province_id", "year", "indicator_id", "agency__tier")
        .annotate(
            reporting=Count("id"),
            value_sum=Sum("value"),
            numerator_sum=Sum("numerator"),
            denominator_sum=Sum("denominator"),
        )
        .order_by()
    )
    return {
        (row["agency__province_id"], row["year"], row["indicator_id"], row["agency__tier"]): (
            progress.Tally(
                agencies_reporting=row["reporting"],
                value_sum=row["value_sum"] or 0,
                numerator_sum=row["numerator_sum"] or 0,
                denominator_sum=row["denominator_sum"] or 0,
            )
        )
        for row in rows
    }


def targets_progress(targets) -> list[TargetProgress]:
    """Return the progress of ``targets`` (with ``plan`` and ``indicator`` loaded).

    Two queries whatever the number of targets, plans, provinces or agencies: agency counts by
    province, tier and active years, and result sums by province, year, indicator and tier.
    """
    targets = list(targets)
    if not targets:
        return []
    province_ids = {t.plan.province_id for t in targets}
    years = {t.plan.year for t in targets}
    indicator_ids = {t.indicator_id for t in targets}
    agency_counts = _active_agency_counts(province_ids)
    tallies = result_tallies(province_ids=province_ids, years=years, indicator_ids=indicator_ids)

    answers = []
    for target in targets:
        province_id, year = target.plan.province_id, target.plan.year
        tally = progress.Tally()
        for tier in target.tier_list:
            in_scope = sum(
                n for (a_from, a_to, n) in agency_counts.get((province_id, tier), ())
                if _in_year(a_from, a_to, year)
            )
            tally = tally + progress.Tally(agencies_in_scope=in_scope)
            reported = tallies.get((province_id, year, target.indicator_id, tier))
            if reported:
                tally = tally + reported
        answers.append(
            TargetProgress(
                target=target,
                progress=progress.compute(
                    kind=target.indicator.kind,
                    unit=target.unit,
                    comparator=target.comparator,
                    target=target.value,
                    tally=tally,
                ),
            )
        )
    return answers


def plan_progress(plan: Plan) -> list[TargetProgress]:
    """Return the progress of every target of ``plan``, in order: three queries."""
    targets = plan.targets.select_related("indicator", "plan").order_by(
        "indicator__code", "tiers"
    )
    return targets_progress(targets)
