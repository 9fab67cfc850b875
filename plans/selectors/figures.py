"""A year's figures beyond the targets' progress: agencies' own figures, indicators reported
without a target, when the figures last changed, report counts, and the year's bundle that the
dashboard, the printed report, the workbook and the entry year page all show.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
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
    FiguresVersion,
    Plan,
    Province,
    Result,
    Submission,
    Target,
)
from plans.rules import progress
from plans.rules.tiers import TIER_ORDER, tiers_in_words
from plans.selectors import caching
from plans.selectors.naming import name_agencies
from plans.selectors.progress import TargetProgress, display_order, plan_progress


class ReportedFigure(NamedTuple):
    """What one agency reported for one indicator and year, as the scope's tables show it:
    read as plain rows, thousands at a time, rather than as results with every field."""

    value: int | None
    numerator: int | None
    denominator: int | None
    note: str


@dataclass(frozen=True)
class AgencyFigure:
    """One agency in a target's scope and what it reported (``result`` is None if nothing).

    ``achieved`` is the agency's own figure on the target's scale; ``lagging`` is True when that
    figure falls short of the target, False when it does not, None when the comparison means
    nothing for one agency (a count target summed over the province) or there is no figure.
    """

    agency: Agency
    result: ReportedFigure | None
    achieved: Fraction | None
    lagging: bool | None


def _agency_lagging(target: Target, result: ReportedFigure | None, achieved) -> bool | None:
    if result is None or achieved is None:
        return None
    if target.unit == Target.Unit.PERCENT:
        return not progress.meets(target.comparator, achieved, target.value)
    if target.indicator.kind == Indicator.Kind.YES_NO:
        # A count of agencies that said yes: a "no" holds the count back when more is wanted.
        wants_more = target.comparator in (Target.Comparator.GTE, Target.Comparator.GT)
        return (result.value == 0) if wants_more else (result.value == 1)
    return None


# Lagging agencies first, then those the comparison means nothing for, then the others.
LAGGING_RANK = {True: 0, None: 1, False: 2}


def _sort_lagging_first(reported: list, comparator: str) -> None:
    """Sort ``reported`` lagging agencies first, then the weakest figure first, then by name.

    ``reported`` comes in the agencies' order (Vietnamese name, then code), which the stable
    sort keeps among equal figures. Each distinct figure is ranked once, so that the sort
    compares whole numbers rather than fractions.
    """
    # With "at most" targets the weakest figure is the highest one.
    at_most = comparator in (Target.Comparator.LTE, Target.Comparator.LT)
    figures = sorted({0 if figure.achieved is None else figure.achieved for figure in reported},
                     reverse=at_most)
    weakness = {figure: place for place, figure in enumerate(figures)}
    reported.sort(key=lambda figure: (
        LAGGING_RANK[figure.lagging],
        weakness[0 if figure.achieved is None else figure.achieved],
    ))


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
        (agency_id, indicator_id): ReportedFigure(value, numerator, denominator, note)
        for agency_id, indicator_id, value, numerator, denominator, note in Result.objects.filter(
            year=plan.year,
            agency__province_id=plan.province_id,
            agency__tier__in=tiers,
            indicator_id__in={target.indicator_id for target in targets},
        ).order_by().values_list(
            "agency_id", "indicator_id", "value", "numerator", "denominator", "note"
        )
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
        _sort_lagging_first(reported, target.comparator)
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
    """Return the indicators with results in ``province_id`` and ``year`` but no target.

    The results are summed by indicator and tier. Only results of agencies active in ``year``
    count, as for targets. Two queries: the sums, grouped on the indicator's id and the tier
    alone (grouping on every column of the indicator, its long texts included, made SQLite sort
    wide rows: twice the time at 900 agencies), and the catalogue (a few dozen rows), read
    whether or not there are any sums so that the page's queries stay constant.
    """
    rows = (
        Result.objects.filter(
            Agency.active_in(year, via="agency"), year=year, agency__province_id=province_id
        )
        .exclude(indicator_id__in=list(exclude_indicator_ids))
        .values_list("indicator_id", "agency__tier")
        # Counted on agency_id, a column of the covering index (see result_tallies).
        .annotate(Count("agency"), Sum("value"), Sum("numerator"), Sum("denominator"))
        .order_by()
    )
    tallies: defaultdict[int, dict[str, progress.Tally]] = defaultdict(dict)
    for indicator_id, tier, reporting, value_sum, numerator_sum, denominator_sum in rows:
        tallies[indicator_id][tier] = progress.Tally(
            agencies_in_scope=reporting,
            agencies_reporting=reporting,
            value_sum=value_sum or 0,
            numerator_sum=numerator_sum or 0,
            denominator_sum=denominator_sum or 0,
        )
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.order_by("position", "code")
        if indicator.pk in tallies
    }
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


def figures_as_of(
    *, province_id: int, year: int, plan: Plan | None, targets=(), stored: bool = False
) -> FiguresAsOf:
    """Return when the figures of ``province_id`` and ``year`` last changed: one query.

    The latest change is the later of the newest result of the province and year (every write
    moves ``Result.updated_at``) and the newest history entry of ``plan`` about a result or a
    target, deletions included: a deleted result or target leaves no ``updated_at`` behind, but
    plans.services.history records every write, a deletion as an entry of the plan whose
    ``new`` is empty. Entries about the plan's status (closing, reopening) change no figure.
    ``targets`` (their ``tier_list`` read) give the scope of ``agencies_missing``.

    With ``stored``, the time kept by the writes (plans.models.FiguresVersion.figures_at) is
    taken when there is one, and the scans are not run (COALESCE stops at its first value);
    a year no write has reached since that time was kept (data loaded before it) is scanned.
    Without, the scans alone answer: what ``verify_figures`` checks the stored time against.
    """
    expressions: dict[str, Any] = {
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
    if stored:
        kept = Subquery(
            FiguresVersion.objects.filter(province_id=province_id, year=year).values("figures_at")
        )
        for key in ("results_at", "history_at"):
            if key in expressions:
                expressions[key] = Coalesce(kept, expressions[key])
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


def indicator_groups(rows) -> list[dict]:
    """Return ``rows`` (TargetProgress) by indicator group, in catalogue order, with how many
    are met.

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


class YearFigures:
    """What the pages of a province's year show: the dashboard, the printed report, the
    workbook and the entry year page read this one bundle.

    ``rows`` are the plan's targets with their progress in display order (three queries,
    made at once); the rest is read when first asked, one or two queries each, so that a page
    pays only for what it shows: ``untargeted`` the indicators reported without a target,
    ``sample`` whether any of it is sample data, ``as_of`` when the figures last changed,
    ``reports`` the report counts of the plan's scope (None without a plan). With
    ``approved_only`` the targets' progress counts only the figures of agencies whose report
    is approved.
    """

    def __init__(self, *, province: Province, year: int, plan: Plan | None,
                 approved_only: bool = False):
        self.province, self.year, self.plan = province, year, plan
        self.approved_only = approved_only
        # The key a page keeps its rendering of these figures under ("": not kept).
        self.fragment_key = ""
        self.rows: list[TargetProgress] = sorted(
            plan_progress(plan, approved_only=approved_only), key=display_order
        ) if plan else []

    @cached_property
    def untargeted(self) -> list[UntargetedFigure]:
        return untargeted_figures(
            province_id=self.province.pk,
            year=self.year,
            exclude_indicator_ids={row.target.indicator_id for row in self.rows},
        )

    @cached_property
    def sample(self) -> bool:
        return (self.plan is not None and self.plan.is_sample) or has_sample_results(
            province_id=self.province.pk, year=self.year
        )

    @cached_property
    def as_of(self) -> FiguresAsOf:
        return figures_as_of(
            province_id=self.province.pk, year=self.year, plan=self.plan,
            targets=[row.target for row in self.rows], stored=True,
        )

    @cached_property
    def reports(self) -> dict | None:
        if self.plan is None:
            return None
        return submission_counts(
            self.plan, {tier for row in self.rows for tier in row.target.tier_list}
        )

    def read_all(self) -> None:
        """Read every part now (before the bundle is kept in the cache)."""
        for part in ("untargeted", "sample", "as_of", "reports"):
            getattr(self, part)

    @property
    def groups(self) -> list[dict]:
        return indicator_groups(self.rows)

    @property
    def met(self) -> int:
        return sum(1 for row in self.rows if row.progress.is_met)

    @property
    def provisional(self) -> int:
        return sum(1 for row in self.rows if row.progress.is_provisional)


def year_figures(
    *, province: Province, year: int, plan: Plan | None, approved_only: bool = False,
    versions: tuple | None = None,
) -> YearFigures:
    """Return the figures of ``province``'s ``year`` (``plan`` is its plan, or None), as
    :class:`YearFigures`.

    Kept in the cache (plans.selectors.caching): a hit is one query, the year's figures version
    (none when ``versions``, every year's of the province, are given);
    a miss reads every part at once. Without the cache: three queries at once
    (plan_progress), the others when read.
    """
    if not caching.enabled():
        return YearFigures(province=province, year=year, plan=plan, approved_only=approved_only)

    def compute() -> YearFigures:
        bundle = YearFigures(province=province, year=year, plan=plan,
                             approved_only=approved_only)
        bundle.read_all()
        return bundle

    # ``versions``: the province's every year, when the page read them already (one query
    # saved); the key takes this year's.
    if versions is None:
        versions = caching.figures_versions([province.pk], [year])
    else:
        versions = tuple(row for row in versions if row[1] == year)
    parts = (versions, province.pk, year, plan.pk if plan else None, approved_only)
    bundle = caching.kept("year", parts, compute)
    # The pages keep what they render of the bundle under the same key.
    bundle.fragment_key = caching.key_of("year", parts)
    return bundle


def kept_scope_figures(plan: Plan, targets) -> dict[int, tuple[list, list]]:
    """Return :func:`scope_figures`, from the cache when the plan's year has not changed since
    (one query on a hit)."""
    targets = list(targets)
    if not caching.enabled():
        return scope_figures(plan, targets)
    versions = caching.figures_versions([plan.province_id], [plan.year])
    return caching.kept(
        "scope", (versions, plan.pk, tuple(target.pk for target in targets)),
        lambda: scope_figures(plan, targets),
    )
