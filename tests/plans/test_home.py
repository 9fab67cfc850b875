import datetime

import pytest
from django.urls import reverse

from plans.models import Plan, Province, Target

HOME = "/"


def test_it_welcomes_an_anonymous_visitor_with_a_login_link(client, plan_a, settings):
    settings.PUBLIC_DASHBOARD = False

    response = client.get(HOME)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Theo dõi chỉ tiêu ứng dụng công nghệ thông tin" in body
    assert f'href="{reverse("login")}?next=/"' in body
    assert "Kiên Giang" not in body


def test_it_lists_every_province_to_anonymous_visitors_when_dashboards_are_public(
    client, plan_a, plan_b, settings
):
    settings.PUBLIC_DASHBOARD = True

    body = client.get(HOME).content.decode()

    assert "Tỉnh Kiên Giang (mã 91)" in body
    assert "Tỉnh Hưng Yên (mã 33)" in body
    assert "/admin/" not in body.split("<main", 1)[1]
    assert reverse("plans:dashboard_plan", args=["33", 2017]) in body
    assert "/entry/" not in body


def test_it_shows_an_officer_only_the_plans_of_their_province(
    client, officer_a, plan_a, plan_b, province_a
):
    Plan.objects.create(province=province_a, year=2018, title="Kế hoạch năm 2018",
                        is_sample=True, document_date=datetime.date(2017, 12, 22))
    client.force_login(officer_a)

    response = client.get(HOME)

    body = response.content.decode()
    assert "Tỉnh Kiên Giang (mã 91)" in body
    assert "Hưng Yên" not in body
    # Newest year first.
    assert body.index("Kế hoạch năm 2018") < body.index("Kế hoạch ứng dụng CNTT năm 2017")
    assert "123/KH-UBND" in body
    assert "ngày 22/12/2017" in body
    assert "dữ liệu mẫu" in body
    assert "Đang thực hiện" in body
    assert "Dự thảo" in body
    # Officers are not staff: no admin link.
    assert "Sửa trong trang quản trị" not in body
    assert reverse("plans:entry_year", args=["91", 2017]) in body
    # The 2018 plan is a draft: offered for entry (read-only), not on the dashboard.
    assert reverse("plans:entry_year", args=["91", 2018]) in body
    assert "Dự thảo (chỉ xem)" in body
    assert reverse("plans:dashboard_plan", args=["91", 2018]) not in body
    assert reverse("plans:dashboard_plan", args=["91", 2017]) in body


def test_it_offers_a_leader_the_dashboard_but_not_entry(client, leader_a, plan_a):
    client.force_login(leader_a)

    body = client.get(HOME).content.decode()

    assert reverse("plans:dashboard_plan", args=["91", 2017]) in body
    assert reverse("plans:entry_year", args=["91", 2017]) not in body


def test_it_calls_the_entry_of_a_closed_plan_read_only(client, officer_a, plan_a):
    plan_a.status = Plan.Status.CLOSED
    plan_a.save()
    client.force_login(officer_a)

    body = client.get(HOME).content.decode()

    assert "Kết quả (chỉ xem)" in body
    assert "Đã tổng kết" in body


def test_it_shows_an_admin_both_provinces_with_admin_links(
    client, admin_user, plan_a, plan_b, indicator
):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="commune", value=100)
    Target.objects.create(plan=plan_a, indicator=indicator("FIBRE"), tiers="commune", value=100)
    client.force_login(admin_user)

    response = client.get(HOME)

    body = response.content.decode()
    assert "Tỉnh Kiên Giang (mã 91)" in body
    assert "Tỉnh Hưng Yên (mã 33)" in body
    assert reverse("admin:plans_plan_change", args=[plan_a.pk]) in body
    assert reverse("admin:plans_plan_change", args=[plan_b.pk]) in body
    counts = {s["province"].code: [p.target_count for p in s["plans"]]
              for s in response.context["sections"]}
    assert counts == {"91": [2], "33": [0]}


def test_it_says_so_when_a_province_has_no_plan(client, leader_a):
    client.force_login(leader_a)

    body = client.get(HOME).content.decode()

    assert "Tỉnh này chưa có kế hoạch năm nào." in body


def test_it_tells_a_user_without_a_province_whom_to_ask(client, django_user_model, db):
    user = django_user_model.objects.create_user(username="moi", password="x")
    client.force_login(user)

    response = client.get(HOME)

    assert response.status_code == 200
    assert "chưa được giao tỉnh nào" in response.content.decode()


@pytest.mark.parametrize("extra_provinces", [0, 5])
def test_it_runs_the_same_queries_whatever_the_number_of_plans(
    client, admin_user, plan_a, plan_b, extra_provinces, django_assert_num_queries
):
    for number in range(extra_provinces):
        province = Province.objects.create(code=str(10 + number), name=f"Tỉnh thử {number}")
        for year in (2017, 2018, 2019):
            Plan.objects.create(province=province, year=year)
    client.force_login(admin_user)

    # session, user, provinces, plans with their target counts
    with django_assert_num_queries(4):
        response = client.get(HOME)
    assert len(response.context["sections"]) == 2 + extra_provinces


def test_an_officer_page_runs_five_queries(client, officer_a, plan_a, django_assert_num_queries):
    client.force_login(officer_a)

    # session, user, the user's profile (role), the user's provinces, their plans
    with django_assert_num_queries(5):
        client.get(HOME)


def test_an_anonymous_welcome_runs_no_query(client, plan_a, settings, django_assert_num_queries):
    settings.PUBLIC_DASHBOARD = False

    with django_assert_num_queries(0):
        response = client.get(HOME)
    assert response.status_code == 200
