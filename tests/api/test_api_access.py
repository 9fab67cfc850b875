"""Who reads and writes what through the API: every endpoint × role × own or other province,
and tokens that are missing, wrong, expired or revoked."""

import datetime

import pytest
from django.utils import timezone

from plans.models import ApiToken
from tests.api.conftest import token_for
from tests.factories import make_result, make_target

ENDPOINTS = {
    "plans": ("GET", "/api/v1/provinces/{code}/plans/"),
    "progress": ("GET", "/api/v1/provinces/{code}/plans/2017/progress"),
    "status": ("GET", "/api/v1/provinces/{code}/plans/2017/status"),
    "results": ("GET", "/api/v1/provinces/{code}/plans/2017/results"),
    "send": ("POST", "/api/v1/provinces/{code}/plans/2017/results"),
}
AGENCY = {"91": "91-SNV", "33": "33-SNV"}

# What each role gets from its own province (A, 91) and another (B, 33).
EXPECTED = {
    "officer_a": {"91": {}, "33": "404"},
    "leader_a": {"91": {"status": 403, "send": 403}, "33": "404"},
    "reporter_a": {"91": {"status": 403}, "33": "404"},
    "admin_user": {"91": {}, "33": {}},
}


@pytest.fixture
def world(plan_a, plan_b, agencies_a, agencies_b, indicator):
    make_target(plan_a, indicator("LAN"), "department", 80)
    make_target(plan_b, indicator("LAN"), "department", 80)
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)
    make_result(agencies_b["33-SNV"], indicator("LAN"), value=0)


def _call(client, name, code):
    method, path = ENDPOINTS[name]
    path = path.format(code=code)
    if method == "GET":
        return client.get(path)
    body = {"results": [{"agency_code": AGENCY[code], "indicator_code": "LAN", "value": 1}],
            "dry_run": True}
    return client.post(path, body)


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("code", ["91", "33"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_it_answers_each_role_for_own_and_other_province(
    request, world, api_client, role, code, endpoint
):
    user = request.getfixturevalue(role)
    client = api_client(token_for(user))
    expected = EXPECTED[role][code]
    status = 404 if expected == "404" else expected.get(endpoint, 200)
    response = _call(client, endpoint, code)
    assert response.status_code == status, response.content


@pytest.mark.parametrize("role", list(EXPECTED))
def test_it_lists_only_the_provinces_a_token_may_read(request, world, api_client, role):
    client = api_client(token_for(request.getfixturevalue(role)))
    codes = [item["code"] for item in client.get("/api/v1/provinces/").json()]
    assert codes == (["33", "91"] if role == "admin_user" else ["91"])


def test_it_lists_the_catalogue_with_definitions(world, officer_a, api_client):
    indicators = api_client(token_for(officer_a)).get("/api/v1/indicators/").json()
    lan = next(item for item in indicators if item["code"] == "LAN")
    assert lan["kind"] == "yes_no"
    assert lan["concept_vi"] and lan["concept_en"]


def test_a_province_that_does_not_exist_answers_as_another_province(
    world, officer_a, api_client
):
    client = api_client(token_for(officer_a))
    unknown = client.get("/api/v1/provinces/99/plans/2017/progress")
    other = client.get("/api/v1/provinces/33/plans/2017/progress")
    assert unknown.status_code == other.status_code == 404
    assert unknown.json() == other.json()


def _expire(token: str) -> None:
    ApiToken.objects.filter(prefix=token[:8]).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def _revoke(token: str) -> None:
    ApiToken.objects.filter(prefix=token[:8]).update(revoked_at=timezone.now())


@pytest.mark.parametrize("endpoint", [*ENDPOINTS, "provinces", "indicators"])
@pytest.mark.parametrize("state", ["missing", "wrong", "expired", "revoked"])
def test_it_refuses_a_token_that_is_missing_wrong_expired_or_revoked(
    world, officer_a, api_client, endpoint, state
):
    token = token_for(officer_a)
    if state == "expired":
        _expire(token)
    elif state == "revoked":
        _revoke(token)
    elif state == "wrong":
        token = token[:8] + "x" * (len(token) - 8)
    client = api_client(None if state == "missing" else token)
    if endpoint == "provinces":
        response = client.get("/api/v1/provinces/")
    elif endpoint == "indicators":
        response = client.get("/api/v1/indicators/")
    else:
        response = _call(client, endpoint, "91")
    assert response.status_code == 401
    body = response.json()
    english = {
        "missing": "Missing access token",
        "wrong": "Invalid access token",
        "expired": "has expired",
        "revoked": "has been revoked",
    }[state]
    assert english in body["detail_en"]
    assert body["detail"] != body["detail_en"]


def test_a_token_of_an_inactive_account_is_refused(world, officer_a, api_client):
    client = api_client(token_for(officer_a))
    officer_a.is_active = False
    officer_a.save(update_fields=["is_active"])
    assert client.get("/api/v1/provinces/").status_code == 401


def test_a_session_cookie_does_not_reach_the_api(world, officer_a, client):
    client.force_login(officer_a)
    response = client.get("/api/v1/provinces/")
    assert response.status_code == 401


def test_a_post_needs_no_csrf_token_and_sets_no_cookie(world, officer_a, api_client):
    from django.test import Client

    api = api_client(token_for(officer_a))
    api.client = Client(enforce_csrf_checks=True)
    response = api.post(
        "/api/v1/provinces/91/plans/2017/results",
        {"results": [{"agency_code": "91-SNV", "indicator_code": "LAN", "value": 0}]},
    )
    assert response.status_code == 200
    assert not response.cookies


def test_it_stamps_the_last_use_of_a_token_once_a_minute(world, officer_a, api_client):
    client = api_client(token_for(officer_a))
    assert ApiToken.objects.get().last_used_at is None
    client.get("/api/v1/provinces/")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/provinces/")
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(seconds=61))
    client.get("/api/v1/provinces/")
    assert ApiToken.objects.get().last_used_at > first


def test_the_progress_read_is_a_constant_number_of_queries(
    world, officer_a, api_client, agencies_a, indicator, django_assert_num_queries
):
    from plans.models import Agency

    client = api_client(token_for(officer_a))
    # The first request also stamps the token's last use.
    client.get("/api/v1/provinces/91/plans/2017/progress")
    # token and owner, profile's provinces, the plan, targets, agency counts, result sums,
    # when the figures last changed
    with django_assert_num_queries(7):
        client.get("/api/v1/provinces/91/plans/2017/progress")
    for n in range(20):
        agency = Agency.objects.create(province=agencies_a["91-SNV"].province,
                                       code=f"91-D{n}", name=f"Sở {n}", tier="department")
        make_result(agency, indicator("LAN"), value=1)
    with django_assert_num_queries(7):
        client.get("/api/v1/provinces/91/plans/2017/progress")
