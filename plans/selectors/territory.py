"""Territory figures: a province's figures over the land it covers now, back before a merger.

For a year Y, the territory figures of a province P are computed over the agencies in scope and
active in Y of P and of every predecessor of P (recursively) still active in Y, by the rules of
a yearly target (plans.rules.progress): numerators, denominators, counts and "yes" agencies are
summed over all of them, never percentages averaged. A year in which some predecessor's agencies
are in scope is marked as including predecessors' figures.

Every read here takes a constant number of queries: the provinces (one), the years with results
(one), agency counts (one) and result sums (one).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from egov_targets.vocabulary import Comparator, Kind, Unit
from plans.models import Agency, Province, Result, active_in_year
from plans.rules import progress
from plans.selectors.progress import result_tallies
from plans.words.collation import vietnamese_key

OWN = "own"
PREDECESSORS = "predecessors"


@dataclass(frozen=True)
class Territory:
    """A province and its predecessors: who counts in which year.

    ``provinces`` maps a province id to (active_from year, active_to year, successor id) for
    the province and every predecessor of it, recursively.
    """

    province_id: int
    provinces: dict[int, tuple[int | None, int | None, int | None]]
    names: dict[int, str]

    @property
    def predecessor_ids(self) -> set[int]:
        return set(self.provinces) - {self.province_id}

    @property
    def has_predecessors(self) -> bool:
        return bool(self.predecessor_ids)

    def members(self, year: int) -> list[int]:
        """Return the province and its predecessors still active in ``year``, the province
        first."""
        return [self.province_id] + sorted(
            pk for pk in self.predecessor_ids
            if active_in_year(self.provinces[pk][0], self.provinces[pk][1], year)
        )


def territory_of(province: Province) -> Territory:
    """Return ``province`` with its predecessors, recursively: one query."""
    return territories_of([province])[province.pk]


def territories_of(provinces) -> dict[int, Territory]:
    """Return {province id: its territory} for each of ``provinces``: one query, however many
    (the comparison page reads every column's territory at once)."""
    rows, names = {}, {}
    for pk, name, active_from, active_to, successor_id in Province.objects.values_list(
        "pk", "name", "active_from", "active_to", "successor_id"
    ):
        rows[pk] = (
            active_from.year if active_from else None,
            active_to.year if active_to else None,
            successor_id,
        )
        names[pk] = name
    territories = {}
    for province in provinces:
        members, frontier = {province.pk}, [province.pk]
        while frontier:
            current = frontier.pop()
            for pk, (_from, _to, successor_id) in rows.items():
                if successor_id == current and pk not in members:
                    members.add(pk)
                    frontier.append(pk)
        territories[province.pk] = Territory(
            province_id=province.pk,
            provinces={pk: rows[pk] for pk in members},
            names={pk: names[pk] for pk in members},
        )
    return territories


@dataclass(frozen=True)
class TerritoryYear:
    """One year of a series over a territory: its figure and where the agencies came from."""

    year: int
    progress: progress.Progress
    source: str  # OWN or PREDECESSORS

    @property
    def includes_predecessors(self) -> bool:
        return self.source == PREDECESSORS


class TerritoryFigures:
    """The counts and sums behind a territory's figures, read once for many series.

    ``more`` are further territories read in the same two queries (the comparison page's
    merged provinces); :meth:`year` answers for any of them with ``territory``.
    """

    def __init__(self, territory: Territory, *, years, indicator_ids,
                 more: Iterable[Territory] = ()):
        self.territory = territory
        ids = set(territory.provinces).union(*(other.provinces for other in more))
        self.scope: defaultdict[tuple, list] = defaultdict(list)
        for province_id, tier, active_from, active_to, n in (
            Agency.objects.filter(province_id__in=ids)
            .values_list("province_id", "tier", "active_from", "active_to")
            .annotate(n=Count("id"))
            .order_by()
        ):
            self.scope[province_id, tier].append((active_from, active_to, n))
        self.tallies = result_tallies(province_ids=ids, years=set(years),
                                      indicator_ids=set(indicator_ids)) if years else {}

    def in_scope(self, province_id: int, tier: str, year: int) -> int:
        return sum(n for (a_from, a_to, n) in self.scope.get((province_id, tier), ())
                   if active_in_year(a_from, a_to, year))

    def year(self, *, year: int, kind: str, unit: str, indicator_id: int,
             tiers, territory: Territory | None = None) -> TerritoryYear:
        """Return the territory figure of one indicator and scope in ``year`` (of
        ``territory``, one of those read; the first one by default)."""
        territory = territory or self.territory
        total, source = progress.Tally(), OWN
        for province_id in territory.members(year):
            for tier in tiers:
                agencies = self.in_scope(province_id, tier, year)
                reported = self.tallies.get((province_id, year, indicator_id, tier),
                                            progress.Tally())
                if province_id != territory.province_id and (
                    agencies or reported.agencies_reporting
                ):
                    source = PREDECESSORS
                total += progress.Tally(
                    agencies_in_scope=agencies,
                    agencies_reporting=reported.agencies_reporting,
                    value_sum=reported.value_sum,
                    numerator_sum=reported.numerator_sum,
                    denominator_sum=reported.denominator_sum,
                )
        # Only the figure is read here; the comparator and value belong to whoever asks.
        figure = progress.compute(kind=kind, unit=unit, comparator=Comparator.GTE, target=0,
                                  tally=total)
        return TerritoryYear(year=year, progress=figure, source=source)


def result_years(territory: Territory, indicator_id: int) -> list[int]:
    """Return the years in which some agency of the territory reported ``indicator_id``:
    one query."""
    return sorted(
        Result.objects.filter(
            indicator_id=indicator_id, agency__province_id__in=set(territory.provinces)
        ).values_list("year", flat=True).distinct().order_by()
    )


def series_unit(kind: str) -> str:
    """Return the unit a series without a target is read in: a share, or a count."""
    return Unit.COUNT if kind == Kind.COUNT else Unit.PERCENT


def territory_series(*, province: Province, indicator, tiers, unit: str | None = None,
                     years=None) -> list[TerritoryYear]:
    """Return the territory figures of ``indicator`` and ``tiers`` in every year with a figure
    in scope, oldest first: four queries.

    ``unit`` defaults to a share for yes/no and ratio indicators, a count for counts;
    ``years`` defaults to the years with any result of the indicator in the territory.
    """
    territory = territory_of(province)
    if years is None:
        years = result_years(territory, indicator.pk)
    figures = TerritoryFigures(territory, years=years, indicator_ids=[indicator.pk])
    unit = unit or series_unit(indicator.kind)
    answers = []
    for year in sorted(years):
        point = figures.year(year=year, kind=indicator.kind, unit=unit,
                             indicator_id=indicator.pk, tiers=tiers)
        if point.progress.status != progress.Status.NO_DATA:
            answers.append(point)
    return answers


@dataclass(frozen=True)
class TerritoryTrend:
    """The territory figures of one scope of a merged province, year by year."""

    tiers: tuple[str, ...]
    unit: str
    points: tuple[TerritoryYear, ...]
    predecessor_names: tuple[str, ...]


def territory_trends(*, province: Province, indicator, scopes) -> list[TerritoryTrend]:
    """Return a territory series of ``indicator`` for each (tiers, unit) of ``scopes``, when
    ``province`` has predecessors; [] otherwise.

    One query for a province without predecessors, four with them, whatever the scopes.
    """
    territory = territory_of(province)
    if not territory.has_predecessors:
        return []
    years = result_years(territory, indicator.pk)
    figures = TerritoryFigures(territory, years=years, indicator_ids=[indicator.pk])
    names = tuple(sorted((territory.names[pk] for pk in territory.predecessor_ids),
                         key=vietnamese_key))
    trends = []
    for tiers, unit in scopes:
        points = [
            figures.year(year=year, kind=indicator.kind, unit=unit, indicator_id=indicator.pk,
                         tiers=tiers)
            for year in years
        ]
        trends.append(TerritoryTrend(
            tiers=tuple(tiers), unit=unit, predecessor_names=names,
            points=tuple(point for point in points
                         if point.progress.status != progress.Status.NO_DATA),
        ))
    return trends
