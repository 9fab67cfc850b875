"""Comparable series across a change of definition: an indicator and the one it replaced.

Decree 42/2022 turned online public services "at level 3 / level 4" into "partly / fully
online" ones. An indicator that names a predecessor and the year it takes over
(``Indicator.predecessor``, ``from_year``) is read as one series: each year before
``from_year`` from the predecessor, each year from it on from the indicator itself, with the
break between them marked. No figure is ever added across the break; each year's figure is one
indicator's, over the province's territory (plans.selectors.territory).

Four queries: the provinces, the years with results of either indicator, agency counts and
result sums.
"""

from dataclasses import dataclass

from django.db.models import Q

from egov_targets.vocabulary import Kind, Unit
from indicators.models import Indicator
from plans.models import Province, Result
from plans.rules import progress
from plans.selectors.territory import TerritoryFigures, TerritoryYear, territory_of


@dataclass(frozen=True)
class ComparablePoint:
    """One year of a comparable series: its figure and the indicator it comes from."""

    point: TerritoryYear
    indicator: Indicator

    @property
    def year(self) -> int:
        return self.point.year


@dataclass(frozen=True)
class ComparableSeries:
    """One scope's series: the predecessor's years, then the indicator's, split at
    ``from_year``."""

    tiers: tuple[str, ...]
    unit: str
    before: tuple[ComparablePoint, ...]
    after: tuple[ComparablePoint, ...]
    from_year: int


def comparable_series(*, province: Province, indicator: Indicator,
                      scopes) -> list[ComparableSeries]:
    """Return a comparable series for each (tiers, unit) of ``scopes`` when ``indicator``
    replaces a predecessor (``predecessor`` loaded); [] otherwise, without a query.

    A scope the predecessor cannot be read in (a count indicator as a percentage) is left out.
    """
    predecessor, from_year = indicator.predecessor, indicator.from_year
    if predecessor is None or from_year is None:
        return []
    territory = territory_of(province)
    years = sorted(set(
        Result.objects.filter(
            Q(indicator=predecessor, year__lt=from_year) | Q(indicator=indicator,
                                                            year__gte=from_year),
            agency__province_id__in=set(territory.provinces),
        ).values_list("year", flat=True).distinct().order_by()
    ))
    figures = TerritoryFigures(territory, years=years,
                               indicator_ids=[predecessor.pk, indicator.pk])
    answers = []
    for tiers, unit in scopes:
        if unit == Unit.PERCENT and Kind.COUNT in (predecessor.kind, indicator.kind):
            continue
        before: list[ComparablePoint] = []
        after: list[ComparablePoint] = []
        for year in years:
            source = predecessor if year < from_year else indicator
            point = figures.year(year=year, kind=source.kind, unit=unit,
                                 indicator_id=source.pk, tiers=tiers)
            if point.progress.status == progress.Status.NO_DATA:
                continue
            (before if year < from_year else after).append(ComparablePoint(point, source))
        answers.append(ComparableSeries(tiers=tuple(tiers), unit=unit, before=tuple(before),
                                        after=tuple(after), from_year=from_year))
    return answers
