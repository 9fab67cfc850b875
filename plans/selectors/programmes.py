"""Read helpers for programmes: each target's series over the years and its forecast.

A programme target's series is the province's achieved value of the target's indicator and
scope (its territory figures, plans.selectors.territory) in each year from the programme's
baseline (the year before its first) to its last year, computed by the rules of a yearly target
(plans.rules.progress) in a constant number of queries. The forecast is plans.rules.forecast's.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import cast

from django.db.models import Count, Q
from django.utils.functional import SimpleLazyObject

from plans.models import Plan, Programme, ProgrammeTarget, Province, Target
from plans.policy.access import sees_drafts
from plans.rules import forecast as forecasting
from plans.rules import progress
from plans.selectors import caching, territory


@dataclass(frozen=True)
class SeriesPoint:
    """One year of a programme target's series: the figure and the plan's milestone, if any."""

    year: int
    progress: progress.Progress | None
    milestone: Target | None = None
    includes_predecessors: bool = False

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


def forecasts(targets, *, plans=None) -> list[TargetForecast]:
    """Return the series and forecast of each of ``targets`` (programme, its province and the
    indicator loaded; all of one province): four queries whatever their number.

    The series are the province's territory figures (plans.selectors.territory): a merged
    province's years before the merger count its predecessors' agencies. Queries: the
    provinces, agency counts, result sums, and the plans' targets that are the milestones (of
    ``plans``, a queryset of the plans the reader may see; none when None).
    """
    targets = list(targets)
    if not targets:
        return []
    province = targets[0].programme.province
    if any(target.programme.province_id != province.pk for target in targets):
        raise ValueError("the targets of one province at a time")
    years = {
        year
        for target in targets
        for year in range(target.programme.first_year - 1, target.programme.last_year + 1)
    }
    figures = territory.TerritoryFigures(
        territory.territory_of(province), years=years,
        indicator_ids={target.indicator_id for target in targets},
    )
    milestones: dict[tuple, Target] = {}
    if plans is not None:
        for milestone in Target.objects.filter(
            plan__in=plans,
            plan__province_id=province.pk,
            plan__year__in=years,
            indicator_id__in={target.indicator_id for target in targets},
            tiers__in={target.tiers for target in targets},
        ).select_related("plan", "indicator"):
            milestones[milestone.plan.year, milestone.indicator_id, milestone.tiers] = milestone
    answers = []
    for target in targets:
        programme = target.programme
        tiers = target.tier_list
        points = []
        for year in range(programme.first_year - 1, programme.last_year + 1):
            figure = figures.year(year=year, kind=target.indicator.kind, unit=target.unit,
                                  indicator_id=target.indicator_id, tiers=tiers)
            points.append(
                SeriesPoint(
                    year=year,
                    progress=(
                        None if figure.progress.status == progress.Status.NO_DATA
                        else figure.progress
                    ),
                    milestone=milestones.get((year, target.indicator_id, target.tiers)),
                    includes_predecessors=figure.includes_predecessors,
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


def kept_province_programmes(province: Province, versions: tuple) -> list[Programme]:
    """Return :func:`province_programmes`, kept under ``versions`` (every year's of the
    province: a programme's edit moves them all on): no query on a hit."""
    return caching.kept("programmes", (versions, province.pk),
                        lambda: province_programmes(province))


def programmes_by_province(province_ids) -> dict[int, list[Programme]]:
    """Return {province id: its programmes, the latest ending first}: one query."""
    found: dict[int, list[Programme]] = {}
    for programme in Programme.objects.filter(province_id__in=province_ids).select_related(
        "province"
    ).order_by("-last_year", "-first_year", "code"):
        found.setdefault(programme.province_id, []).append(programme)
    return found


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
    included). One query when there is none, five otherwise.
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


def kept_plan_forecasts(user, plan: Plan | None, targets,
                        versions: tuple | None = None) -> tuple[Mapping, str]:
    """Return (:func:`plan_forecasts` of ``targets`` over the plans ``user`` may read, its key).

    A forecast reads every year of the province's programme, so it is kept under every year's
    figures version of the province (a programme's edit moves them all on): one query, the
    versions (none when ``versions``, every year's of the province, are given). The forecasts
    themselves are read from the cache only when used (a page whose
    tables are kept whole under the key does not use them). Without a plan or a target:
    ({}, "").
    """
    from plans.selectors.plans import visible_plans

    targets = list(targets)
    if plan is None or not targets:
        return {}, ""

    def compute() -> dict[int, list[TargetForecast]]:
        return plan_forecasts(plan, targets, plans=visible_plans(user))

    if not caching.enabled():
        return compute(), ""
    if versions is None:
        versions = caching.figures_versions([plan.province_id])
    parts = (versions, plan.pk, tuple(target.pk for target in targets), sees_drafts(user))
    kept = cast(Mapping, SimpleLazyObject(lambda: caching.kept("forecasts", parts, compute)))
    return kept, caching.key_of("forecasts", parts)
