from django.shortcuts import render

from plans.policy.access import can_write, is_reporter, sees_drafts
from plans.selectors.plans import add_reporter_agencies, plans_by_province, readable_provinces


def home(request):
    """List the provinces the user may see, each with its plans, newest year first.

    Two queries besides the session's: the provinces, and their plans with a count of targets.
    A reporter also gets, for each open plan, links to the entry pages of its agencies active
    that year (two queries more: its agencies' ids, then the agencies).
    """
    provinces = readable_provinces(request.user)
    by_province = plans_by_province(request.user, provinces)
    if is_reporter(request.user):
        add_reporter_agencies(request.user, by_province)
    sections = [
        {"province": province, "plans": by_province[province.pk]} for province in provinces
    ]
    return render(
        request, "plans/home.html", {
            "sections": sections,
            "can_enter": can_write(request.user),
            "sees_drafts": sees_drafts(request.user),
        }
    )

