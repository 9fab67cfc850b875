from django.db.models import Count
from django.shortcuts import render

from plans.models import Agency, Plan
from plans.policy.access import (
    can_write,
    is_reporter,
    provinces_for_user,
    reporter_agency_ids,
    sees_drafts,
    without_hidden_drafts,
)
from plans.words.collation import sorted_vietnamese


def home(request):
    """List the provinces the user may see, each with its plans, newest year first.

    Two queries besides the session's: the provinces, and their plans with a count of targets.
    A reporter also gets, for each open plan, links to the entry pages of its agencies active
    that year (two queries more: its agencies' ids, then the agencies).
    """
    provinces = sorted_vietnamese(
        provinces_for_user(request.user).order_by(), key=lambda province: province.name
    )
    plans_by_province: dict[int, list[Plan]] = {province.pk: [] for province in provinces}
    plans = (
        Plan.objects.filter(province__in=[province.pk for province in provinces])
        .annotate(target_count=Count("targets"))
        .order_by("province_id", "-year")
    )
    if not can_write(request.user):
        # Officers see a draft to prepare for it (its entry pages are read-only); readers not.
        plans = without_hidden_drafts(request.user, plans)
    if provinces:
        provinces_by_id = {province.pk: province for province in provinces}
        for plan in plans:
            # The province is already loaded: the plan's title names it without a query.
            plan.province = provinces_by_id[plan.province_id]
            plans_by_province[plan.province_id].append(plan)
    if is_reporter(request.user):
        _add_reporter_agencies(request.user, plans_by_province)
    sections = [
        {"province": province, "plans": plans_by_province[province.pk]} for province in provinces
    ]
    return render(
        request, "plans/home.html", {
            "sections": sections,
            "can_enter": can_write(request.user),
            "sees_drafts": sees_drafts(request.user),
        }
    )


def _add_reporter_agencies(user, plans_by_province: dict[int, list[Plan]]) -> None:
    """Give each open plan the reporter's agencies active in its year, by name, as
    ``plan.reporter_agencies``: the entry pages the reporter may open."""
    agencies = list(
        Agency.objects.filter(
            pk__in=reporter_agency_ids(user), province_id__in=plans_by_province
        ).order_by("name", "code")
    )
    for plans in plans_by_province.values():
        for plan in plans:
            plan.reporter_agencies = [  # type: ignore[attr-defined]
                agency
                for agency in agencies
                if plan.status == Plan.Status.OPEN
                and agency.province_id == plan.province_id
                and agency.is_active_in(plan.year)
            ]
