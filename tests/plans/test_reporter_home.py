"""The reporter's home lists each of its agencies' reports for the open plans: the plan, the
state, the deadline with the days left or overdue, the reason of a return, and the link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Profile, Result, Submission, Target
from tests.conftest import make_user

HOME = reverse("plans:home")


@pytest.fixture
def reporter(province_a, agencies_a):
    return make_user("baocao", Profile.Role.REPORTER, [province_a],
                     [agencies_a["91-SNV"], agencies_a["91-H900"]])


@pytest.fixture
def scoped(plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department",
                          comparator=">=", value=50)
    return plan_a


def test_it_lists_each_report_with_state_deadline_and_reason(
    client, reporter, scoped, agencies_a, indicator
):
    scoped.report_deadline = timezone.localdate() + datetime.timedelta(days=3)
    scoped.save()
    Submission.objects.create(plan=scoped, agency=agencies_a["91-SNV"],
                              state=Submission.State.RETURNED, return_reason="Thiếu số liệu LAN")
    client.force_login(reporter)

    response = client.get(HOME)

    rows = response.context["reports"]
    assert [(row["agency"].display_name, row["state_label"], row["return_reason"])
            for row in rows] == [
        ("Sở Nội vụ", "Bị trả lại", "Thiếu số liệu LAN"),
        # Districts have no target in this plan: listed, with no state to owe.
        ("UBND thị xã Hà Tiên", "", ""),
    ]
    assert rows[0]["left"] == "còn 3 ngày"
    html = response.content.decode()
    assert "Báo cáo của bạn" in html
    assert "Thiếu số liệu LAN" in html
    assert reverse("plans:entry_agency", args=["91", 2017, "91-SNV"]) in html
    assert "Kế hoạch không đặt chỉ tiêu cho cấp của đơn vị" in html


def test_an_overdue_report_says_so(client, reporter, scoped, agencies_a, indicator):
    scoped.report_deadline = datetime.date(2018, 1, 15)
    scoped.save()
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1)
    client.force_login(reporter)

    row = client.get(HOME).context["reports"][0]

    assert (row["state_label"], row["overdue"], row["deadline"]) == (
        "Đang nhập", True, "15/01/2018"
    )
    assert row["left"].startswith("đã quá hạn ")


def test_a_plan_without_a_deadline_says_so(client, reporter, scoped):
    client.force_login(reporter)
    html = client.get(HOME).content.decode()
    assert "chưa có hạn gửi báo cáo" in html


def test_a_closed_plan_lists_no_report(client, reporter, scoped):
    scoped.status = "closed"
    scoped.save()
    client.force_login(reporter)
    assert client.get(HOME).context["reports"] == []


def test_an_officer_gets_no_report_list(client, officer_a, scoped):
    client.force_login(officer_a)
    assert client.get(HOME).context["reports"] == []


def test_it_runs_the_same_queries_whatever_the_number_of_agencies(
    client, province_a, agencies_a, scoped, django_assert_num_queries
):
    few = make_user("it", Profile.Role.REPORTER, [province_a], [agencies_a["91-SNV"]])
    many = make_user("nhieu", Profile.Role.REPORTER, [province_a], list(agencies_a.values()))
    # session, user, profile, provinces, plans, the reporter's agency ids, its agencies; for
    # the open plan: the agencies, the status board (targets, agencies in scope, names,
    # submissions, figures), the reporter's agencies' names
    client.force_login(few)
    with django_assert_num_queries(14):
        client.get(HOME)
    client.force_login(many)
    with django_assert_num_queries(14):
        client.get(HOME)
