"""Plans by province and year: the home page's lists, the dashboard index's years, a year's plan."""


from django.db.models import Count

from plans.models import Agency, Plan, Province, Target
from plans.policy.access import (
    can_write,
    provinces_for_user,
    reporter_agency_ids,
    sees_drafts,
    without_hidden_drafts,
)
from plans.selectors import caching
from plans.selectors.figures import figures_as_of, result_years, scope_figures
from plans.selectors.progress import target_over_years
from plans.words.collation import sorted_vietnamese


def readable_provinces(user) -> list[Province]:
    """Return the provinces ``user`` may read, in Vietnamese alphabetical order: one query."""
    return sorted_vietnamese(
        provinces_for_user(user).order_by(), key=lambda province: province.name
    )


def province_plan(province: Province, year: int) -> Plan | None:
    """Return ``province``'s plan of ``year``, or None: one query."""
    return province.plans.filter(year=year).first()


def visible_plans(user, province: Province | None = None, year: int | None = None):
    """Return the plans ``user`` may read (of ``province``, of ``year``), drafts only for those
    who see them (a queryset)."""
    plans = Plan.objects.all()
    if province is not None:
        plans = plans.filter(province=province)
    if year is not None:
        plans = plans.filter(year=year)
    return without_hidden_drafts(user, plans)


def sees_several_provinces(user) -> bool:
    """Return True if ``user`` may read more than one province: one query."""
    return provinces_for_user(user)[:2].count() > 1


def years_by_province(user, province_ids) -> dict[int, set[int]]:
    """Return {province id: the years ``user`` may open}: those with results or a plan, a
    draft's year only for those who see drafts (its pages answer 404 to others, even with
    results). Two queries."""
    years = result_years(province_ids)
    for province_id, plan_year, status in Plan.objects.filter(
        province_id__in=province_ids
    ).values_list("province_id", "year", "status"):
        if status == Plan.Status.DRAFT and not sees_drafts(user):
            years[province_id].discard(plan_year)
        else:
            years[province_id].add(plan_year)
    return years


def plans_by_province(user, provinces) -> dict[int, list[Plan]]:
    """Return {province id: its plans newest first, each with ``target_count``} for
    ``provinces`` (loaded: a plan's title names its province without a query): one query.

    Officers see a draft to prepare for it (its entry pages are read-only); readers not.
    """
    by_province: dict[int, list[Plan]] = {province.pk: [] for province in provinces}
    if not provinces:
        return by_province
    plans = (
        Plan.objects.filter(province__in=[province.pk for province in provinces])
        .annotate(target_count=Count("targets"))
        .order_by("province_id", "-year")
    )
    if not can_write(user):
        plans = without_hidden_drafts(user, plans)
    provinces_by_id = {province.pk: province for province in provinces}
    for plan in plans:
        plan.province = provinces_by_id[plan.province_id]
        by_province[plan.province_id].append(plan)
    return by_province


def add_reporter_agencies(user, by_province: dict[int, list[Plan]]) -> set[int]:
    """Give each open plan the reporter's agencies active in its year, by name, as
    ``plan.reporter_agencies``: the entry pages the reporter may open. Return the reporter's
    agencies' ids. Two queries: those ids, then the agencies."""
    agency_ids = reporter_agency_ids(user)
    agencies = list(
        Agency.objects.filter(
            pk__in=agency_ids, province_id__in=by_province
        ).order_by("name", "code")
    )
    for plans in by_province.values():
        for plan in plans:
            plan.reporter_agencies = [  # type: ignore[attr-defined]
                agency
                for agency in agencies
                if plan.status == Plan.Status.OPEN
                and agency.province_id == plan.province_id
                and agency.is_active_in(plan.year)
            ]
    return agency_ids


def target_page_figures(user, plan: Plan, target: Target) -> dict:
    """Return what a target's page shows: ``row`` (its progress), ``history`` (the same target
    in the other plans ``user`` may read, latest first), ``reported`` and ``not_reported`` (the
    agencies in scope), ``as_of``.

    From the cache when no year of the province changed since: one query on a hit (the
    province's figures versions). Otherwise: the targets over the years, agency counts, result
    sums, the agencies in scope, their display names, their results, when the figures last
    changed.
    """

    def compute() -> dict:
        history = target_over_years(target, plans=visible_plans(user))
        reported, not_reported = scope_figures(plan, [target])[target.pk]
        return {
            "row": next(item for item in history if item.target.pk == target.pk),
            "history": [item for item in history if item.target.pk != target.pk],
            "reported": reported,
            "not_reported": not_reported,
            "as_of": figures_as_of(
                province_id=plan.province_id, year=plan.year, plan=plan, targets=[target],
                stored=True,
            ),
        }

    if not caching.enabled():
        return {**compute(), "fragment_key": ""}
    parts = (caching.figures_versions([plan.province_id]), plan.pk, target.pk, sees_drafts(user))
    # ``fragment_key``: the page keeps its rendering of these figures under the same key.
    return {**caching.kept("target", parts, compute),
            "fragment_key": caching.key_of("target", parts)}
