"""Every URL of the site, with concrete arguments and what each kind of visitor gets.

The URLconf is walked programmatically (:func:`site_patterns`), so a URL added to the site
without a row here makes ``test_url_matrix`` fail. Django's admin is the one exception: it is
``django.contrib.admin``'s own ``AdminSite``, staff-only as a whole, so only its index and
login have rows; ``test_it_keeps_non_staff_out_of_every_admin_page`` covers the rest.

Outcomes (``OUTCOMES[name][visitor]`` is ``(GET, POST with an empty body, POST with junk)``):

- a number: that status code, with no redirect;
- ``LOGIN``: a redirect to the site's login page with ``?next=`` back to the page;
- ``ADMIN_LOGIN``: a redirect to the admin's login page;
- ``REDIRECT``: a redirect elsewhere on the site (a form's normal answer after saving).

Visitors: ``anonymous`` (dashboards private, the default), ``anonymous_public`` (the same
visitor with ``settings.PUBLIC_DASHBOARD = True``), ``officer_a`` (officer of province A, whose
pages these are), ``officer_b`` (officer of another province), ``leader_a`` (leader of A: reads
dashboards, changes nothing — issue 3; the entry pages, GET included, answer 403 because every
entry view asks ``plans.policy.access`` for write access), ``reporter_a`` (reporter of A for the
agency 91-SNV — issue 14: reads A's dashboards like a leader; enters 91-SNV's results on its
agency, history and clear pages and through the upload limited to it, and attaches, downloads
and deletes its evidence files; every other entry page answers 403) and ``admin_user`` (superuser).
"""

from django.urls import URLPattern, URLResolver, get_resolver

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
REDIRECT = "redirect"

VISITORS = (
    "anonymous", "anonymous_public", "officer_a", "officer_b", "leader_a", "reporter_a",
    "admin_user",
)
METHODS = ("get", "post-empty", "post-junk")

# Placeholders resolved against the ``world`` fixture when the URL is built.
TARGET_ID = object()
EVIDENCE_ID = object()
CHECKLIST_ID = object()

# URL name -> the keyword arguments of a page of province A (91 Kiên Giang), year 2017.
URL_KWARGS = {
    "healthz": {},
    "favicon": {},
    "set_language": {},
    "login": {},
    "logout": {},
    "password_change": {},
    "password_change_done": {},
    "plans:home": {},
    "plans:entry_year": {"province_code": "91", "year": 2017},
    "plans:entry_close": {"province_code": "91", "year": 2017},
    "plans:entry_reopen": {"province_code": "91", "year": 2017},
    "plans:entry_upload": {"province_code": "91", "year": 2017},
    "plans:entry_template": {"province_code": "91", "year": 2017, "file_format": "xlsx"},
    "plans:entry_agency": {"province_code": "91", "year": 2017, "agency_code": "91-SNV"},
    "plans:entry_history": {"province_code": "91", "year": 2017, "agency_code": "91-SNV"},
    "plans:entry_result_clear": {
        "province_code": "91", "year": 2017, "agency_code": "91-SNV",
        "indicator_code": "OFFICIAL_EMAIL",
    },
    "plans:entry_evidence_add": {"province_code": "91", "year": 2017, "agency_code": "91-SNV"},
    "plans:entry_evidence": {
        "province_code": "91", "year": 2017, "agency_code": "91-SNV", "evidence_id": EVIDENCE_ID,
    },
    "plans:entry_evidence_delete": {
        "province_code": "91", "year": 2017, "agency_code": "91-SNV", "evidence_id": EVIDENCE_ID,
    },
    "plans:entry_grid": {"province_code": "91", "year": 2017, "tier": "department"},
    "plans:status_board": {"province_code": "91", "year": 2017},
    "plans:status_csv": {"province_code": "91", "year": 2017},
    "plans:submission_submit": {"province_code": "91", "year": 2017, "agency_code": "91-SNV"},
    "plans:submission_withdraw": {"province_code": "91", "year": 2017, "agency_code": "91-SNV"},
    "plans:submission_approve": {"province_code": "91", "year": 2017, "agency_code": "91-SNV"},
    "plans:submission_return": {"province_code": "91", "year": 2017, "agency_code": "91-SNV"},
    "plans:submission_reopen": {"province_code": "91", "year": 2017, "agency_code": "91-SNV"},
    "plans:dashboard_index": {},
    "plans:dashboard_compare": {"year": 2017},
    "plans:dashboard_trend": {"province_code": "91", "indicator_code": "OFFICIAL_EMAIL"},
    "plans:dashboard_plan": {"province_code": "91", "year": 2017},
    "plans:dashboard_programme": {"province_code": "91", "programme_code": "KH-2021-2025"},
    "plans:dashboard_target": {"province_code": "91", "year": 2017, "target_id": TARGET_ID},
    "plans:entry_checklist": {"province_code": "91", "year": 2017, "target_id": CHECKLIST_ID},
    "plans:dashboard_report": {"province_code": "91", "year": 2017},
    "plans:dashboard_agency": {"province_code": "91", "year": 2017, "agency_code": "91-SNV"},
    "plans:dashboard_csv": {"province_code": "91", "year": 2017},
    "plans:dashboard_xlsx": {"province_code": "91", "year": 2017},
    "indicators:definition": {"code": "OFFICIAL_EMAIL"},
    "admin:index": {},
    "admin:login": {},
    "api_docs": {},
    "api-v1:api-root": {},
    "api-v1:openapi-json": {},
    "api-v1:province_list": {},
    "api-v1:indicator_list": {},
    "api-v1:plan_list": {"code": "91"},
    "api-v1:plan_progress_read": {"code": "91", "year": 2017},
    "api-v1:plan_status_read": {"code": "91", "year": 2017},
    "api-v1:result_list": {"code": "91", "year": 2017},
    "api-v1:result_send": {"code": "91", "year": 2017},
}


def row(
    anonymous, officer_a, officer_b, leader_a, admin_user, anonymous_public=None,
    reporter_a=None,
):
    """Return one table row; ``anonymous_public`` defaults to what ``anonymous`` gets, and
    ``reporter_a`` to what ``leader_a`` gets (outside its agency's entry pages a reporter
    reads like a leader)."""
    return {
        "anonymous": anonymous,
        "anonymous_public": anonymous if anonymous_public is None else anonymous_public,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "leader_a": leader_a,
        "reporter_a": leader_a if reporter_a is None else reporter_a,
        "admin_user": admin_user,
    }


# Shorthands for the three methods of a visitor who gets the same answer to all of them.
def same(outcome):
    return (outcome, outcome, outcome)


# Dashboards: GET only (require_safe), so every POST is 405 before anything else.
READER = (200, 405, 405)
DASHBOARD = row(
    anonymous=(LOGIN, 405, 405), anonymous_public=READER,
    officer_a=READER, officer_b=(404, 405, 405), leader_a=READER, admin_user=READER,
)
# Dashboard pages that list only what the visitor may read, so another province's officer
# gets his own list rather than a 404.
DASHBOARD_LIST = row(
    anonymous=(LOGIN, 405, 405), anonymous_public=READER,
    officer_a=READER, officer_b=READER, leader_a=READER, admin_user=READER,
)
# Entry pages: the access helper runs before the method check, so a stranger gets 404 and a
# leader 403 whatever the method; an anonymous visitor is sent to log in, public mode or not.
# A reporter gets 403 too, except on the pages of its own agency (``reporter_a=`` below).
ENTRY_STRANGERS = {
    "anonymous": same(LOGIN), "anonymous_public": same(LOGIN),
    "officer_b": same(404), "leader_a": same(403), "reporter_a": same(403),
}


def entry(officer_a, admin_user=None, reporter_a=None):
    """Return an entry page's row; ``reporter_a`` is given for the pages a reporter may use."""
    cells = {**ENTRY_STRANGERS, "officer_a": officer_a,
             "admin_user": officer_a if admin_user is None else admin_user}
    if reporter_a is not None:
        cells["reporter_a"] = reporter_a
    return cells


OUTCOMES = {
    # The read-only agency page: the readers of the province with a role (reporter_a reads its
    # own 91-SNV); public dashboards do not open it, since it offers the evidence files.
    "plans:dashboard_agency": row(
        anonymous=(LOGIN, 405, 405), anonymous_public=(404, 405, 405), officer_a=READER,
        officer_b=(404, 405, 405), leader_a=READER, admin_user=READER,
    ),
    # Public: the health check only reads (the load balancer may POST or GET it).
    "healthz": row(*[same(200)] * 5),
    # The icon browsers ask for: a redirect to the static file, for anyone; GET only.
    "favicon": row(*[(REDIRECT, 405, 405)] * 5),
    "set_language": row(*[same(REDIRECT)] * 5),
    "login": row(*[same(200)] * 5),  # a junk or empty login is the form again, with errors
    "logout": row(*[(405, REDIRECT, REDIRECT)] * 5),  # Django 5 logs out by POST only
    "password_change": row(
        same(LOGIN), same(200), same(200), same(200), same(200)
    ),
    "password_change_done": row(
        same(LOGIN), (200, 405, 405), (200, 405, 405), (200, 405, 405), (200, 405, 405)
    ),
    # Home lists what the visitor may read; it has no form and answers any method alike.
    "plans:home": row(*[same(200)] * 5),
    "plans:entry_year": entry(officer_a=(200, 405, 405)),
    # Closing asks first: GET is the confirmation page. The world's reports are not approved,
    # so a POST without the confirmation's tick is refused back to that page, writing nothing
    # (the tick's write: tests/plans/test_entry_close.py).
    "plans:entry_close": entry(officer_a=(200, REDIRECT, REDIRECT)),
    # Only an admin may reopen; reopening an open plan is refused with a message.
    "plans:entry_reopen": entry(officer_a=(405, 403, 403), admin_user=(405, REDIRECT, REDIRECT)),
    # No file chosen, or a confirm without a previewed file: 400 with the reason.
    # A reporter uploads too, rows of its agencies only (tests/plans/test_reporters.py), and
    # downloads a template of them.
    "plans:entry_upload": entry(officer_a=(200, 400, 400), reporter_a=(200, 400, 400)),
    "plans:entry_template": entry(officer_a=(200, 405, 405), reporter_a=(200, 405, 405)),
    # An empty save changes no cell (back to the page); junk in a cell is refused with 400.
    # 91-SNV is reporter_a's agency: it may do what the officer does.
    "plans:entry_agency": entry(officer_a=(200, REDIRECT, 400), reporter_a=(200, REDIRECT, 400)),
    "plans:entry_history": entry(officer_a=(200, 405, 405), reporter_a=(200, 405, 405)),
    # A POST without the version the confirmation page showed clears nothing: 409, as when
    # the result changed since.
    "plans:entry_result_clear": entry(
        officer_a=(200, 409, 409), reporter_a=(200, 409, 409)
    ),
    "plans:entry_grid": entry(officer_a=(200, REDIRECT, 400)),
    # A checklist's items: an empty or junk save ticks nothing (every item stays not done, as
    # it was), so nothing changes and the page comes back.
    "plans:entry_checklist": entry(officer_a=(200, REDIRECT, REDIRECT)),
    # The status board and its CSV are the officers' (issue 14): a reporter gets 403.
    "plans:status_board": entry(officer_a=(200, 405, 405)),
    "plans:status_csv": entry(officer_a=(200, 405, 405)),
    # The report's transitions: POST only, back to the agency page with what happened. The
    # matrix's result was never submitted: approving, returning or reopening it is refused
    # with a message. Submitting it writes (WRITES); 91-SNV is reporter_a's, so it may too.
    "plans:submission_submit": entry(
        officer_a=(405, REDIRECT, REDIRECT), reporter_a=(405, REDIRECT, REDIRECT)
    ),
    # Withdrawing: nothing submitted, so refused with a message (a redirect), nothing written.
    "plans:submission_withdraw": entry(
        officer_a=(405, REDIRECT, REDIRECT), reporter_a=(405, REDIRECT, REDIRECT)
    ),
    "plans:submission_approve": entry(officer_a=(405, REDIRECT, REDIRECT)),
    "plans:submission_return": entry(officer_a=(405, REDIRECT, REDIRECT)),
    "plans:submission_reopen": entry(officer_a=(405, REDIRECT, REDIRECT)),
    # Attaching evidence: the form page; a POST without a file (the junk "file" is text) is
    # refused with 400 and the reason. 91-SNV is reporter_a's: it attaches as the officer does.
    "plans:entry_evidence_add": entry(officer_a=(200, 400, 400), reporter_a=(200, 400, 400)),
    # Downloading evidence: every reader of the province, leaders included, and reporters for
    # their own agencies (91-SNV is reporter_a's; another agency's file is a 404), GET only
    # (after the access check, so a stranger gets 404 whatever the method). Never public: an
    # anonymous visitor logs in even when the dashboards are public.
    "plans:entry_evidence": row(
        anonymous=same(LOGIN), anonymous_public=same(LOGIN), officer_a=READER,
        officer_b=same(404), leader_a=READER, reporter_a=READER, admin_user=READER,
    ),
    # Deleting evidence asks first (GET); it has no fields, so an empty POST is the real
    # request (and writes, see WRITES). The file is 91-SNV's: reporter_a deletes it too.
    "plans:entry_evidence_delete": entry(
        officer_a=(200, REDIRECT, REDIRECT), reporter_a=(200, REDIRECT, REDIRECT)
    ),
    "plans:dashboard_index": DASHBOARD_LIST,
    "plans:dashboard_compare": DASHBOARD_LIST,
    "plans:dashboard_trend": DASHBOARD,
    "plans:dashboard_plan": DASHBOARD,
    "plans:dashboard_programme": DASHBOARD,
    "plans:dashboard_target": DASHBOARD,
    "plans:dashboard_report": DASHBOARD,
    "plans:dashboard_csv": DASHBOARD,
    "plans:dashboard_xlsx": DASHBOARD,
    # An indicator's definitions: readers as on the dashboards; no province, so any
    # logged-in user reads it.
    "indicators:definition": DASHBOARD_LIST,
    # Django's admin: staff only. A logged-in non-staff user is sent to the admin login too,
    # which then says the account may not enter; a logged-in admin is sent on to the index.
    "admin:index": row(
        same(ADMIN_LOGIN), same(ADMIN_LOGIN), same(ADMIN_LOGIN), same(ADMIN_LOGIN), same(200)
    ),
    "admin:login": row(
        same(200), same(200), same(200), same(200), (REDIRECT, 200, 200)
    ),
    # The JSON API (issue 23) takes a bearer token only: a session, whoever's, is no
    # credential there, so every visitor of this table gets 401 (405 first for a method the
    # address does not take). Its schema and docs page are public; they hold no figure.
    "api_docs": row(*[(200, 405, 405)] * 5),
    "api-v1:api-root": row(*[same(404)] * 5),
    # django-ninja's schema view answers every method alike; it only reads.
    "api-v1:openapi-json": row(*[same(200)] * 5),
    "api-v1:province_list": row(*[(401, 405, 405)] * 5),
    "api-v1:indicator_list": row(*[(401, 405, 405)] * 5),
    "api-v1:plan_list": row(*[(401, 405, 405)] * 5),
    "api-v1:plan_progress_read": row(*[(401, 405, 405)] * 5),
    "api-v1:plan_status_read": row(*[(401, 405, 405)] * 5),
    "api-v1:result_list": row(*[same(401)] * 5),
    "api-v1:result_send": row(*[same(401)] * 5),
}

# The API's addresses answer JSON, never the CSRF failure page: a forged cross-site POST gets
# the API's 401 (no session counts there, so no CSRF check is needed), or for the public schema
# and docs page Django's CSRF refusal as the API's JSON 403 (test_url_matrix checks both).
API_NAMES = {name for name in OUTCOMES if name.startswith("api-v1:") or name == "api_docs"}

# (URL name, visitor) pairs whose POST legitimately writes: deleting the evidence file (its
# row, one Change) and submitting 91-SNV's report (one Submission and one Change). Every other
# cell of the matrix must leave every table as it was.
WRITES = {
    ("plans:entry_evidence_delete", "officer_a"), ("plans:entry_evidence_delete", "admin_user"),
    ("plans:entry_evidence_delete", "reporter_a"),
    ("plans:submission_submit", "officer_a"), ("plans:submission_submit", "reporter_a"),
    ("plans:submission_submit", "admin_user"),
}


def walk(patterns, prefix="", namespace=""):
    """Yield ``(route, name, pattern)`` for every URL pattern below ``patterns``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern


def site_patterns():
    """Return ``{name: route}`` of every URL of the site outside Django's admin."""
    return {
        name or route: route
        for route, name, _pattern in walk(get_resolver().url_patterns)
        if not (name or "").startswith("admin:") and not route.startswith("admin/")
    }


def admin_patterns():
    """Return ``[(route, name)]`` of every URL under the admin."""
    return [
        (route, name)
        for route, name, _pattern in walk(get_resolver().url_patterns)
        if route.startswith("admin/")
    ]
