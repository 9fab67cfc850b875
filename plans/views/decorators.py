"""Who may call a view, and by which methods: one decorator for the entry pages, one for the
dashboard's.
"""

from dataclasses import dataclass
from functools import cached_property, wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from plans.models import Agency, Plan, Submission
from plans.policy.access import (
    get_agency_for_user,
    get_plan_for_user,
    is_reporter,
    plan_read_only_message,
)
from plans.rules import cycle
from plans.selectors.naming import name_agencies
from plans.selectors.status import report_state
from plans.words.messages import submitted_lock_message


@dataclass
class Entry:
    """What an entry page starts from, looked up once by :func:`entry_view`."""

    user: object
    plan: Plan
    # The URL's agency, with the name people are shown (``display_name``); None when the URL
    # names none.
    agency: Agency | None = None

    @property
    def province(self):
        return self.plan.province

    @cached_property
    def read_only(self) -> str:
        """Return why the person may not change this page's results now, or "" when they may.

        A closed plan, a draft one for all but admins (plans.policy.access), and, for a
        reporter, its agency's submitted report (plans.rules.cycle), which it withdraws first.
        Asked of the database only for a reporter's agency page, and only once.
        """
        message = plan_read_only_message(self.user, self.plan)
        if message or self.agency is None or not is_reporter(self.user):
            return message
        state = report_state(self.plan, self.agency)
        if state == Submission.State.SUBMITTED and cycle.figures_frozen(state, reviews=False):
            return submitted_lock_message(self.agency.name, self.plan.year)
        return message


def entry_view(*methods: str, reporters: bool = False, active_agency: bool = False):
    """Let the view answer officers who may enter the plan's results, by ``methods`` only.

    The view is called as ``view(request, entry, **other_url_kwargs)``, with an :class:`Entry`:
    the plan of the URL's ``province_code`` and ``year`` from
    :func:`plans.policy.access.get_plan_for_user` (``write=True``), the URL's agency (its
    ``agency_code`` from :func:`plans.policy.access.get_agency_for_user`, named as people are
    shown it) and whether the page is read-only (``entry.read_only``). With ``active_agency``
    an agency not active in the plan's year answers 404 (the pages that enter its figures or
    files).
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
            entry = Entry(user=request.user, plan=plan)
            agency_code = kwargs.pop("agency_code", None)
            if agency_code is not None:
                # Before the method is looked at: a reporter's other agency answers 403
                # whatever the method, as the other pages do.
                entry.agency = get_agency_for_user(
                    request.user, province_code, agency_code, write=True
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
            if entry.agency is not None:
                name_agencies([entry.agency], province_id=plan.province_id)
                if active_agency and not entry.agency.is_active_in(plan.year):
                    raise Http404
            return view(request, entry, **kwargs)

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
