"""The agencies and indicators of a plan's year: who is in scope, what each is asked, what the
entry pages list and in which order, and the reads of the agency page.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef

from indicators.models import Indicator
from plans.models import Agency, Evidence, Plan, Result, Submission
from plans.rules.tiers import TIER_ORDER, Tier, parse_tiers
from plans.selectors import caching
from plans.selectors.naming import name_agencies


def plan_agencies(plan: Plan):
    """Return the agencies of ``plan``'s province active in its year (a queryset)."""
    return Agency.objects.filter(Agency.active_in(plan.year), province_id=plan.province_id)


def approved_agency_ids(plan: Plan) -> set[int]:
    """Return the ids of the agencies whose report for ``plan`` is approved (one query)."""
    return set(
        plan.submissions.filter(state=Submission.State.APPROVED).values_list(
            "agency_id", flat=True
        )
    )


def target_scopes(plan: Plan) -> dict[int, set[str]]:
    """Return, for each indicator ``plan`` sets targets for, the tiers its targets cover."""
    scopes: dict[int, set[str]] = {}
    for indicator_id, tiers in plan.targets.values_list("indicator_id", "tiers"):
        scopes.setdefault(indicator_id, set()).update(parse_tiers(tiers))
    return scopes


def targeted_indicator_ids(plan: Plan, tier: str | None = None) -> set[int]:
    """Return the ids of the indicators ``plan`` sets targets for (covering ``tier``)."""
    return {
        indicator_id
        for indicator_id, tiers in target_scopes(plan).items()
        if tier is None or tier in tiers
    }


def ordered_indicators(targeted_ids: set[int]) -> list[Indicator]:
    """Return the catalogue with the targeted indicators first, each part in catalogue order."""
    indicators = list(Indicator.objects.all())
    return [i for i in indicators if i.pk in targeted_ids] + [
        i for i in indicators if i.pk not in targeted_ids
    ]


def incomplete_agencies(plan: Plan) -> tuple[list[dict], int]:
    """Return the agencies in ``plan``'s scope that have not reported everything, and how many
    agencies its scope holds.

    An agency is asked for every indicator some target of the plan sets for its tier; each
    entry is a dict of ``agency``, ``reported`` and ``asked``, by name. Three queries: the
    targets, the agencies, the keys of their results.
    """
    asked: dict[str, set[int]] = {}
    for indicator_id, tiers in target_scopes(plan).items():
        for tier in tiers:
            asked.setdefault(tier, set()).add(indicator_id)
    in_scope = plan_agencies(plan).filter(tier__in=asked)
    agencies = list(in_scope.order_by("name", "code"))
    reported: dict[int, int] = {}
    for agency_id, tier, indicator_id in Result.objects.filter(
        year=plan.year, agency__in=in_scope
    ).values_list("agency_id", "agency__tier", "indicator_id"):
        if indicator_id in asked[tier]:
            reported[agency_id] = reported.get(agency_id, 0) + 1
    incomplete = [
        {"agency": agency, "reported": reported.get(agency.pk, 0),
         "asked": len(asked[agency.tier])}
        for agency in agencies
        if reported.get(agency.pk, 0) < len(asked[agency.tier])
    ]
    return incomplete, len(agencies)


def year_overview(plan: Plan) -> dict:
    """Return the year page's table: who reported what, by tier and indicator.

    A dict of ``tiers`` (code, label, agencies active), ``rows`` (an indicator, whether the plan
    targets it, and per tier how many agencies reported it and whether a target asks that tier
    for it), ``has_targets``, ``not_reported`` (the agencies some target covers that reported
    nothing, by name) and ``agency_count`` (how many agencies some target covers). Five queries:
    the agencies with their report counts, their display names, the reports by tier and
    indicator, the targets, the indicators.
    """
    agencies = name_agencies(
        plan_agencies(plan)
        # Whether it reported anything that year: one index seek per agency. A count over a
        # join with the year in the aggregate's filter made PostgreSQL read every result of
        # every year of the country (189 ms of a cold year page at national scale).
        .annotate(reported=Exists(Result.objects.filter(agency=OuterRef("pk"), year=plan.year)))
        .order_by(),
        province_id=plan.province_id,
    )
    reported = {
        (row["agency__tier"], row["indicator_id"]): row["n"]
        for row in Result.objects.filter(year=plan.year, agency__in=plan_agencies(plan))
        .values("agency__tier", "indicator_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    scopes = target_scopes(plan)
    indicators = ordered_indicators(set(scopes))
    tiers = []
    for tier in TIER_ORDER:
        in_tier = sum(1 for agency in agencies if agency.tier == tier)
        if in_tier:
            tiers.append({"code": tier, "label": Tier(tier).label, "agencies": in_tier})
    rows = [
        {
            "indicator": indicator,
            "targeted": indicator.pk in scopes,
            "counts": [
                {
                    "tier": tier,
                    "reported": reported.get((tier["code"], indicator.pk), 0),
                    # No target asks this tier for this indicator: nothing is missing here.
                    "in_scope": tier["code"] in scopes.get(indicator.pk, ()),
                }
                for tier in tiers
            ],
        }
        for indicator in indicators
    ]
    # Only an agency some target covers is expected to report.
    covered = set().union(*scopes.values())
    in_scope = [agency for agency in agencies if agency.tier in covered]
    return {
        "tiers": tiers,
        "rows": rows,
        "has_targets": bool(scopes),
        "not_reported": [
            agency for agency in in_scope if not agency.reported  # type: ignore[attr-defined]
        ],
        "agency_count": len(in_scope),
    }


def tier_agencies(plan: Plan, tier: str) -> list[Agency]:
    """Return the agencies of ``tier`` active in ``plan``'s year, named and in order: two
    queries."""
    return name_agencies(
        plan_agencies(plan).filter(tier=tier).order_by(), province_id=plan.province_id
    )


class ShownResult(NamedTuple):
    """What a grid cell shows of a result: read as plain rows, not models, since a grid of a
    province's communes shows over 10,000 of them."""

    agency_id: int
    indicator_id: int
    value: int | None
    numerator: int | None
    denominator: int | None
    note: str
    version: int


def grid_results(
    plan: Plan, tier: str, indicators, agencies: Iterable[Agency] | None = None
) -> list[ShownResult]:
    """Return the results of ``tier``'s agencies active in ``plan``'s year for ``indicators``,
    with only what a grid cell shows, in no order: one query.

    ``agencies``: only theirs (a page of the grid, some of the tier's agencies), so that a
    page reads its own rows' results and no more, however large the tier.
    """
    if agencies is None:
        shown = Result.objects.filter(agency__in=plan_agencies(plan).filter(tier=tier))
    else:
        shown = Result.objects.filter(agency_id__in=[agency.pk for agency in agencies])
    rows = (
        shown.filter(year=plan.year, indicator__in=indicators)
        .order_by()
        .values_list(*ShownResult._fields)
    )
    return list(map(ShownResult._make, rows))


def agency_results(agency: Agency) -> list[Result]:
    """Return every result of ``agency``, oldest year first: one query."""
    return list(agency.results.all().order_by("year"))


def agency_evidence(agency: Agency, year: int) -> list[Evidence]:
    """Return ``agency``'s evidence files of ``year`` with their indicator and uploader."""
    return list(
        agency.evidence.filter(year=year).select_related("indicator", "uploaded_by")
    )


def agency_result(agency: Agency, year: int, indicator_code: str) -> Result | None:
    """Return ``agency``'s result of ``year`` for ``indicator_code`` with what the clearing
    page shows (its indicator, who saved it), or None: one query."""
    return (
        Result.objects.select_related("agency__province", "indicator", "updated_by")
        .filter(agency=agency, year=year, indicator__code=indicator_code)
        .first()
    )


def result_now(result: Result) -> Result | None:
    """Return ``result`` as stored now, or None when it is gone: one query."""
    return (
        Result.objects.filter(pk=result.pk)
        .select_related("agency__province", "indicator", "updated_by")
        .first()
    )


def agencies_by_name(plan: Plan, agency_ids) -> list[Agency]:
    """Return the agencies of ``agency_ids`` in ``plan``'s province by name: one query."""
    return list(
        Agency.objects.filter(pk__in=agency_ids, province_id=plan.province_id).order_by("name")
    )


def catalogue() -> list[Indicator]:
    """Return the indicator catalogue in its order: one query."""
    return list(Indicator.objects.all())


def indicator_by_code(code: str) -> Indicator | None:
    """Return the indicator ``code``, or None: one query."""
    return Indicator.objects.select_related("predecessor").filter(code=code).first()



def template_contents(plan: Plan, *, agency_ids=None) -> tuple[list[Agency], list[Indicator], dict]:
    """Return what ``plan``'s results template lists: the agencies (with their parents) by tier
    and name shown, the indicators targeted first, and {(agency id, indicator id): result}.
    ``agency_ids`` limits the agencies (a reporter's). Five queries."""
    agencies_in_plan = plan_agencies(plan).select_related("parent")
    if agency_ids is not None:
        agencies_in_plan = agencies_in_plan.filter(pk__in=agency_ids)
    agencies = name_agencies(agencies_in_plan, province_id=plan.province_id)
    # A stable sort: within a tier the agencies keep name_agencies' order.
    agencies.sort(key=lambda a: TIER_ORDER.index(a.tier))
    indicators = ordered_indicators(targeted_indicator_ids(plan))
    results = {
        (r.agency_id, r.indicator_id): r
        for r in Result.objects.filter(year=plan.year, agency__in=agencies)
    }
    return agencies, indicators, results


def yes_no_indicator_codes() -> set[str]:
    """Return the codes of the yes/no indicators: one query."""
    return set(
        Indicator.objects.filter(kind=Indicator.Kind.YES_NO).values_list("code", flat=True)
    )


OVERVIEW_PARTS = ("tiers", "rows", "has_targets", "not_reported", "agency_count")


def kept_year_overview(plan: Plan) -> tuple[dict, str]:
    """Return (:func:`year_overview`'s parts, each read only when used; the key the year page
    keeps its rendering of them under, "" when nothing is kept).

    From the cache when the plan's year has not changed since: one query on a hit (the year's
    figures version); a page whose tables are kept rendered reads none of the parts."""
    if not caching.enabled():
        return year_overview(plan), ""
    parts = (caching.figures_versions([plan.province_id], [plan.year]), plan.pk)
    return caching.kept_lazily("overview", parts, lambda: year_overview(plan), OVERVIEW_PARTS)
