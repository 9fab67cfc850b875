"""The indicator definitions page (/indicators/<code>/): who may read it, what it shows, and its
queries."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django.utils.html import strip_tags

from plans.models import Plan
from tests.factories import login, make_result, make_target


def url(code="SPECIALIZED_NETWORK"):
    return reverse("indicators:definition", args=[code])


def text_of(response):
    return " ".join(strip_tags(response.content.decode()).split())


@override_settings(PUBLIC_DASHBOARD=False)
def test_it_sends_anonymous_visitors_to_login(client, db):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@override_settings(PUBLIC_DASHBOARD=True)
def test_it_shows_anonymous_visitors_the_page_when_dashboards_are_public(client, db):
    assert client.get(url()).status_code == 200


@pytest.mark.parametrize("user", ["officer_a", "officer_b", "leader_a", "admin_user"])
@override_settings(PUBLIC_DASHBOARD=False)
def test_it_shows_every_logged_in_role_the_page(client, db, user, request):
    login(client, request.getfixturevalue(user))
    assert client.get(url()).status_code == 200


@override_settings(PUBLIC_DASHBOARD=False)
def test_it_shows_a_user_without_a_role_the_page(client, db):
    # Readable by any logged-in user, as the dashboards are.
    client.force_login(get_user_model().objects.create_user(username="no_role"))
    assert client.get(url()).status_code == 200


def test_it_answers_404_for_an_unknown_code(client, leader_a):
    login(client, leader_a)
    assert client.get(url("NO_SUCH_INDICATOR")).status_code == 404


def test_it_refuses_a_post(client, leader_a):
    login(client, leader_a)
    assert client.post(url()).status_code == 405


def test_it_shows_the_definition_in_vietnamese(client, leader_a):
    login(client, leader_a)
    text = text_of(client.get(url()))
    for words in (
        "Kết nối và sử dụng mạng truyền số liệu chuyên dùng",
        "Khái niệm", "Thế nào là “có”", "Mẫu số (khi tính tỉ lệ)", "Công thức tính",
        "Đơn vị tính", "Căn cứ pháp lý", "Nguồn số liệu", "Năm sử dụng",
        "mạng truyền dẫn riêng", "Thông tư số 27/2017/TT-BTTTT",
        "Đơn vị chưa báo cáo được tính là chưa có",
        "Chưa có kế hoạch hay kết quả nào dùng chỉ tiêu này.",
    ):
        assert words in text


def test_it_names_the_ratio_parts_and_decree_42(client, leader_a):
    login(client, leader_a)
    text = text_of(client.get(url("PUBLIC_SERVICES_FULL")))
    assert "Tử số" in text and "Mẫu số" in text and "Thế nào là" not in text
    assert "Nghị định số 42/2022/NĐ-CP" in text
    assert "toàn trình" in text


def test_it_shows_the_definition_in_english(client, leader_a):
    login(client, leader_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = text_of(client.get(url("PUBLIC_SERVICES_FULL")))
    for words in ("Concept", "Numerator", "Denominator", "Formula", "Legal basis",
                  "Source of data", "Years in use", "Decree 42/2022/ND-CP",
                  "Full-online public services (Decree 42/2022)"):
        assert words in text
    assert "Căn cứ pháp lý" not in text


def test_it_falls_back_on_vietnamese_where_the_english_text_is_blank(client, leader_a, indicator):
    lan = indicator("LAN")
    lan.concept_en = ""
    lan.save(update_fields=["concept_en"])
    login(client, leader_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert lan.concept_vi in text_of(client.get(url("LAN")))


def test_it_says_when_a_text_is_not_written(client, leader_a, indicator):
    lan = indicator("LAN")
    lan.legal_basis_vi = ""
    lan.save(update_fields=["legal_basis_vi"])
    login(client, leader_a)
    assert "Chưa có nội dung." in text_of(client.get(url("LAN")))


def test_it_shows_the_first_and_last_year_of_targets_and_results(
    client, leader_a, plan_a, agencies_a, province_a, indicator
):
    network = indicator("SPECIALIZED_NETWORK")
    make_target(plan_a, network, "department", 80)
    make_result(agencies_a["91-SNV"], network, year=2019, value=1)
    # A draft's target is not a year of use yet.
    draft = Plan.objects.create(province=province_a, year=2015, status=Plan.Status.DRAFT)
    make_target(draft, network, "department", 80)
    login(client, leader_a)
    response = client.get(url())
    assert response.context["years"] == (2017, 2019)
    assert "2017–2019" in text_of(response)


def test_it_shows_a_single_year_once(client, leader_a, plan_a, indicator):
    make_target(plan_a, indicator("LAN"), "department", 100)
    login(client, leader_a)
    response = client.get(url("LAN"))
    assert response.context["years"] == (2017, 2017)
    assert "2017–" not in text_of(response)


def test_it_answers_in_constant_queries(client, leader_a, plan_a, agencies_a, indicator,
                                        django_assert_num_queries):
    network = indicator("SPECIALIZED_NETWORK")
    make_target(plan_a, network, "department", 80)
    for agency in agencies_a.values():
        make_result(agency, network, value=1)
        make_result(agency, network, year=2018, value=1)
    login(client, leader_a)
    # session, user, the indicator with its years in use (subqueries)
    with django_assert_num_queries(3):
        client.get(url())


@override_settings(PUBLIC_DASHBOARD=True)
def test_it_answers_anonymous_visitors_in_one_query(client, db, django_assert_num_queries):
    # the indicator with its years in use
    with django_assert_num_queries(1):
        client.get(url())
