"""Closing a plan asks first: /entry/<province>/<year>/close/ (GET confirms, POST closes)."""

import pytest
from django.urls import reverse

from plans.models import Plan, Result, Target

CLOSE_URL = reverse("plans:entry_close", args=["91", 2017])


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.fixture
def scoped(plan_a, agencies_a, indicator):
    """Two targets for departments (LAN, FIBRE), one for districts (LAN)."""
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department+district",
                          comparator=">=", value=50)
    Target.objects.create(plan=plan_a, indicator=indicator("FIBRE"), tiers="department",
                          comparator=">=", value=50)
    return plan_a


def report(agency, indicator, year=2017):
    Result.objects.create(year=year, agency=agency, indicator=indicator, value=1)


def test_it_lists_by_name_the_agencies_that_have_not_reported_everything(
    officer_client, scoped, agencies_a, indicator
):
    report(agencies_a["91-SNV"], indicator("LAN"))
    report(agencies_a["91-SNV"], indicator("FIBRE"))
    report(agencies_a["91-STTTT"], indicator("LAN"))
    report(agencies_a["91-H899"], indicator("LAN"))
    # Neither an indicator outside the district's scope nor another year counts.
    report(agencies_a["91-H900"], indicator("FIBRE"))
    report(agencies_a["91-H900"], indicator("LAN"), year=2016)

    response = officer_client.get(CLOSE_URL)

    assert response.status_code == 200
    rows = [(row["agency"].code, row["reported"], row["asked"])
            for row in response.context["incomplete"]]
    # Sở Nội vụ reported both; the commune tier and the provincial committee are out of scope.
    assert rows == [("91-STTTT", 1, 2), ("91-H900", 0, 1)]
    html = response.content.decode()
    assert "2/4 đơn vị trong phạm vi kế hoạch chưa báo cáo đủ" in html
    assert "Trong đó 1 đơn vị chưa báo cáo chỉ tiêu nào." in html
    assert "Sở Thông tin và Truyền thông" in html
    assert "1/2 chỉ tiêu" in html
    assert "UBND thị xã Hà Tiên" in html
    assert "0/1 chỉ tiêu" in html
    assert 'method="post"' in html
    # Asking writes nothing.
    assert Plan.objects.get(pk=scoped.pk).status == Plan.Status.OPEN


def test_it_says_when_everyone_has_reported(officer_client, scoped, agencies_a, indicator):
    for code in ("91-SNV", "91-STTTT"):
        report(agencies_a[code], indicator("LAN"))
        report(agencies_a[code], indicator("FIBRE"))
    for code in ("91-H899", "91-H900"):
        report(agencies_a[code], indicator("LAN"))
    html = officer_client.get(CLOSE_URL).content.decode()
    assert "Cả 4 đơn vị trong phạm vi kế hoạch đã báo cáo đủ các chỉ tiêu." in html


def test_it_says_when_the_plan_has_no_target(officer_client, plan_a, agencies_a):
    response = officer_client.get(CLOSE_URL)
    assert response.context["incomplete"] == []
    assert "Kế hoạch chưa có chỉ tiêu nào" in response.content.decode()


def test_it_answers_in_constant_queries(officer_client, scoped, agencies_a, indicator,
                                        django_assert_num_queries):
    # session, user, profile, province, plan, targets, agencies in scope, their results' keys
    with django_assert_num_queries(8):
        officer_client.get(CLOSE_URL)
    for agency in agencies_a.values():
        report(agency, indicator("LAN"))
    with django_assert_num_queries(8):
        officer_client.get(CLOSE_URL)


def test_only_its_post_closes(officer_client, scoped):
    response = officer_client.post(CLOSE_URL)
    assert response.status_code == 302
    assert Plan.objects.get(pk=scoped.pk).status == Plan.Status.CLOSED


def test_the_year_page_links_to_the_confirmation(officer_client, plan_a):
    html = officer_client.get(reverse("plans:entry_year", args=["91", 2017])).content.decode()
    assert f'href="{CLOSE_URL}"' in html
    assert f'action="{CLOSE_URL}"' not in html


def test_it_offers_no_button_on_a_closed_plan(officer_client, plan_a):
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.CLOSED)
    html = officer_client.get(CLOSE_URL).content.decode()
    assert "đã tổng kết" in html
    assert 'method="post" class="close-plan"' not in html


def test_it_refuses_a_leader_and_a_stranger(client, leader_a, officer_b, plan_a, plan_b):
    client.force_login(leader_a)
    assert client.get(CLOSE_URL).status_code == 403
    client.force_login(officer_b)
    assert client.get(CLOSE_URL).status_code == 404
