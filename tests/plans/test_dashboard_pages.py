"""The dashboard pages: what they show, who may see them, and how many queries they take."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from plans.models import Agency, Plan, Profile, Province, Result, Submission, Target
from plans.outputs import exports
from tests.conftest import PASSWORD, make_user
from tests.factories import login, make_result, make_target


@pytest.fixture
def targets_a(plan_a, agencies_a, indicator):
    """Plan A 2017 with five targets and results that give each status and mark.

    In 2017 province A has 1 province-tier agency, 2 departments, 2 districts and 1 commune
    (the second commune starts in 2018).

    - SPECIALIZED_NETWORK department+district > 80 %: 3 of 4 say yes, 75,0 %, not met
    - ONE_STOP_SHOP department >= 50 %: 1 of 2, exactly 50,0 %, met
    - OFFICIAL_EMAIL all >= 100 %: 70/70 from 2 of 6 agencies, met, provisional
    - PUBLIC_SERVICES_L4 all >= 3 services: 2 + 1, met, provisional
    - ONLINE_MEETINGS province >= 60 %: nobody reported, no data
    - LAN: reported by 2 agencies, no target
    """
    a = agencies_a
    targets = {
        "K1": Target.objects.create(
            plan=plan_a, indicator=indicator("SPECIALIZED_NETWORK"), tiers="department+district",
            comparator=">", value=Decimal("80"), unit="percent", position=1,
        ),
        "K3": Target.objects.create(
            plan=plan_a, indicator=indicator("ONE_STOP_SHOP"), tiers="department",
            comparator=">=", value=Decimal("50"), unit="percent", position=3,
        ),
        "K7": Target.objects.create(
            plan=plan_a, indicator=indicator("OFFICIAL_EMAIL"),
            tiers="province+department+district+commune", comparator=">=",
            value=Decimal("100"), unit="percent", position=7,
        ),
        "K6": Target.objects.create(
            plan=plan_a, indicator=indicator("PUBLIC_SERVICES_L4"),
            tiers="province+department+district+commune", comparator=">=",
            value=Decimal("3"), unit="count", position=6,
        ),
        "K8": Target.objects.create(
            plan=plan_a, indicator=indicator("ONLINE_MEETINGS"), tiers="province",
            comparator=">=", value=Decimal("60"), unit="percent", position=8,
        ),
    }
    for code, value in (("91-SNV", 1), ("91-STTTT", 1), ("91-H899", 1), ("91-H900", 0)):
        make_result(a[code], indicator("SPECIALIZED_NETWORK"), value=value)
    make_result(a["91-SNV"], indicator("ONE_STOP_SHOP"), value=1)
    make_result(a["91-STTTT"], indicator("ONE_STOP_SHOP"), value=0)
    make_result(a["91-UBND"], indicator("OFFICIAL_EMAIL"), numerator=40, denominator=40)
    make_result(a["91-SNV"], indicator("OFFICIAL_EMAIL"), numerator=30, denominator=30)
    make_result(a["91-UBND"], indicator("PUBLIC_SERVICES_L4"), numerator=2, denominator=100)
    make_result(a["91-SNV"], indicator("PUBLIC_SERVICES_L4"), numerator=1, denominator=50)
    make_result(a["91-SNV"], indicator("LAN"), value=1)
    make_result(a["91-H899"], indicator("LAN"), value=0)
    return targets


def plan_url(code="91", year=2017):
    return reverse("plans:dashboard_plan", args=[code, year])


# Who may see what ------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_login(client, targets_a):
    for url in (
        reverse("plans:dashboard_index"),
        plan_url(),
        reverse("plans:dashboard_compare", args=[2017]),
        reverse("plans:dashboard_csv", args=["91", 2017]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@override_settings(PUBLIC_DASHBOARD=True)
def test_it_lets_anonymous_visitors_read_when_public(client, targets_a):
    response = client.get(plan_url())
    assert response.status_code == 200
    assert "Chưa đạt" in response.content.decode()
    for url in (
        reverse("plans:dashboard_index"),
        reverse("plans:dashboard_target", args=["91", 2017, targets_a["K1"].pk]),
        reverse("plans:dashboard_trend", args=["91", "SPECIALIZED_NETWORK"]),
        reverse("plans:dashboard_compare", args=[2017]),
        reverse("plans:dashboard_report", args=["91", 2017]),
        reverse("plans:dashboard_csv", args=["91", 2017]),
        reverse("plans:dashboard_xlsx", args=["91", 2017]),
    ):
        assert client.get(url).status_code == 200, url


@override_settings(PUBLIC_DASHBOARD=True)
def test_it_refuses_writes_to_dashboard_pages_even_when_public(client, targets_a):
    assert client.post(plan_url()).status_code == 405


def test_it_shows_an_outsider_404_for_another_province(client, officer_b, targets_a):
    login(client, officer_b)
    target = targets_a["K1"]
    for url in (
        plan_url(),
        reverse("plans:dashboard_target", args=["91", 2017, target.pk]),
        reverse("plans:dashboard_trend", args=["91", "SPECIALIZED_NETWORK"]),
        reverse("plans:dashboard_report", args=["91", 2017]),
        reverse("plans:dashboard_csv", args=["91", 2017]),
        reverse("plans:dashboard_xlsx", args=["91", 2017]),
    ):
        assert client.get(url).status_code == 404, url


def test_it_lets_the_read_only_leader_read(client, leader_a, targets_a):
    login(client, leader_a)
    assert client.get(plan_url()).status_code == 200


def test_it_answers_404_for_a_target_of_another_plan(client, leader_a, targets_a, plan_b,
                                                      indicator):
    other = Target.objects.create(
        plan=plan_b, indicator=indicator("LAN"), tiers="department", value=Decimal("100")
    )
    login(client, leader_a)
    url = reverse("plans:dashboard_target", args=["91", 2017, other.pk])
    assert client.get(url).status_code == 404


def test_it_answers_404_for_a_year_without_plan_or_results(client, leader_a, targets_a):
    login(client, leader_a)
    assert client.get(plan_url(year=2019)).status_code == 404
    assert client.get(plan_url(year=1999)).status_code == 404


def test_it_answers_404_for_a_user_without_profile(client, targets_a, django_user_model):
    django_user_model.objects.create_user(username="nobody", password=PASSWORD)
    assert client.login(username="nobody", password=PASSWORD)
    assert client.get(plan_url()).status_code == 404


# The province-year dashboard -------------------------------------------------------------------


def test_it_shows_the_headline_and_every_target_in_words(client, leader_a, targets_a):
    login(client, leader_a)
    html = client.get(plan_url()).content.decode()
    assert "<strong>3/5</strong> chỉ tiêu đã đạt" in html
    assert "sở, ban, ngành tỉnh và UBND cấp huyện" in html
    assert "trên 80 %" in html
    assert "75,0 %" in html
    assert "từ 3 dịch vụ trở lên" in html
    assert "3 dịch vụ" in html
    assert "50,0 %" in html
    assert "100,0 %" in html
    assert "4/4 đơn vị đã báo cáo" in html
    assert "2/6 đơn vị đã báo cáo" in html
    assert "tạm tính" in html
    assert "Chưa có số liệu" in html
    assert "123/KH-UBND" in html
    assert "Đang thực hiện" in html


def test_it_marks_each_status_with_its_word_and_class(client, leader_a, targets_a):
    login(client, leader_a)
    html = client.get(plan_url()).content.decode()
    assert '<span class="status status-not_met">Chưa đạt</span>' in html
    assert '<span class="status status-met">Đạt</span>' in html
    assert '<span class="status status-no_data">Chưa có số liệu</span>' in html


def test_it_counts_met_targets_by_group(client, leader_a, targets_a):
    login(client, leader_a)
    response = client.get(plan_url())
    groups = {str(g["label"]): (g["met"], g["total"]) for g in response.context["groups"]}
    assert groups == {
        "Hạ tầng kỹ thuật": (0, 1),
        "Ứng dụng CNTT trong nội bộ cơ quan nhà nước": (1, 2),
        "Ứng dụng CNTT phục vụ người dân và doanh nghiệp": (2, 2),
    }


def test_it_shows_indicators_reported_without_a_target_and_no_status(client, leader_a,
                                                                      targets_a):
    login(client, leader_a)
    response = client.get(plan_url())
    untargeted = response.context["untargeted"]
    assert [item.indicator.code for item in untargeted] == ["LAN"]
    html = response.content.decode()
    section = html.split("Chỉ tiêu có số liệu nhưng không có trong kế hoạch", 1)[1]
    assert "status-" not in section
    # One line per tier, then the yes answers of both tiers counted.
    assert "1/2 đơn vị có (50,0 %)" not in section
    lines = [row.split("</tr>")[0] for row in section.split("<tr")[2:]]
    assert "sở, ban, ngành tỉnh" in lines[0]
    assert "1/1 đơn vị có (100,0 %)" in lines[0]
    assert "UBND cấp huyện" in lines[1]
    assert "0/1 đơn vị có (0,0 %)" in lines[1]
    assert "Cộng các cấp" in lines[2]
    assert "1/2 đơn vị có<" in lines[2]


def test_it_shows_a_province_year_with_results_but_no_plan(client, officer_b, agencies_b,
                                                            indicator):
    make_result(agencies_b["33-SNV"], indicator("LAN"), value=1)
    login(client, officer_b)
    response = client.get(plan_url("33", 2017))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tỉnh chưa nhập kế hoạch năm 2017" in html
    assert "1/1 đơn vị có (100,0 %)" in html


def test_it_ignores_results_of_agencies_inactive_in_the_year(client, leader_a, targets_a,
                                                              agencies_a, indicator):
    # The commune that starts in 2018 reports for 2018; the 2017 page must not count it.
    make_result(agencies_a["91-X30736"], indicator("FIBRE"), year=2018, value=1)
    login(client, leader_a)
    response = client.get(plan_url())
    assert [item.indicator.code for item in response.context["untargeted"]] == ["LAN"]


def test_it_marks_sample_data(client, leader_a, targets_a):
    login(client, leader_a)
    assert "Dữ liệu mẫu" not in client.get(plan_url()).content.decode()
    Result.objects.filter(indicator__code="LAN").update(is_sample=True)
    assert "Dữ liệu mẫu" in client.get(plan_url()).content.decode()


def test_it_formats_numbers_in_english_when_english_is_chosen(client, leader_a, targets_a):
    login(client, leader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(plan_url()).content.decode()
    assert "75.0 %" in html
    assert "75,0 %" not in html
    translation.activate("vi")


def test_it_escapes_agency_and_plan_text(client, leader_a, targets_a, agencies_a, plan_a):
    plan_a.title = "<script>alert(1)</script>"
    plan_a.save()
    Agency.objects.filter(pk=agencies_a["91-SNV"].pk).update(name="<b>Sở</b>")
    login(client, leader_a)
    html = client.get(plan_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    target_html = client.get(
        reverse("plans:dashboard_target", args=["91", 2017, targets_a["K1"].pk])
    ).content.decode()
    assert "<b>Sở</b>" not in target_html


def add_agencies(province, count, tier="department"):
    Agency.objects.bulk_create(
        Agency(province=province, code=f"{province.code}-EXTRA-{tier}{i}", name=f"Đơn vị {i}",
               tier=tier)
        for i in range(count)
    )


def test_it_answers_the_dashboard_in_constant_queries(client, leader_a, targets_a, province_a,
                                                     indicator, django_assert_num_queries):
    login(client, leader_a)
    # session, user, profile, province, plan, targets, agency counts, result sums,
    # untargeted sums and the indicators' catalogue, sample results, when the figures last
    # changed (with the agencies yet to report), reports submitted and approved, agencies in
    # scope, programme targets the plan's targets are milestones of (none here), provinces of
    # the user (compare link), the province's programmes
    with django_assert_num_queries(17):
        client.get(plan_url())
    add_agencies(province_a, 30)
    Target.objects.create(
        plan=targets_a["K1"].plan, indicator=indicator("LAN"), tiers="department",
        value=Decimal("100"),
    )
    add_agencies(province_a, 30, tier="commune")
    # More agencies, tiers and indicators without a target: still two queries for all of them.
    for agency in Agency.objects.filter(code__contains="EXTRA"):
        make_result(agency, indicator("LAN"), value=1)
        make_result(agency, indicator("FIBRE"), value=1)
        make_result(agency, indicator("DIGITAL_SIGNATURE"), value=0)
        make_result(agency, indicator("E_DOCUMENTS"), numerator=1, denominator=2)
    with django_assert_num_queries(17):
        response = client.get(plan_url())
    assert response.context["total"] == 6
    assert [(item.indicator.code, [line.tier for line in item.lines])
            for item in response.context["untargeted"]] == [
        ("FIBRE", ["department", "commune"]),
        ("DIGITAL_SIGNATURE", ["department", "commune"]),
        ("E_DOCUMENTS", ["department", "commune"]),
    ]


def test_it_writes_the_plan_date_in_the_active_language(client, leader_a, targets_a, plan_a):
    plan_a.document_date = datetime.date(2016, 12, 21)
    plan_a.save()
    login(client, leader_a)
    assert "21/12/2016" in client.get(plan_url()).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "2016-12-21" in client.get(plan_url()).content.decode()
    translation.activate("vi")


def test_it_answers_the_report_in_constant_queries(client, leader_a, targets_a, province_a,
                                                   indicator, django_assert_num_queries):
    login(client, leader_a)
    url = reverse("plans:dashboard_report", args=["91", 2017])
    # session, user, profile, province, plan, targets, agency counts, result sums,
    # untargeted sums and the indicators' catalogue, sample results, when the figures last
    # changed, reports submitted and approved, agencies in scope, programme targets the plan's
    # targets are milestones of
    with django_assert_num_queries(15):
        client.get(url)
    add_agencies(province_a, 20, tier="commune")
    for agency in Agency.objects.filter(code__contains="EXTRA"):
        make_result(agency, indicator("FIBRE"), value=1)
        make_result(agency, indicator("E_DOCUMENTS"), numerator=1, denominator=2)
    with django_assert_num_queries(15):
        response = client.get(url)
    assert len(response.context["untargeted"]) == 3


# The target page -------------------------------------------------------------------------------


def target_url(target, year=2017):
    return reverse("plans:dashboard_target", args=["91", year, target.pk])


def test_it_lists_lagging_agencies_first_and_the_silent_apart(client, leader_a, targets_a):
    login(client, leader_a)
    response = client.get(target_url(targets_a["K1"]))
    assert response.status_code == 200
    reported = [figure.agency.code for figure in response.context["reported"]]
    assert reported[0] == "91-H900"
    assert sorted(reported[1:]) == ["91-H899", "91-SNV", "91-STTTT"]
    assert response.context["not_reported"] == []
    html = response.content.decode()
    assert "1 đơn vị chưa đạt, xếp trước" in html

    response = client.get(target_url(targets_a["K7"]))
    assert {f.agency.code for f in response.context["not_reported"]} == {
        "91-STTTT", "91-H899", "91-H900", "91-X30733",
    }
    assert "91-X30736" not in response.content.decode()


def test_it_shows_agency_ratios_with_their_own_share(client, leader_a, targets_a, agencies_a,
                                                     indicator):
    make_result(agencies_a["91-H899"], indicator("OFFICIAL_EMAIL"), numerator=45, denominator=50)
    login(client, leader_a)
    response = client.get(target_url(targets_a["K7"]))
    assert response.context["reported"][0].agency.code == "91-H899"
    assert "45/50 (90,0 %)" in response.content.decode()


def test_it_shows_the_same_target_in_other_years(client, leader_a, targets_a, province_a,
                                                 indicator):
    plan_2018 = Plan.objects.create(province=province_a, year=2018, status=Plan.Status.OPEN)
    repeated = Target.objects.create(
        plan=plan_2018, indicator=indicator("SPECIALIZED_NETWORK"), tiers="department+district",
        comparator=">=", value=Decimal("90"),
    )
    Target.objects.create(
        plan=plan_2018, indicator=indicator("SPECIALIZED_NETWORK"), tiers="department",
        value=Decimal("100"),
    )
    login(client, leader_a)
    response = client.get(target_url(targets_a["K1"]))
    assert [item.target for item in response.context["history"]] == [repeated]
    assert "từ 90 % trở lên" in response.content.decode()


def test_it_answers_the_target_page_in_constant_queries(client, leader_a, targets_a, province_a,
                                                        django_assert_num_queries):
    login(client, leader_a)
    # session, user, profile, province, plan, target, same target in every year, agency
    # counts, result sums, agencies in scope, their display names (plans.selectors.naming: one query
    # for the whole list), their results, when the figures last changed, the evidence files
    # per agency (a leader opens each agency's page from here)
    with django_assert_num_queries(14):
        client.get(target_url(targets_a["K1"]))
    add_agencies(province_a, 25, tier="district")
    with django_assert_num_queries(14):
        response = client.get(target_url(targets_a["K1"]))
    assert len(response.context["not_reported"]) == 25


# Trend -----------------------------------------------------------------------------------------


def test_it_draws_the_trend_of_an_indicator_over_the_years(client, leader_a, targets_a,
                                                           province_a, agencies_a, indicator,
                                                           django_assert_num_queries):
    plan_2018 = Plan.objects.create(province=province_a, year=2018, status=Plan.Status.OPEN)
    Target.objects.create(
        plan=plan_2018, indicator=indicator("SPECIALIZED_NETWORK"), tiers="department+district",
        comparator=">=", value=Decimal("90"),
    )
    for code in ("91-SNV", "91-STTTT", "91-H899", "91-H900"):
        make_result(agencies_a[code], indicator("SPECIALIZED_NETWORK"), year=2018, value=1)
    login(client, leader_a)
    url = reverse("plans:dashboard_trend", args=["91", "SPECIALIZED_NETWORK"])
    # session, user, profile, province, indicator, targets of every year, agency counts,
    # result sums, the provinces (has it predecessors? none here: no territory series)
    with django_assert_num_queries(9):
        response = client.get(url)
    html = response.content.decode()
    assert html.count("<svg class=\"trend\"") == 1
    assert "<polyline" in html
    assert "75,0 %" in html
    assert "100,0 %" in html
    assert "trên 80 %" in html
    assert "từ 90 % trở lên" in html


def test_it_answers_404_for_an_unknown_indicator_trend(client, leader_a, targets_a):
    login(client, leader_a)
    url = reverse("plans:dashboard_trend", args=["91", "NO_SUCH"])
    assert client.get(url).status_code == 404


def test_it_explains_a_trend_without_targets(client, leader_a, targets_a):
    login(client, leader_a)
    url = reverse("plans:dashboard_trend", args=["91", "FIBRE"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Chưa có kế hoạch nào của tỉnh Kiên Giang đặt chỉ tiêu này." in (
        response.content.decode()
    )


# Index -----------------------------------------------------------------------------------------


def test_it_lists_only_the_users_provinces_latest_year_first(client, leader_a, targets_a,
                                                            province_a, plan_b):
    Plan.objects.create(province=province_a, year=2018, status=Plan.Status.OPEN)
    login(client, leader_a)
    response = client.get(reverse("plans:dashboard_index"))
    entries = response.context["entries"]
    assert [entry["province"].code for entry in entries] == ["91"]
    assert entries[0]["years"] == [2018, 2017]
    assert response.context["compare_years"] == []
    assert "Hưng Yên" not in response.content.decode()


def test_it_answers_the_index_in_constant_queries(client, admin_user, targets_a, plan_b,
                                                  django_assert_num_queries):
    login(client, admin_user)
    # session, user, provinces, years with results, years with plans, programmes
    with django_assert_num_queries(6):
        client.get(reverse("plans:dashboard_index"))
    for code in ("01", "02", "04"):
        Plan.objects.create(province=Province.objects.create(code=code, name=f"Tỉnh {code}"),
                            year=2018)
    with django_assert_num_queries(6):
        response = client.get(reverse("plans:dashboard_index"))
    assert len(response.context["entries"]) == 5


def test_it_jumps_to_the_chosen_province_and_year(client, leader_a, targets_a):
    login(client, leader_a)
    response = client.get(reverse("plans:dashboard_index"), {"province": "91", "year": "2017"})
    assert response.status_code == 302
    assert response["Location"] == plan_url()


def test_it_explains_a_bad_choice(client, leader_a, targets_a, plan_b):
    login(client, leader_a)
    index = reverse("plans:dashboard_index")
    response = client.get(index, {"province": "33", "year": "2017"})
    assert "Hãy chọn một tỉnh trong danh sách." in response.content.decode()
    response = client.get(index, {"province": "91", "year": "2031"})
    assert "Tỉnh Kiên Giang chưa có kế hoạch hay số liệu cho năm 2031." in (
        response.content.decode()
    )
    response = client.get(index, {"province": "91", "year": "năm"})
    assert response.status_code == 200


def test_it_offers_comparison_to_users_of_several_provinces(client, admin_user, targets_a,
                                                           plan_b):
    login(client, admin_user)
    response = client.get(reverse("plans:dashboard_index"))
    assert response.context["compare_years"] == [2017]


# Compare ---------------------------------------------------------------------------------------


@pytest.fixture
def targets_b(plan_b, agencies_b, indicator):
    target = Target.objects.create(
        plan=plan_b, indicator=indicator("SPECIALIZED_NETWORK"), tiers="department+district",
        comparator=">=", value=Decimal("50"),
    )
    make_result(agencies_b["33-SNV"], indicator("SPECIALIZED_NETWORK"), value=1)
    return {"SN": target}


def test_it_compares_provinces_against_their_own_targets(client, admin_user, targets_a,
                                                         targets_b, django_assert_num_queries):
    login(client, admin_user)
    url = reverse("plans:dashboard_compare", args=[2017])
    # session, user, provinces, targets of the year, agency counts, result sums, the provinces'
    # territories (for a merged province's figures, plans.selectors.territory)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert [h["province"].code for h in response.context["headers"]] == ["33", "91"]
    rows = {line["target"].indicator.code + " " + line["target"].tiers: line["cells"]
            for line in response.context["table"]}
    hy, kg = rows["SPECIALIZED_NETWORK department+district"]
    assert hy.status == "met"
    assert kg.status == "not_met"
    sn_b = targets_b["SN"]
    assert hy.url == reverse("plans:dashboard_target", args=["33", 2017, sn_b.pk])
    assert hy.target_words == "chỉ tiêu từ 50 % trở lên"
    assert hy.status_label == "Đạt"
    assert hy.status_class == "status-met"
    assert f'href="{hy.url}"' in response.content.decode()
    # Hưng Yên sets no one-stop-shop target and its departments reported nothing on it.
    empty = rows["ONE_STOP_SHOP department"][0]
    assert (empty.status, empty.achieved, empty.url) == ("", "", "")
    html = response.content.decode()
    assert 'class="cell status-met"' in html
    assert 'class="cell status-not_met"' in html
    assert "không đặt chỉ tiêu" in html


def test_it_sorts_the_comparison_by_a_province(client, admin_user, targets_a, targets_b):
    login(client, admin_user)
    url = reverse("plans:dashboard_compare", args=[2017])
    response = client.get(url, {"sort": "91"})
    statuses = [line["cells"][1].status for line in response.context["table"]]
    assert statuses == ["not_met", "met", "met", "met", "no_data"]
    assert 'aria-sort="ascending"' in response.content.decode()
    response = client.get(url, {"sort": "91", "dir": "desc"})
    statuses = [line["cells"][1].status for line in response.context["table"]]
    assert statuses == ["no_data", "met", "met", "met", "not_met"]
    # An unknown province is ignored: catalogue order.
    response = client.get(url, {"sort": "<x>"})
    assert response.context["sort"] == ""


def test_it_shows_what_a_province_achieved_where_it_set_no_target(
    client, admin_user, targets_a, targets_b, agencies_b, indicator, django_assert_num_queries
):
    # Hưng Yên's department runs the one-stop shop: 1 of its 1 department, no target.
    make_result(agencies_b["33-SNV"], indicator("ONE_STOP_SHOP"), value=1)
    # A third province with results but no plan at all, and a fourth with nothing.
    third = Province.objects.create(code="01", name="Hà Nội")
    department = Agency.objects.create(province=third, code="01-STC", name="Sở Tài chính",
                                       tier="department")
    make_result(department, indicator("ONE_STOP_SHOP"), value=0)
    Province.objects.create(code="02", name="Hà Giang")
    login(client, admin_user)
    url = reverse("plans:dashboard_compare", args=[2017])
    with django_assert_num_queries(7):
        response = client.get(url)
    assert [h["province"].code for h in response.context["headers"]] == ["01", "33", "91"]
    rows = {line["target"].indicator.code + " " + line["target"].tiers: line["cells"]
            for line in response.context["table"]}
    hanoi, hy, kg = rows["ONE_STOP_SHOP department"]
    assert (hy.status, hy.achieved, hy.url) == ("", "100,0 %", "")
    assert hy.target_words == "không đặt chỉ tiêu"
    assert hy.status_class == "cell-none"
    assert (hanoi.status, hanoi.achieved) == ("", "0,0 %")
    assert kg.status == "met"
    html = response.content.decode()
    assert '<td class="cell cell-none"><strong>100,0 %</strong>' in html
    assert "Hà Giang" not in html
    # Sorted by Hưng Yên, the rows it targets come first, those it does not last.
    response = client.get(url, {"sort": "33"})
    statuses = [line["cells"][1].status for line in response.context["table"]]
    assert statuses[0] == "met"
    assert set(statuses[1:]) == {""}


def test_it_shows_a_leader_only_their_provinces_in_the_comparison(client, leader_a, targets_a,
                                                                  targets_b):
    login(client, leader_a)
    response = client.get(reverse("plans:dashboard_compare", args=[2017]))
    assert [h["province"].code for h in response.context["headers"]] == ["91"]
    assert "Hưng Yên" not in response.content.decode()


def test_it_lets_a_user_of_all_provinces_compare(client, targets_a, targets_b):
    user = make_user("central", Profile.Role.LEADER)
    user.profile.all_provinces = True
    user.profile.save()
    login(client, user)
    response = client.get(reverse("plans:dashboard_compare", args=[2017]))
    assert len(response.context["headers"]) == 2


def test_it_answers_404_to_compare_for_a_user_without_provinces(client, targets_a,
                                                                django_user_model):
    django_user_model.objects.create_user(username="nobody", password=PASSWORD)
    assert client.login(username="nobody", password=PASSWORD)
    assert client.get(reverse("plans:dashboard_compare", args=[2017])).status_code == 404


# Report ----------------------------------------------------------------------------------------


def test_it_renders_the_printable_report(client, leader_a, targets_a, plan_a):
    plan_a.tasks = "Tích hợp các hệ thống thông tin\n\nXây dựng cơ sở dữ liệu dùng chung"
    plan_a.save()
    login(client, leader_a)
    response = client.get(reverse("plans:dashboard_report", args=["91", 2017]))
    html = response.content.decode()
    assert "Kết quả thực hiện Kế hoạch ứng dụng CNTT năm 2017 – tỉnh Kiên Giang" in html
    assert "UBND TỈNH KIÊN GIANG" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "3/5 chỉ tiêu đã đạt" in html
    assert "<li>Xây dựng cơ sở dữ liệu dùng chung</li>" in html
    assert "Kiên Giang, ngày " in html
    # The report is for paper: no drill-down links in the table.
    assert reverse("plans:dashboard_target", args=["91", 2017, targets_a["K1"].pk]) not in html


# Downloads -------------------------------------------------------------------------------------


def test_it_downloads_the_workbook(client, leader_a, targets_a, province_a, indicator,
                                   django_assert_num_queries):
    login(client, leader_a)
    url = reverse("plans:dashboard_xlsx", args=["91", 2017])
    # session, user, profile, province, plan, targets, agency counts, result sums, agencies,
    # their display names (plans.selectors.naming), results, untargeted sums and the indicators'
    # catalogue, when the figures last changed (the summary no longer reads the export rows:
    # its three queries are gone), programme targets the plan's targets are milestones of
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="progress-91-2017.xlsx"' in response["Content-Disposition"]
    assert response.content[:2] == b"PK"
    assert load_workbook(io.BytesIO(response.content)).sheetnames[-1] == "Ngoài kế hoạch"
    # Constant: more agencies reporting more untargeted indicators add no query.
    add_agencies(province_a, 25, tier="commune")
    for agency in Agency.objects.filter(code__contains="EXTRA"):
        make_result(agency, indicator("FIBRE"), value=1)
        make_result(agency, indicator("OFFICIAL_EMAIL"), numerator=3, denominator=4)
    with django_assert_num_queries(15):
        response = client.get(url)
    sheet = load_workbook(io.BytesIO(response.content))["Ngoài kế hoạch"]
    assert [row[0] for row in sheet.iter_rows(min_row=6, values_only=True)] == [
        indicator("LAN").name_vi, indicator("LAN").name_vi, indicator("LAN").name_vi,
        indicator("FIBRE").name_vi,
    ]


def test_it_downloads_progress_csv_byte_for_byte_as_export_progress(
    client, leader_a, targets_a, tmp_path, django_assert_num_queries
):
    login(client, leader_a)
    # session, user, profile, province, plan (is it a draft?), plan, targets, agency counts,
    # result sums
    with django_assert_num_queries(9):
        response = client.get(reverse("plans:dashboard_csv", args=["91", 2017]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="progress-91-2017.csv"' in response["Content-Disposition"]
    output = tmp_path / "progress.csv"
    call_command("export_progress", "--province", "91", "--year", "2017", "--output",
                 str(output))
    assert response.content == output.read_bytes()
    assert response.content.count(b"\n") == 6
    assert b"SPECIALIZED_NETWORK,department+district,>,80,percent,75.0,3,4,4,4,not_met" in (
        response.content
    )


def test_it_downloads_the_header_alone_for_a_year_without_plan(client, leader_a, province_a):
    login(client, leader_a)
    response = client.get(reverse("plans:dashboard_csv", args=["91", 2019]))
    assert response.content.decode().splitlines() == [",".join(exports.PROGRESS_COLUMNS)]


def test_it_downloads_an_empty_workbook_for_a_year_without_plan(client, leader_a, province_a):
    login(client, leader_a)
    response = client.get(reverse("plans:dashboard_xlsx", args=["91", 2019]))
    assert response.status_code == 200


def test_it_answers_404_for_a_download_of_an_unknown_province(client, admin_user):
    login(client, admin_user)
    assert client.get(reverse("plans:dashboard_xlsx", args=["99", 2017])).status_code == 404
    assert Province.objects.count() == 0


def test_the_workbook_counts_approved_figures_only_when_asked_as_the_dashboard_does(
    client, leader_a, plan_a, agencies_a, indicator
):
    lan = indicator("LAN")
    make_target(plan_a, lan, "department", 50)
    make_result(agencies_a["91-SNV"], lan, 2017, value=1)
    make_result(agencies_a["91-STTTT"], lan, 2017, value=1)
    Submission.objects.create(plan=plan_a, agency=agencies_a["91-SNV"], state="approved")
    login(client, leader_a)
    url = reverse("plans:dashboard_xlsx", args=["91", 2017])

    def summary(query):
        sheet = load_workbook(io.BytesIO(client.get(url + query).content))["Tổng hợp"]
        lines = [row[0] for row in sheet.iter_rows(max_col=1, values_only=True) if row[0]]
        # The summary's row of the target: reporting agencies, agencies in scope.
        (row,) = [r for r in sheet.iter_rows(values_only=True) if r[1] == lan.name_vi]
        return lines, (row[8], row[9])

    every_lines, every_counts = summary("")
    approved_lines, approved_counts = summary("?figures=approved")

    assert every_counts == (2, 2)
    assert approved_counts == (1, 2)
    said = "Chỉ tính số liệu của các đơn vị đã được duyệt báo cáo."
    assert said in approved_lines
    assert said not in every_lines
