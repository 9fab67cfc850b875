"""The API with the figures cache on: a POST of results moves the year's figures version on, the
API's progress and the dashboard show the new figures at once (never the cached ones of before),
``verify_figures`` finds nothing to say, and a warm progress read costs what a cached page
costs."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import FiguresVersion
from plans.selectors.verify import figures_differences
from tests.api.conftest import token_for
from tests.factories import login, make_target

RESULTS = "/api/v1/provinces/91/plans/2017/results"
PROGRESS = "/api/v1/provinces/91/plans/2017/progress"


@pytest.fixture
def setup(plan_a, agencies_a, indicator):
    """Plan A with a LAN target over departments and districts (four agencies) and a ratio
    target over communes."""
    make_target(plan_a, indicator("LAN"), "department+district", "80")
    make_target(plan_a, indicator("OFFICIAL_EMAIL"), "commune", "90")
    return plan_a


@pytest.fixture
def officer(officer_a, api_client):
    return api_client(token_for(officer_a, label="cổng dịch vụ công"))


def version(province):
    row = FiguresVersion.objects.filter(province=province, year=2017).first()
    return row.version if row else 0


def api_lan(officer):
    """LAN's (agencies reporting, numerator, status) as the API's progress says them."""
    response = officer.get(PROGRESS)
    assert response.status_code == 200
    [lan] = [t for t in response.json()["targets"] if t["indicator_code"] == "LAN"]
    return lan["agencies_reporting"], lan["numerator"], lan["status"]


def dashboard_lan(client):
    """LAN's (agencies reporting, numerator, status) as the dashboard shows them."""
    response = client.get(reverse("plans:dashboard_plan", args=["91", 2017]))
    [row] = [row for group in response.context["groups"] for row in group["rows"]
             if row.target.indicator.code == "LAN"]
    progress = row.progress
    text = response.content.decode()
    assert f"{progress.agencies_reporting}/4 đơn vị đã báo cáo" in text
    return progress.agencies_reporting, progress.numerator, str(progress.status)


def verify_clean():
    out = io.StringIO()
    call_command("verify_figures", stdout=out)  # raises CommandError on any difference
    assert "mọi số liệu khớp" in out.getvalue()
    assert list(figures_differences("91", 2017)) == []


def test_api_writes_are_seen_at_once_and_verify_figures_stays_clean(
    client, figures_cache, setup, province_a, leader_a, officer
):
    login(client, leader_a)
    # Both reads now hold the year's figures of before the writes in the cache.
    assert api_lan(officer) == dashboard_lan(client) == (0, None, "no_data")
    assert api_lan(officer) == dashboard_lan(client) == (0, None, "no_data")
    verify_clean()
    seen = [version(province_a)]

    created = officer.post(RESULTS, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": 1},
    ]})
    assert created.json()["created"] == 2
    seen.append(version(province_a))
    assert api_lan(officer) == dashboard_lan(client) == (2, 2, "not_met")
    verify_clean()

    updated = officer.post(RESULTS, {"results": [
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": 0},
    ]})
    assert updated.json()["updated"] == 1
    seen.append(version(province_a))
    assert api_lan(officer) == dashboard_lan(client) == (2, 1, "not_met")
    verify_clean()

    dry = officer.post(RESULTS, {"dry_run": True, "results": [
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-UBND", "indicator_code": "LAN", "value": 1},
    ]})
    assert dry.json() == {"created": 1, "updated": 1, "unchanged": 0, "skipped_blank": 0,
                          "dry_run": True}
    # A dry run writes nothing: the version stays, and so do the figures.
    assert version(province_a) == seen[-1]
    assert api_lan(officer) == dashboard_lan(client) == (2, 1, "not_met")
    verify_clean()
    assert seen[0] < seen[1] < seen[2], seen


def test_the_progress_etag_follows_an_api_write_and_not_a_dry_run(
    figures_cache, setup, officer
):
    etag = officer.get(PROGRESS)["ETag"]
    assert officer.get(PROGRESS, headers={"If-None-Match": etag}).status_code == 304
    officer.post(RESULTS, {"dry_run": True, "results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}]})
    assert officer.get(PROGRESS, headers={"If-None-Match": etag}).status_code == 304
    officer.post(RESULTS, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}]})
    changed = officer.get(PROGRESS, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert officer.get(PROGRESS, headers={"If-None-Match": changed["ETag"]}).status_code == 304


def test_a_warm_progress_read_takes_its_figures_from_the_cache(
    figures_cache, setup, officer, django_assert_num_queries
):
    officer.post(RESULTS, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}]})
    cold = officer.get(PROGRESS).json()
    # token and owner, profile's provinces, the plan, the year's figures version: the targets,
    # their sums and when the figures changed come from the cache.
    with django_assert_num_queries(4):
        warm = officer.get(PROGRESS).json()
    assert warm == cold
    figures_cache.clear()
    assert officer.get(PROGRESS).json() == cold
