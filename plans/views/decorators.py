"""Who may call a view, and by which methods: one decorator for the entry pages, one for the
dashboard's.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from plans.models import Plan
from plans.policy.access import (
    get_agency_for_user,
    get_plan_for_user,
    is_reporter,
    plan_read_only_message,
)


def entry_view(*methods: str, reporters: bool = False):
    """Let the view answer officers who may enter the plan's results, by ``methods`` only.

    The view is called as ``view(request, plan, **other_url_kwargs)``, with the plan of the URL's
    ``province_code`` and ``year`` from :func:`plans.policy.access.get_plan_for_user`
    (``write=True``).
    The access helper runs before the method is looked at: an anonymous visitor goes to the
    login page, a stranger gets 404 and a leader 403 whatever the method; an officer using
    another method gets a 405 naming the allowed ones, with a page saying where to go instead
    (a POST-only address opened from a bookmark or the history). An officer's POST to a draft
    plan is refused here, for every entry page at once, with 409 and the reason.

    With ``reporters`` a reporter of the province is let in too (403 otherwise): the view must
    then limit him to his agencies, through :func:`plans.policy.access.get_agency_for_user` or by
    writing rows of his agencies only.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, province_code, year, **kwargs):
            plan = get_plan_for_user(
                request.user, province_code, year, write=True, reporters=reporters
            )
            if reporters and "agency_code" in kwargs and is_reporter(request.user):
                # Another agency answers 403 whatever the method, as the other pages do.
                get_agency_for_user(
                    request.user, province_code, kwargs["agency_code"], write=True
                )
            if request.method not in methods:
                return HttpResponseNotAllowed(
                    methods,
                    content=render_to_string(
                        "plans/method_not_allowed.html", {"plan": plan}, request=request
                    ),
                )
            if request.method == "POST" and plan.status == Plan.Status.DRAFT:
                refusal = plan_read_only_message(request.user, plan)
                if refusal:
                    return render(
                        request,
                        "plans/plan_draft_refused.html",
                        {
                            "plan": plan,
                            "province": plan.province,
                            "closed_message": refusal,
                            "back_url": request.path,
                        },
                        status=409,
                    )
            return view(request, plan, **kwargs)

        return wrapped

    return decorator


def dashboard_view(view):
    """Let the view answer readers only: log in first unless dashboards are public; GET only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and not settings.PUBLIC_DASHBOARD:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return require_safe(wrapped)
