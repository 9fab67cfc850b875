"""The year page, closing and reopening: /entry/<province>/<year>/."""

import pytest
from django.urls import reverse

from plans.models import Agency, Change, Plan, Result, Target


def year_url(code="91", year=2017):
    return reverse("plans:entry_year", args=[code, year])


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


def test_it_counts_reports_per_tier_and_indicator(officer_client, plan_a, agencies_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department",
                          comparator=">=", value=50)
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1)
    Result.objects.create(year=2017, agency=agencies_a["91-STTTT"], indicator=indicator("LAN"),
                          value=0)
    # Another year does not count.
    Result.objects.create(year=2018, agency=agencies_a["91-H899"], indicator=indicator("LAN"),
                          value=1)
    response = officer_client.get(year_url())
    rows = {row["indicator"].code: row for row in response.context["rows"]}
    counts = {c["tier"]["code"]: c["reported"] for c in rows["LAN"]["counts"]}
    assert counts == {"province": 0, "department": 2, "district": 0, "commune": 0}
    tiers = {tier["code"]: tier["agencies"] for tier in response.context["tiers"]}
    # 2017: Vĩnh Quang (from 2018) is not yet active.
    assert tiers == {"province": 1, "department": 2, "district": 2, "commune": 1}
    assert "2/2" in response.content.decode()


def test_it_lists_the_agencies_that_have_not_reported(officer_client, plan_a, agencies_a,
                                                       indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="all",
                          comparator=">=", value=50)
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1)
    response = officer_client.get(year_url())
    names = [agency.name for agency in response.context["not_reported"]]
    assert "Sở Nội vụ" not in names
    assert "Sở Thông tin và Truyền thông" in names
    assert "UBND phường Vĩnh Quang" not in names  # not active in 2017


def test_it_marks_the_cells_no_target_covers_as_out_of_scope(officer_client, plan_a,
                                                              agencies_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department+commune",
                          comparator=">=", value=50)
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="district",
                          comparator=">=", value=50)
    # A report out of scope is still counted, but nothing is missing there.
    Result.objects.create(year=2017, agency=agencies_a["91-UBND"], indicator=indicator("LAN"),
                          value=1)

    response = officer_client.get(year_url())

    rows = {row["indicator"].code: row for row in response.context["rows"]}
    scope = {c["tier"]["code"]: c["in_scope"] for c in rows["LAN"]["counts"]}
    assert scope == {"province": False, "department": True, "district": True, "commune": True}
    # An indicator without a target is out of scope in every tier.
    assert not any(c["in_scope"] for c in rows["OFFICIAL_EMAIL"]["counts"])
    html = response.content.decode()
    lan_row = html[html.index('<span class="code">LAN</span>'):]
    lan_row = lan_row[:lan_row.index("</tr>")]
    assert '<td class="num out-of-scope">ngoài phạm vi (1)</td>' in lan_row
    assert "0/2" in lan_row  # departments: in scope, none reported
    assert lan_row.count("out-of-scope") == 1


def test_it_counts_as_not_reported_only_agencies_some_target_covers(officer_client, plan_a,
                                                                     agencies_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department",
                          comparator=">=", value=50)
    Target.objects.create(plan=plan_a, indicator=indicator("FIBRE"), tiers="commune",
                          comparator=">=", value=50)
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1)

    response = officer_client.get(year_url())

    names = [agency.name for agency in response.context["not_reported"]]
    # Departments and the one commune active in 2017 are in scope; the province and the
    # districts are not.
    assert names == ["Sở Thông tin và Truyền thông", "UBND phường Vĩnh Thanh"]
    assert response.context["agency_count"] == 3
    assert "chưa báo cáo kết quả nào (2/3)" in response.content.decode()


def test_without_targets_no_agency_is_missing_a_report(officer_client, plan_a, agencies_a):
    response = officer_client.get(year_url())

    assert response.context["not_reported"] == []
    assert "Kế hoạch chưa có chỉ tiêu nào, nên chưa đơn vị nào thuộc phạm vi phải báo cáo." in (
        response.content.decode()
    )


def test_it_shows_the_plans_progress(officer_client, plan_a, agencies_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("ONE_STOP_SHOP"), tiers="department",
                          comparator=">=", value=50)
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"],
                          indicator=indicator("ONE_STOP_SHOP"), value=1)
    html = officer_client.get(year_url()).content.decode()
    assert "50,0 %" in html
    assert "Đạt" in html
    assert "1/2" in html
    assert "tạm tính" in html


def test_it_lists_the_targets_in_the_dashboards_order(officer_client, plan_a, agencies_a,
                                                       indicator):
    # Created in code order; shown by group as on the dashboard: infrastructure (LAN), then
    # internal (OFFICIAL_EMAIL), then services (ONE_STOP_SHOP).
    for code in ("ONE_STOP_SHOP", "OFFICIAL_EMAIL", "LAN"):
        Target.objects.create(plan=plan_a, indicator=indicator(code), tiers="department",
                              comparator=">=", value=50)
    response = officer_client.get(year_url())
    codes = [item.target.indicator.code for item in response.context["progress"]]
    assert codes == ["LAN", "OFFICIAL_EMAIL", "ONE_STOP_SHOP"]


def test_it_links_to_each_tiers_grid_the_upload_and_the_templates(officer_client, plan_a,
                                                                   agencies_a):
    html = officer_client.get(year_url()).content.decode()
    for tier in ("province", "department", "district", "commune"):
        assert reverse("plans:entry_grid", args=["91", 2017, tier]) in html
    assert reverse("plans:entry_upload", args=["91", 2017]) in html
    assert reverse("plans:entry_template", args=["91", 2017, "xlsx"]) in html


def test_it_runs_in_constant_queries(officer_client, plan_a, province_a, indicator,
                                     django_assert_num_queries):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="all", value=80)
    Agency.objects.bulk_create(
        Agency(province=province_a, code=f"91-X{i}", name=f"Xã {i}", tier="commune")
        for i in range(60)
    )
    # session, user, profile, province, plan, agencies with report counts, their display names
    # (plans.selectors.naming: one query for the whole list, hence 13 rather than 12), reports by
    # tier
    # and indicator, targets (targeted ids), indicators, progress: targets, agency counts,
    # result tallies.
    with django_assert_num_queries(13):
        officer_client.get(year_url())


def test_it_closes_the_plan_and_says_who_closed_it(officer_client, plan_a, officer_a):
    response = officer_client.post(reverse("plans:entry_close", args=["91", 2017]), follow=True)
    plan_a.refresh_from_db()
    assert plan_a.status == "closed"
    assert plan_a.closed_by == officer_a
    html = response.content.decode()
    assert "Đã tổng kết kế hoạch năm 2017" in html
    assert "đã được bạn tổng kết" in html
    assert "Mở lại kế hoạch" not in html  # officers cannot reopen
    assert Change.objects.filter(plan=plan_a, result=None).count() == 1


def test_it_says_so_when_closing_a_closed_plan(officer_client, plan_a):
    Plan.objects.filter(pk=plan_a.pk).update(status="closed")
    response = officer_client.post(reverse("plans:entry_close", args=["91", 2017]), follow=True)
    assert "đã được tổng kết từ trước" in response.content.decode()


def test_it_refuses_an_officers_reopen(officer_client, plan_a):
    Plan.objects.filter(pk=plan_a.pk).update(status="closed")
    response = officer_client.post(reverse("plans:entry_reopen", args=["91", 2017]))
    assert response.status_code == 403
    assert Plan.objects.get(pk=plan_a.pk).status == "closed"


def test_it_lets_an_admin_reopen_and_records_it(client, admin_user, plan_a):
    client.force_login(admin_user)
    client.post(reverse("plans:entry_close", args=["91", 2017]))
    html = client.get(year_url()).content.decode()
    assert "Mở lại kế hoạch (quản trị viên)" in html
    response = client.post(reverse("plans:entry_reopen", args=["91", 2017]), follow=True)
    assert "Đã mở lại kế hoạch năm 2017" in response.content.decode()
    plan_a.refresh_from_db()
    assert plan_a.status == "open"
    assert plan_a.closed_by is None
    assert Change.objects.filter(plan=plan_a, result=None).count() == 2


def test_it_answers_404_for_a_year_without_a_plan(officer_client, plan_a):
    assert officer_client.get(year_url(year=2030)).status_code == 404
