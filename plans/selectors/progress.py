"""Read helpers: the progress of many targets in a constant number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from indicators.models import Indicator
from plans.models import (
    Agency,
    Change,
    Plan,
    Province,
    Result,
    Submission,
    Target,
    active_in_year,
)
from plans.rules import progress
from plans.rules.tiers import TIER_ORDER, tiers_in_words
from plans.selectors.checklists import item_counts, with_item_counts
from plans.selectors.naming import name_agencies
from plans.words.collation import vietnamese_key


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


def targets_progress(targets, *, approved_only: bool = False) -> list[TargetProgress]:
    """Return the progress of ``targets`` (with ``plan`` and ``indicator`` loaded).

    Two queries whatever the number of targets, plans, provinces or agencies: agency counts by
    province, tier and active years, and result sums by province, year, indicator and tier.
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
    agency_counts = _active_agency_counts(province_ids)
    tallies = result_tallies(
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


# Dashboard reads: agencies' own figures, indicators reported without a target, sample marks.


@dataclass(frozen=True)
class AgencyFigure:
    """One agency in a target's scope and what it reported (``result`` is None if nothing).

    ``achieved`` is the agency's own figure on the target's scale; ``lagging`` is True when that
    figure falls short of the target, False when it does not, None when the comparison means
    nothing for one agency (a count target summed over the province) or there is no figure.
    """

    agency: Agency
    result: Result | None
    achieved: Fraction | None
    lagging: bool | None


def _agency_lagging(target: Target, result: Result | None, achieved) -> bool | None:
    if result is None or achieved is None:
        return None
    if target.unit == Target.Unit.PERCENT:
        return not progress.meets(target.comparator, achieved, target.value)
    if target.indicator.kind == Indicator.Kind.YES_NO:
        # A count of agencies that said yes: a "no" holds the count back when more is wanted.
        wants_more = target.comparator in (Target.Comparator.GTE, Target.Comparator.GT)
        return (result.value == 0) if wants_more else (result.value == 1)
    return None


def _lagging_order(figure: AgencyFigure, comparator: str):
    """Sort key: lagging agencies first, then the weakest figure first, then by name."""
    rank = {True: 0, None: 1, False: 2}[figure.lagging]
    achieved = figure.achieved if figure.achieved is not None else 0
    # With "at most" targets the weakest figure is the highest one.
    weakness = (
        -achieved if comparator in (Target.Comparator.LTE, Target.Comparator.LT) else achieved
    )
    return (rank, weakness, vietnamese_key(figure.agency.display_name), figure.agency.code)


def scope_figures(plan: Plan, targets) -> dict[int, tuple[list, list]]:
    """Return {target id: (reported, not_reported)} for ``targets`` of ``plan``: three queries.

    ``reported`` lists the agencies in scope that reported, lagging ones first; ``not_reported``
    lists the others in Vietnamese alphabetical order. The agencies carry their display names
    (plans.selectors.naming). ``targets`` need their ``indicator`` loaded.
    """
    targets = list(targets)
    if not targets:
        return {}
    tiers = set().union(*(target.tier_list for target in targets))
    agencies = name_agencies(
        Agency.objects.filter(province_id=plan.province_id, tier__in=tiers)
        .filter(Agency.active_in(plan.year))
        .order_by(),
        province_id=plan.province_id,
    )
    results = {
        (result.agency_id, result.indicator_id): result
        for result in Result.objects.filter(
            year=plan.year,
            agency__province_id=plan.province_id,
            agency__tier__in=tiers,
            indicator_id__in={target.indicator_id for target in targets},
        ).order_by()
    }
    answers = {}
    for target in targets:
        reported, not_reported = [], []
        scope = set(target.tier_list)
        for agency in agencies:
            if agency.tier not in scope:
                continue
            result = results.get((agency.pk, target.indicator_id))
            if result is None:
                not_reported.append(AgencyFigure(agency, None, None, None))
                continue
            achieved = progress.agency_achieved(
                kind=target.indicator.kind,
                unit=target.unit,
                value=result.value,
                numerator=result.numerator,
                denominator=result.denominator,
            )
            reported.append(
                AgencyFigure(agency, result, achieved, _agency_lagging(target, result, achieved))
            )
        reported.sort(key=lambda figure: _lagging_order(figure, target.comparator))
        answers[target.pk] = (reported, not_reported)
    return answers


@dataclass(frozen=True)
class UntargetedLine:
    """What the agencies of one tier reported for an indicator the plan sets no target for.

    ``progress`` is computed over the tier's reporting agencies only (there is no scope without
    a target) and its status means nothing: show the figure, never a status.
    """

    tier: str
    progress: progress.Progress

    def scope_in_words(self) -> str:
        return tiers_in_words([self.tier])


@dataclass(frozen=True)
class UntargetedFigure:
    """An indicator reported in a province and year that the plan sets no target for.

    ``lines`` holds one line per tier with results, in tier order: a share of departments and
    a share of communes are shares of different things (a plan sets them apart, "100 % of
    departments, 75 % of communes"), so they are never added into one share. ``total`` is the
    sum over the tiers of a count, or of the agencies that said yes (a count, not a share), when
    more than one tier reported; None otherwise.
    """

    indicator: object
    lines: tuple[UntargetedLine, ...]
    total: progress.Progress | None

    @property
    def agencies_reporting(self) -> int:
        return sum(line.progress.agencies_reporting for line in self.lines)


def _untargeted_progress(kind: str, unit: str, tally: progress.Tally) -> progress.Progress:
    return progress.compute(
        kind=kind, unit=unit, comparator=Target.Comparator.GTE, target=0, tally=tally
    )


def untargeted_figures(*, province_id: int, year: int, exclude_indicator_ids) -> list:
    """Return the indicators with results in ``province_id`` and ``year`` but no target: one query.

    The results are summed by indicator and tier. Only results of agencies active in ``year``
    count, as for targets.
    """
    rows = (
        # One filter() call: separate calls on a multi-valued relation would join it twice
        # and count every result several times. The tier annotation reuses that join.
        Indicator.objects.filter(
            Agency.active_in(year, via="results__agency"),
            results__year=year,
            results__agency__province_id=province_id,
        )
        .exclude(pk__in=list(exclude_indicator_ids))
        .annotate(tier=F("results__agency__tier"))
        .annotate(
            # Counted on agency_id, a column of the covering index (see result_tallies).
            reporting=Count("results__agency"),
            value_sum=Sum("results__value"),
            numerator_sum=Sum("results__numerator"),
            denominator_sum=Sum("results__denominator"),
        )
        .order_by("position", "code")
    )
    tallies: defaultdict[int, dict[str, progress.Tally]] = defaultdict(dict)
    indicators: dict[int, Indicator] = {}
    for row in rows:
        indicators.setdefault(row.pk, row)
        tallies[row.pk][row.tier] = progress.Tally(
            agencies_in_scope=row.reporting,
            agencies_reporting=row.reporting,
            value_sum=row.value_sum or 0,
            numerator_sum=row.numerator_sum or 0,
            denominator_sum=row.denominator_sum or 0,
        )
    answers = []
    for pk, indicator in indicators.items():
        by_tier = tallies[pk]
        # Yes/no and ratio indicators read best as a share; counts as a sum.
        unit = (
            Target.Unit.COUNT if indicator.kind == Indicator.Kind.COUNT else Target.Unit.PERCENT
        )
        lines = tuple(
            UntargetedLine(tier, _untargeted_progress(indicator.kind, unit, by_tier[tier]))
            for tier in TIER_ORDER
            if tier in by_tier
        )
        total = None
        if len(lines) > 1 and indicator.kind != Indicator.Kind.RATIO:
            total = _untargeted_progress(
                indicator.kind, Target.Unit.COUNT, sum(by_tier.values(), progress.Tally())
            )
        answers.append(UntargetedFigure(indicator=indicator, lines=lines, total=total))
    return answers


def has_sample_results(*, province_id: int, year: int) -> bool:
    """Return True if any result of the province and year is sample data: one query."""
    return Result.objects.filter(
        year=year, agency__province_id=province_id, is_sample=True
    ).exists()


def result_years(province_ids) -> dict[int, set[int]]:
    """Return {province id: years with at least one result}: one query."""
    years = defaultdict(set)
    rows = (
        Result.objects.filter(agency__province_id__in=province_ids)
        .values_list("agency__province_id", "year")
        .distinct()
        .order_by()
    )
    for province_id, year in rows:
        years[province_id].add(year)
    return years


@dataclass(frozen=True)
class FiguresAsOf:
    """When a province-year's figures last changed, and how many agencies in scope still owe.

    ``changed_at`` is None when nothing was ever entered; ``agencies_missing`` counts the
    agencies in some target's scope that lack a result one of those targets asks of them: while
    it is above zero, some figure of the plan is provisional (docs/FORMATS.md).
    """

    changed_at: datetime | None
    agencies_missing: int


def figures_as_of(*, province_id: int, year: int, plan: Plan | None, targets=()) -> FiguresAsOf:
    """Return when the figures of ``province_id`` and ``year`` last changed: one query.

    The latest change is the later of the newest result of the province and year (every write
    moves ``Result.updated_at``) and the newest history entry of ``plan`` about a result or a
    target, deletions included: a deleted result or target leaves no ``updated_at`` behind, but
    plans.services.history records every write, a deletion as an entry of the plan whose
    ``new`` is empty. Entries about the plan's status (closing, reopening) change no figure.
    ``targets`` (their ``tier_list`` read) give the scope of ``agencies_missing``.
    """
    expressions = {
        "results_at": Subquery(
            Result.objects.filter(year=year, agency__province_id=province_id)
            .order_by()
            .values("year")
            .annotate(at=Max("updated_at"))
            .values("at")
        ),
    }
    if plan is not None:
        expressions["history_at"] = Subquery(
            Change.objects.filter(
                Q(result__isnull=False) | Q(target__isnull=False) | Q(new__isnull=True),
                plan_id=plan.pk,
            )
            .order_by()
            .values("plan_id")
            .annotate(at=Max("changed_at"))
            .values("at")
        )
    wanted: defaultdict[str, set[int]] = defaultdict(set)  # tier: indicators its targets ask
    for target in targets:
        for tier in target.tier_list:
            wanted[tier].add(target.indicator_id)
    if wanted:
        # Results are unique per agency, year and indicator: an agency with as many results
        # among its tier's wanted indicators as there are of them has reported them all.
        asked = Q()
        for tier, indicator_ids in wanted.items():
            asked |= Q(agency__tier=tier, indicator_id__in=indicator_ids)
        reported = (
            Result.objects.filter(asked, agency_id=OuterRef("pk"), year=year)
            .order_by()
            .values("agency_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        needed = Case(
            *(When(tier=tier, then=Value(len(ids))) for tier, ids in wanted.items()),
            output_field=IntegerField(),
        )
        expressions["missing"] = Subquery(
            Agency.objects.filter(Agency.active_in(year), province_id=province_id,
                                  tier__in=wanted)
            .alias(reported=Coalesce(Subquery(reported), 0), needed=needed)
            .filter(reported__lt=F("needed"))
            .order_by()
            .values("province_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
    # A plain dict: the stubs type values(**expressions) rows without the annotated keys.
    row: dict[str, Any] = dict(Province.objects.filter(pk=province_id).values(**expressions).get())
    moments = [row[key] for key in ("results_at", "history_at") if row.get(key) is not None]
    return FiguresAsOf(
        changed_at=max(moments, default=None), agencies_missing=row.get("missing") or 0
    )


def submission_counts(plan: Plan, tiers) -> dict:
    """Return how many agencies of ``tiers`` (the plan's scope) there are, and how many have
    submitted and had approved ``plan``'s report: two queries.

    ``submitted`` counts reports sent and not returned or reopened (approved ones included).
    """
    counts = plan.submissions.filter(agency__tier__in=tiers).aggregate(
        submitted=Count("pk", filter=Q(state__in=[Submission.State.SUBMITTED,
                                                  Submission.State.APPROVED])),
        approved=Count("pk", filter=Q(state=Submission.State.APPROVED)),
    )
    counts["agencies"] = Agency.objects.filter(
        Agency.active_in(plan.year), province_id=plan.province_id, tier__in=tiers
    ).count()
    return counts
