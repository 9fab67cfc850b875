"""Plans by province and year: the home page's lists, the dashboard index's years, a year's plan."""


from django.db.models import Count
from django.utils.functional import SimpleLazyObject

from plans.models import Agency, Plan, Province, Target
from plans.policy.access import (
    can_write,
    provinces_for_user,
    reporter_agency_ids,
    sees_drafts,
    without_hidden_drafts,
)
from plans.selectors import caching
from plans.selectors.agency_reading import evidence_counts
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


def target_page_figures(user, plan: Plan, target: Target, *, evidence: bool = False) -> dict:
    """Return what a target's page shows: ``row`` (its progress), ``history`` (the same target
    in the other plans ``user`` may read, latest first), ``reported`` and ``not_reported`` (the
    agencies in scope; with ``evidence``, each reported agency's ``evidence_count`` of files
    behind the figure), ``lagging`` (how many of them lag), ``as_of``.

    From the cache when no year of the province changed since: one query on a hit (the
    province's figures versions). The agencies in scope, hundreds of rows, are read only when
    the page renders its tables afresh (``reported`` and ``not_reported`` are lazy): the page
    keeps its rendering of them under ``fragment_key``, so a warm page reads none of them.
    Otherwise: the targets over the years, agency counts, result sums, the
    agencies in scope, their display names, their results, when the figures last changed (and
    with ``evidence``, the files).
    """

    def agencies() -> tuple[list, list]:
        return scope_figures(plan, [target])[target.pk]

    def summary(found: tuple[list, list]) -> dict:
        history = target_over_years(target, plans=visible_plans(user))
        return {
            "row": next(item for item in history if item.target.pk == target.pk),
            "history": [item for item in history if item.target.pk != target.pk],
            "lagging": sum(1 for figure in found[0] if figure.lagging),
            "as_of": figures_as_of(
                province_id=plan.province_id, year=plan.year, plan=plan, targets=[target],
                stored=True,
            ),
        }

    def with_evidence(found: tuple[list, list]) -> tuple[list, list]:
        if evidence:
            counts = evidence_counts(
                plan, [figure.agency.pk for figure in found[0]], indicator_id=target.indicator_id
            )
            for figure in found[0]:
                figure.agency.evidence_count = counts.get(figure.agency.pk, 0)
        return found

    if not caching.enabled():
        found = with_evidence(agencies())
        return {**summary(found), "reported": found[0], "not_reported": found[1],
                "fragment_key": ""}
    parts = (caching.figures_versions([plan.province_id]), plan.pk, target.pk, sees_drafts(user))
    read: dict[str, tuple[list, list]] = {}

    def kept_agencies() -> tuple[list, list]:
        # Not kept themselves: pickling hundreds of figures would cost a cold page more than
        # reading them again costs the rare page whose tables are not kept rendered.
        if "found" not in read:
            read["found"] = agencies()
        return read["found"]

    page = caching.kept("target-summary", parts, lambda: summary(kept_agencies()))
    lazy = SimpleLazyObject(lambda: with_evidence(kept_agencies()))
    return {
        **page,
        "reported": SimpleLazyObject(lambda: lazy[0]),
        "not_reported": SimpleLazyObject(lambda: lazy[1]),
        # The page keeps its rendering of these figures under the same key.
        "fragment_key": caching.key_of("target-summary", parts),
    }
