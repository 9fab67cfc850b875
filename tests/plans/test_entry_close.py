"""Closing a plan asks first: /entry/<province>/<year>/close/ (GET confirms, POST closes)."""

import pytest
from django.urls import reverse

from plans.models import Change, Plan, Result, Submission, Target
from plans.services.plans import plan_reopen

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


def report_everything(agencies_a, indicator):
    for code in ("91-SNV", "91-STTTT"):
        report(agencies_a[code], indicator("LAN"))
        report(agencies_a[code], indicator("FIBRE"))
    for code in ("91-H899", "91-H900"):
        report(agencies_a[code], indicator("LAN"))


def decide(plan, agencies_a, states: dict[str, str]) -> None:
    for code, state in states.items():
        Submission.objects.create(plan=plan, agency=agencies_a[code], state=state)


def test_it_says_when_everyone_has_reported(officer_client, scoped, agencies_a, indicator):
    report_everything(agencies_a, indicator)
    decide(scoped, agencies_a, dict.fromkeys(("91-SNV", "91-STTTT", "91-H899", "91-H900"),
                                             Submission.State.APPROVED))
    html = officer_client.get(CLOSE_URL).content.decode()
    assert "Cả 4 đơn vị trong phạm vi kế hoạch đã báo cáo đủ các chỉ tiêu." in html
    assert 'name="pending_acknowledged"' not in html


def test_everything_entered_is_not_all_reported_until_approved(officer_client, scoped,
                                                               agencies_a, indicator):
    report_everything(agencies_a, indicator)
    decide(scoped, agencies_a, {"91-SNV": Submission.State.APPROVED})

    html = officer_client.get(CLOSE_URL).content.decode()

    assert "đã báo cáo đủ các chỉ tiêu" not in html
    assert "Các đơn vị đã nhập đủ các chỉ tiêu, nhưng 3 báo cáo chưa được duyệt." in html
    assert "Tôi hiểu rằng tổng kết sẽ khoá 3 báo cáo chưa được duyệt" in html


def test_it_counts_and_names_the_reports_by_state(officer_client, scoped, agencies_a,
                                                  indicator):
    report(agencies_a["91-SNV"], indicator("LAN"))
    report(agencies_a["91-H899"], indicator("LAN"))
    decide(scoped, agencies_a, {"91-H899": Submission.State.RETURNED,
                                "91-H900": Submission.State.SUBMITTED})

    cycle = officer_client.get(CLOSE_URL).context["cycle"]

    assert [(group.label, group.names) for group in cycle.groups] == [
        ("Chưa nhập", ("Sở Thông tin và Truyền thông",)),
        ("Đang nhập", ("Sở Nội vụ",)),
        ("Bị trả lại", ("UBND thành phố Rạch Giá",)),
        ("Đã gửi", ("UBND thị xã Hà Tiên",)),
        ("Đã duyệt", ()),
    ]
    assert (cycle.total, cycle.pending, cycle.all_approved) == (4, 4, False)


def test_it_says_when_the_plan_has_no_target(officer_client, plan_a, agencies_a):
    response = officer_client.get(CLOSE_URL)
    assert response.context["incomplete"] == []
    assert "Kế hoạch chưa có chỉ tiêu nào" in response.content.decode()


def test_it_answers_in_constant_queries(officer_client, scoped, agencies_a, indicator,
                                        django_assert_num_queries):
    # session, user, profile, province, plan, targets, agencies in scope, their results' keys;
    # then the reports' states as the status board reads them: targets, agencies in scope, the
    # names people are shown, submissions, the agencies' figures
    with django_assert_num_queries(13):
        officer_client.get(CLOSE_URL)
    for agency in agencies_a.values():
        report(agency, indicator("LAN"))
    with django_assert_num_queries(13):
        officer_client.get(CLOSE_URL)


def test_only_its_post_closes(officer_client, scoped):
    response = officer_client.post(CLOSE_URL, {"pending_acknowledged": "1"})
    assert response.status_code == 302
    assert Plan.objects.get(pk=scoped.pk).status == Plan.Status.CLOSED


def test_a_close_without_the_tick_is_refused_with_the_reason(officer_client, scoped):
    response = officer_client.post(CLOSE_URL, follow=True)

    assert response.redirect_chain[-1][0] == CLOSE_URL
    assert ("Chưa tổng kết: còn 4 báo cáo chưa được duyệt. Hãy đánh dấu ô xác nhận trên trang "
            "tổng kết nếu vẫn muốn khoá các báo cáo đó.") in response.content.decode()
    plan = Plan.objects.get(pk=scoped.pk)
    assert (plan.status, plan.pending_at_close) == (Plan.Status.OPEN, {})
    assert not Change.objects.exists()


def test_the_closed_plan_records_what_was_pending(officer_client, scoped, agencies_a,
                                                  indicator, admin_user):
    report_everything(agencies_a, indicator)
    decide(scoped, agencies_a, {"91-SNV": Submission.State.APPROVED,
                                "91-STTTT": Submission.State.RETURNED})

    officer_client.post(CLOSE_URL, {"pending_acknowledged": "1"})

    plan = Plan.objects.get(pk=scoped.pk)
    assert plan.pending_at_close == {
        "draft": ["UBND thành phố Rạch Giá", "UBND thị xã Hà Tiên"],
        "returned": ["Sở Thông tin và Truyền thông"],
    }
    html = officer_client.get(CLOSE_URL).content.decode()
    assert "Báo cáo chưa được duyệt khi tổng kết" in html
    assert "Bị trả lại (1):</strong> Sở Thông tin và Truyền thông" in html
    plan_reopen(plan=plan, user=admin_user)
    assert Plan.objects.get(pk=scoped.pk).pending_at_close == {}


def test_a_cycle_all_approved_closes_without_the_tick(officer_client, scoped, agencies_a,
                                                      indicator):
    report_everything(agencies_a, indicator)
    decide(scoped, agencies_a, dict.fromkeys(("91-SNV", "91-STTTT", "91-H899", "91-H900"),
                                             Submission.State.APPROVED))

    officer_client.post(CLOSE_URL)

    plan = Plan.objects.get(pk=scoped.pk)
    assert (plan.status, plan.pending_at_close) == (Plan.Status.CLOSED, {})


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
