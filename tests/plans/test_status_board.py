"""The status board of a plan's reports and its status.csv: officers and admins only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan, Submission
from plans.services.submissions import submission_approve, submission_return, submission_submit
from tests.factories import make_result, make_target

BOARD = reverse("plans:status_board", args=["91", 2017])
CSV = reverse("plans:status_csv", args=["91", 2017])


@pytest.fixture
def scoped(plan_a, agencies_a, indicator):
    """Targets on departments and districts: four agencies in scope (Hà Tiên until 2020)."""
    make_target(plan_a, indicator("LAN"), "department+district", 100)
    return agencies_a


def submit(plan, agency, user):
    return submission_submit(plan=plan, agency=agency, user=user, expected_version=0)


@pytest.fixture
def reviewed(plan_a, scoped, officer_a, indicator):
    """SNV approved, STTTT returned, Rạch Giá has a figure (draft), Hà Tiên nothing."""
    snv, stttt = scoped["91-SNV"], scoped["91-STTTT"]
    make_result(snv, indicator("LAN"), value=1)
    make_result(scoped["91-H899"], indicator("LAN"), value=0)
    submit(plan_a, snv, officer_a)
    submission_approve(plan=plan_a, agency=snv, user=officer_a, expected_version=1)
    submit(plan_a, stttt, officer_a)
    submission_return(plan=plan_a, agency=stttt, user=officer_a, expected_version=1,
                      reason="Thiếu số liệu")
    return scoped


def test_it_lists_each_agency_in_scope_with_its_state(client, officer_a, reviewed):
    client.force_login(officer_a)
    response = client.get(BOARD)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Sở Nội vụ", "Sở Thông tin và Truyền thông", "UBND thành phố Rạch Giá",
                 "UBND thị xã Hà Tiên"):
        assert name in html
    assert "UBND phường Vĩnh Thanh" not in html  # communes: no target covers them
    assert "Thiếu số liệu" in html
    assert reverse("plans:entry_agency", args=["91", 2017, "91-SNV"]) in html


def test_it_filters_by_state_tier_and_late(client, officer_a, reviewed):
    client.force_login(officer_a)
    html = client.get(BOARD, {"state": "approved"}).content.decode()
    assert "Sở Nội vụ" in html and "Rạch Giá" not in html
    html = client.get(BOARD, {"tier": "district"}).content.decode()
    assert "Rạch Giá" in html and 'id="agency-91-SNV"' not in html
    html = client.get(BOARD, {"late": "1"}).content.decode()
    assert 'id="agency-91-SNV"' not in html


def test_leaders_get_403_and_strangers_404(client, leader_a, officer_b, reviewed):
    client.force_login(leader_a)
    assert client.get(BOARD).status_code == 403
    assert client.get(CSV).status_code == 403
    client.force_login(officer_b)
    assert client.get(BOARD).status_code == 404


def test_status_csv_holds_the_exact_format(client, officer_a, plan_a, reviewed, indicator):
    Plan.objects.filter(pk=plan_a.pk).update(report_deadline=timezone.localdate()
                                             - datetime.timedelta(days=1))
    snv = Submission.objects.get(agency__code="91-SNV")
    at = datetime.datetime(2017, 12, 1, 1, 30, tzinfo=datetime.UTC)
    Submission.objects.filter(pk=snv.pk).update(submitted_at=at, approved_at=at)
    # Changed since its approval (as after a reopening).
    reviewed["91-SNV"].results.update(value=0)
    client.force_login(officer_a)

    response = client.get(CSV)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().split("\n")
    assert lines[0] == ("agency_code,agency_name,tier,state,submitted_at,approved_at,late,"
                        "changed_since_approval,changed_since_submission")
    assert lines[1] == ("91-SNV,Sở Nội vụ,department,approved,2017-12-01T08:30:00+07:00,"
                        "2017-12-01T08:30:00+07:00,false,true,true")
    assert lines[2].startswith("91-STTTT,Sở Thông tin và Truyền thông,department,returned,")
    assert lines[2].endswith(",,true,false,false")  # returned and the deadline passed: overdue
    assert lines[3] == "91-H899,UBND thành phố Rạch Giá,district,draft,,,true,false,false"
    assert lines[4] == "91-H900,UBND thị xã Hà Tiên,district,not_started,,,true,false,false"
    assert lines[5:] == [""]


def test_the_board_reads_in_constant_queries(
    client, officer_a, plan_a, reviewed, indicator, django_assert_num_queries
):
    client.force_login(officer_a)
    client.get(BOARD)
    # session, user, profile, province, plan; targets, agencies in scope, submissions (with
    # their people), the figures of those agencies, the names people are shown (one query for
    # the namesakes): the same whatever their number.
    with django_assert_num_queries(10):
        client.get(BOARD)
    for n in range(20):
        agency = reviewed["91-SNV"].__class__.objects.create(
            province=plan_a.province, code=f"91-S{n}", name=f"Sở {n}", tier="department"
        )
        make_result(agency, indicator("LAN"), value=1)
        submit(plan_a, agency, officer_a)
    with django_assert_num_queries(10):
        client.get(BOARD)
    with django_assert_num_queries(10):
        client.get(CSV)


# The dashboard knows ----------------------------------------------------------------------


def test_the_dashboard_counts_reports_and_may_show_approved_figures_only(
    client, leader_a, plan_a, reviewed
):
    client.force_login(leader_a)
    url = reverse("plans:dashboard_plan", args=["91", 2017])
    html = client.get(url).content.decode()
    assert "Báo cáo: 4 đơn vị: 0 đã gửi chờ duyệt, 1 đã duyệt, 3 chưa gửi" in html
    # All figures: SNV (approved) and Rạch Giá (draft) report LAN; approved only: SNV alone.
    every = client.get(url, {"figures": "all"}).context["groups"]
    approved = client.get(url, {"figures": "approved"}).context["groups"]
    assert every != approved
    assert "Chỉ tính số liệu của các đơn vị đã được duyệt báo cáo." in client.get(
        url, {"figures": "approved"}).content.decode()


def test_approved_only_adds_no_query(client, leader_a, plan_a, reviewed):
    client.force_login(leader_a)
    url = reverse("plans:dashboard_plan", args=["91", 2017])
    client.get(url)
    with CaptureQueriesContext(connection) as every:
        client.get(url, {"figures": "all"})
    with CaptureQueriesContext(connection) as approved:
        client.get(url, {"figures": "approved"})
    assert len(approved) == len(every)


def test_the_board_lists_agencies_in_vietnamese_order_and_the_csv_by_code(
    client, officer_a, plan_a, reviewed
):
    """People read the board in Vietnamese alphabetical order; status.csv keeps code order."""
    province = plan_a.province
    Agency = reviewed["91-SNV"].__class__
    for code, name in [("91-ZA", "Sở Khoa học và Công nghệ"), ("91-ZB", "Sở Kế hoạch và Đầu tư")]:
        Agency.objects.create(province=province, code=code, name=name, tier="department")
    client.force_login(officer_a)

    html = client.get(BOARD).content.decode()
    csv_text = client.get(CSV).content.decode("utf-8-sig")

    assert html.index("Sở Kế hoạch và Đầu tư") < html.index("Sở Khoa học và Công nghệ")
    assert csv_text.index("91-ZA,") < csv_text.index("91-ZB,")
