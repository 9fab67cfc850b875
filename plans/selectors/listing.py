"""Lists a program reads through the API: a province's plans, a plan's results, the catalogue.

Each is one queryset, evaluated by its caller (a page of results at a time for the results).
"""

from indicators.models import Indicator
from plans.models import Plan, Province, Result
from plans.policy.access import without_hidden_drafts


def readable_plans(user, province: Province):
    """Return ``province``'s plans ``user`` may read, oldest year first."""
    return without_hidden_drafts(user, Plan.objects.filter(province=province)).order_by("year")


def plan_results(
    plan: Plan, *, agency_code: str | None = None, indicator_code: str | None = None,
    tier: str | None = None,
):
    """Return the results of ``plan``'s province and year, filtered if asked.

    The result's agency, indicator and last writer come with it (one query per page); the
    caller orders them.
    """
    results = Result.objects.filter(agency__province_id=plan.province_id, year=plan.year)
    if agency_code:
        results = results.filter(agency__code=agency_code)
    if indicator_code:
        results = results.filter(indicator__code=indicator_code)
    if tier:
        results = results.filter(agency__tier=tier)
    return results.select_related("agency", "indicator", "updated_by")


def indicator_catalogue():
    """Return every indicator of the catalogue, in the catalogue's order."""
    return Indicator.objects.order_by("position", "code")
