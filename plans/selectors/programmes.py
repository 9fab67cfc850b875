"""Read helpers for programmes: each target's series over the years and its forecast.

A programme target's series is the province's achieved value of the target's indicator and
scope in each year from the programme's baseline (the year before its first) to its last year,
computed by the rules of a yearly target (plans.rules.progress) in a constant number of queries:
agency counts by province, tier and active years, and result sums by province, year, indicator
and tier. The forecast is plans.rules.forecast's.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q

from egov_targets.vocabulary import Comparator
from plans.models import (
    Agency,
    Plan,
    Programme,
    ProgrammeTarget,
    Province,
    Target,
    active_in_year,
)
from plans.rules import forecast as forecasting
from plans.rules import progress
from plans.selectors.progress import result_tallies


@dataclass(frozen=True)
class SeriesPoint:
    """One year of a programme target's series: the figure and the plan's milestone, if any."""

    year: int
    progress: progress.Progress | None
    milestone: Target | None = None

    @property
    def achieved(self) -> Fraction | None:
        return self.progress.achieved if self.progress is not None else None


@dataclass(frozen=True)
class TargetForecast:
    """A programme target, its series year by year (oldest first) and its forecast."""

    target: ProgrammeTarget
    points: tuple[SeriesPoint, ...]
    forecast: forecasting.Forecast

    @property
    def programme(self) -> Programme:
        return self.target.programme


@dataclass
class _Scope:
    """Agencies active in each year, counted by province and tier (for the denominators)."""

    counts: dict = field(default_factory=lambda: defaultdict(list))

    def in_scope(self, province_id: int, tier: str, year: int) -> int:
        return sum(
            n for (a_from, a_to, n) in self.counts.get((province_id, tier), ())
            if active_in_year(a_from, a_to, year)
        )


def _agency_scope(province_ids) -> _Scope:
    """Return the province's agencies counted by tier and active years: one query."""
    scope = _Scope()
    rows = (
        Agency.objects.filter(province_id__in=province_ids)
        .values_list("province_id", "tier", "active_from", "active_to")
        .annotate(n=Count("id"))
        .order_by()
    )
    for province_id, tier, active_from, active_to, n in rows:
        scope.counts[province_id, tier].append((active_from, active_to, n))
    return scope


def year_progress(
    *, scope: _Scope, tallies: dict, province_ids, year: int, kind: str, unit: str,
    indicator_id: int, tiers,
) -> progress.Progress:
    """Return the figure of one indicator and scope in one year over ``province_ids``.

    Numerators, denominators, counts and agencies are summed over the provinces and tiers
    before the achieved value is worked out, never averaged afterwards.
    """
    total = progress.Tally()
    for province_id in province_ids:
        for tier in tiers:
            reported = tallies.get((province_id, year, indicator_id, tier), progress.Tally())
            total += progress.Tally(
                agencies_in_scope=scope.in_scope(province_id, tier, year),
                agencies_reporting=reported.agencies_reporting,
                value_sum=reported.value_sum,
                numerator_sum=reported.numerator_sum,
                denominator_sum=reported.denominator_sum,
            )
    # The comparator and value are a programme's or a plan's; only the figure is read here.
    return progress.compute(kind=kind, unit=unit, comparator=Comparator.GTE,
                            target=0, tally=total)


def forecasts(targets, *, plans=None) -> list[TargetForecast]:
    """Return the series and forecast of each of ``targets`` (programme, its province and the
    indicator loaded): three queries whatever their number.

    Queries: agency counts, result sums, the plans' targets that are the milestones (of
    ``plans``, a queryset of the plans the reader may see; none when None).
    """
    targets = list(targets)
    if not targets:
        return []
    province_ids = {target.programme.province_id for target in targets}
    years = {
        year
        for target in targets
        for year in range(target.programme.first_year - 1, target.programme.last_year + 1)
    }
    scope = _agency_scope(province_ids)
    tallies = result_tallies(
        province_ids=province_ids, years=years,
        indicator_ids={target.indicator_id for target in targets},
    )
    milestones: dict[tuple, Target] = {}
    if plans is not None:
        for milestone in Target.objects.filter(
            plan__in=plans,
            plan__province_id__in=province_ids,
            plan__year__in=years,
            indicator_id__in={target.indicator_id for target in targets},
            tiers__in={target.tiers for target in targets},
        ).select_related("plan", "indicator"):
            key = (milestone.plan.province_id, milestone.plan.year, milestone.indicator_id,
                   milestone.tiers)
            milestones[key] = milestone
    answers = []
    for target in targets:
        programme = target.programme
        tiers = target.tier_list
        points = []
        for year in range(programme.first_year - 1, programme.last_year + 1):
            figure = year_progress(
                scope=scope, tallies=tallies, province_ids=[programme.province_id], year=year,
                kind=target.indicator.kind, unit=target.unit, indicator_id=target.indicator_id,
                tiers=tiers,
            )
            points.append(
                SeriesPoint(
                    year=year,
                    progress=None if figure.status == progress.Status.NO_DATA else figure,
                    milestone=milestones.get(
                        (programme.province_id, year, target.indicator_id, target.tiers)
                    ),
                )
            )
        series = {point.year: point.achieved for point in points if point.achieved is not None}
        answers.append(
            TargetForecast(
                target=target,
                points=tuple(points),
                forecast=forecasting.forecast(
                    series=series,
                    first_year=programme.first_year,
                    last_year=programme.last_year,
                    comparator=target.comparator,
                    target=target.value,
                    unit=target.unit,
                ),
            )
        )
    return answers


def province_programmes(province: Province) -> list[Programme]:
    """Return the province's programmes, the latest ending first, with how many targets each
    sets: one query."""
    return list(
        province.programmes.annotate(target_count=Count("targets")).order_by(
            "-last_year", "-first_year", "code"
        )
    )


def programme_targets(programme: Programme) -> list[ProgrammeTarget]:
    """Return the programme's targets with their indicator, in the files' order: one query."""
    return list(
        programme.targets.select_related("indicator", "programme__province").order_by(
            "indicator__code", "tiers"
        )
    )


def plan_forecasts(plan: Plan, targets, *, plans) -> dict[int, list[TargetForecast]]:
    """Return {plan target id: forecasts of the programme targets it is a milestone of}.

    A plan's target is a milestone of a programme target of its province with the same
    indicator and scope whose programme runs through the plan's year (its baseline year
    included). One query when there is none, four otherwise.
    """
    targets = list(targets)
    if not targets:
        return {}
    wanted = Q()
    for target in targets:
        wanted |= Q(indicator_id=target.indicator_id, tiers=target.tiers)
    found = forecasts(
        ProgrammeTarget.objects.filter(
            wanted,
            programme__province_id=plan.province_id,
            programme__first_year__lte=plan.year + 1,
            programme__last_year__gte=plan.year,
        )
        .select_related("programme__province", "indicator")
        .order_by("programme__last_year", "programme__code"),
        plans=plans,
    )
    answers: dict[int, list[TargetForecast]] = {}
    for target in targets:
        answers[target.pk] = [
            item for item in found
            if (item.target.indicator_id, item.target.tiers)
            == (target.indicator_id, target.tiers)
        ]
    return answers
