"""Who is reminded of which reports: the plans due, the reporters of agencies, the officers."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from plans.models import Agency, Plan, Profile


def due_plans(*, today: datetime.date, province_code: str | None = None, year: int | None = None):
    """Return the open plans whose report deadline is within the reminder window or past."""
    last = today + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    plans = Plan.objects.filter(
        status=Plan.Status.OPEN, report_deadline__isnull=False, report_deadline__lte=last
    ).select_related("province")
    if province_code is not None:
        plans = plans.filter(province__code=province_code)
    if year is not None:
        plans = plans.filter(year=year)
    return plans.order_by("report_deadline", "province__code", "year")


def agency_reporters(plan: Plan, agencies: list[Agency]) -> dict[int, list]:
    """Return {agency id: its active reporters' users} for ``agencies`` of ``plan``: reporters
    who still report in the plan's province. Two queries (the profiles, their agencies)."""
    reporters: dict[int, list] = {}
    for profile in (
        Profile.objects.filter(
            role=Profile.Role.REPORTER,
            user__is_active=True,
            provinces=plan.province,
            agencies__in=agencies,
        )
        .select_related("user")
        .prefetch_related("agencies")
        .distinct()
    ):
        for agency in profile.agencies.all():
            reporters.setdefault(agency.pk, []).append(profile.user)
    return reporters


def province_officers(plan: Plan) -> list:
    """Return the active officers of ``plan``'s province: one query."""
    User = get_user_model()
    return list(
        User.objects.filter(
            Q(profile__role=Profile.Role.OFFICER, profile__provinces=plan.province),
            is_active=True,
        ).distinct()
    )
