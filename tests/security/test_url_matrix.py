"""Every URL × every kind of visitor × GET, empty POST and junk POST, as ``matrix.OUTCOMES`` says.

Besides the status: a refused or read-only request writes nothing (the rows of Plan, Target,
Result, Change, Submission and Evidence are counted before and after, and the plan's status
compared), no request answers 500, and no redirect leaves the site.
"""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.test import Client
from django.urls import NoReverseMatch, reverse

from plans.models import Change, Plan, Submission
from tests.security.conftest import row_counts
from tests.security.matrix import (
    ADMIN_LOGIN,
    API_NAMES,
    CHECKLIST_ID,
    EVIDENCE_ID,
    LOGIN,
    METHODS,
    OUTCOMES,
    REDIRECT,
    TARGET_ID,
    URL_KWARGS,
    VISITORS,
    WRITES,
    admin_patterns,
    site_patterns,
)


def url_of(name: str, world) -> str:
    placeholders = {TARGET_ID: world.target.pk, EVIDENCE_ID: world.evidence.pk,
                    CHECKLIST_ID: world.checklist.pk}
    kwargs = {
        key: placeholders.get(value, value)
        for key, value in URL_KWARGS[name].items()
    }
    return reverse(name, kwargs=kwargs)


def junk_body(world) -> dict:
    """Return a POST body of junk aimed at every form of the site at once.

    It names the world's real result cell with impossible figures and a forged version token,
    a "confirm" without a previewed file, a file field that is text, long credentials, an
    unknown language and off-site ``next`` addresses.
    """
    result = world.result
    prefix = f"r{result.agency_id}-{result.indicator_id}"
    return {
        f"{prefix}-o": "phiên-bản-giả",
        f"{prefix}-n": "-1",
        f"{prefix}-d": "abc",
        f"{prefix}-note": "<script>alert(1)</script>",
        "junk": "' OR 1=1 --",  # NUL: test_hostile_input.py
        "confirm": "1",
        "sha256": "0" * 64,
        "file": "không phải tệp",
        # As long as a username may be; longer ones: test_hostile_input.py.
        "username": "x" * 150,
        "password": "' OR 1=1 --",
        "old_password": "sai",
        "new_password1": "1",
        "new_password2": "2",
        "language": "xx",
        "next": "https://evil.example/",
    }


def visitor_client(visitor: str, users: dict, settings) -> Client:
    settings.PUBLIC_DASHBOARD = visitor == "anonymous_public"
    client = Client()
    if users.get(visitor) is not None:
        client.force_login(users[visitor])
    return client


@pytest.fixture
def users(officer_a, officer_b, leader_a, reporter_a, admin_user):
    return {
        "officer_a": officer_a,
        "officer_b": officer_b,
        "leader_a": leader_a,
        "reporter_a": reporter_a,
        "admin_user": admin_user,
    }


def assert_outcome(response, expected, url: str) -> None:
    assert response.status_code != 500
    location = response.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith(f"{reverse('login')}?next=")
        assert quote(url, safe="/") in location
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302
        assert location.startswith(reverse("admin:login"))
    elif expected == REDIRECT:
        assert response.status_code == 302
        # Never off the site, and never the login page (that is LOGIN).
        assert location.startswith("/")
        assert not location.startswith("//")
        assert not location.startswith(reverse("login"))
    else:
        assert response.status_code == expected, (
            f"{url}: {response.status_code} instead of {expected}"
        )
        assert not location


CASES = [
    (name, visitor, method)
    for name in OUTCOMES
    for visitor in VISITORS
    for method in METHODS
]


@pytest.mark.parametrize(
    "name,visitor,method", CASES, ids=[f"{n}-{v}-{m}" for n, v, m in CASES]
)
def test_it_answers_every_visitor_as_the_table_says(
    world, users, settings, name, visitor, method
):
    client = visitor_client(visitor, users, settings)
    url = url_of(name, world)
    before = row_counts()
    if method == "get":
        response = client.get(url)
    elif method == "post-empty":
        response = client.post(url)
    else:
        response = client.post(url, junk_body(world))

    expected = OUTCOMES[name][visitor][METHODS.index(method)]
    assert_outcome(response, expected, url)
    plan = Plan.objects.get(pk=world.pk)
    if method != "get" and (name, visitor) in WRITES and name == "plans:submission_submit":
        assert plan.status == Plan.Status.OPEN
        assert row_counts() == {
            **before, "Change": before["Change"] + 1, "Submission": before["Submission"] + 1
        }
        assert Submission.objects.get().state == Submission.State.SUBMITTED
    elif method != "get" and (name, visitor) in WRITES and name == "plans:entry_evidence_delete":
        assert plan.status == Plan.Status.OPEN
        assert row_counts() == {
            **before, "Change": before["Change"] + 1, "Evidence": before["Evidence"] - 1
        }
    elif method != "get" and (name, visitor) in WRITES:
        assert plan.status == Plan.Status.CLOSED
        assert row_counts() == {**before, "Change": before["Change"] + 1}
        assert Change.objects.filter(
            plan=plan, result=None, target=None, new__status=Plan.Status.CLOSED
        ).exists()
    else:
        assert row_counts() == before
        assert plan.status == Plan.Status.OPEN


def test_it_has_a_row_for_every_url_of_the_site():
    """A URL added to the URLconf without a row in the matrix fails here."""
    routes = site_patterns()
    missing = sorted(set(routes) - set(OUTCOMES))
    assert not missing, f"URLs without a row in tests/security/matrix.py: {missing}"
    stale = sorted(set(OUTCOMES) - set(routes) - {"admin:index", "admin:login"})
    assert not stale, f"rows of tests/security/matrix.py without a URL: {stale}"
    assert set(URL_KWARGS) == set(OUTCOMES)
    for name, outcomes in OUTCOMES.items():
        assert set(outcomes) == set(VISITORS), name
        assert all(len(outcome) == len(METHODS) for outcome in outcomes.values()), name


def test_it_serves_the_admin_from_djangos_admin_site_only():
    """Everything under /admin/ is Django's admin (staff-only), nothing of the project's own."""
    assert isinstance(admin.site, AdminSite)
    routes = admin_patterns()
    assert routes
    for route, name in routes:
        assert name is None or name.startswith("admin:"), route
    # admin.site.urls is the only thing mounted at admin/.
    assert {name for _route, name in routes if name} >= {"admin:index", "admin:login"}


def _admin_url(name: str, route: str) -> str | None:
    """Return a concrete URL for an admin route, filling its parameters with plausible values."""
    for kwargs in ({}, {"object_id": "1"}, {"id": "1"}, {"app_label": "plans"},
                   {"content_type_id": "1", "object_id": "1"}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


@pytest.mark.parametrize("visitor", ["anonymous", "officer_a", "leader_a", "reporter_a"])
def test_it_keeps_non_staff_out_of_every_admin_page(world, users, settings, visitor):
    client = visitor_client(visitor, users, settings)
    checked = 0
    for route, name in admin_patterns():
        if name in (None, "admin:login", "admin:logout"):
            continue
        url = _admin_url(name, route)
        assert url is not None, f"no arguments known for admin URL {name} ({route})"
        before = row_counts()
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, f"{method} {url}"
            assert response["Location"].startswith(reverse("admin:login")), url
        assert row_counts() == before
        checked += 1
    assert checked > 20  # the catalogue, provinces, agencies, plans, results, users...


@pytest.mark.parametrize("name", sorted(set(OUTCOMES) - API_NAMES))
def test_it_refuses_a_post_without_the_csrf_token(world, officer_a, name):
    """A forged cross-site POST is refused before any view runs, whoever is logged in."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    before = row_counts()
    response = client.post(url_of(name, world), junk_body(world))
    assert response.status_code == 403
    assert "Không gửi được biểu mẫu" in response.content.decode()
    assert row_counts() == before
    assert Plan.objects.get(pk=world.pk).status == Plan.Status.OPEN


@pytest.mark.parametrize("name", sorted(API_NAMES))
def test_a_forged_post_to_the_api_writes_nothing_and_gets_no_html(world, officer_a, name):
    """The API ignores the session: a cross-site POST riding on one is refused as tokenless."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    before = row_counts()
    response = client.post(url_of(name, world), junk_body(world))
    assert response.status_code in (401, 403, 404, 405)
    assert response["Content-Type"].startswith("application/json")
    assert row_counts() == before
