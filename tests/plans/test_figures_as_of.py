"""When a plan's figures last changed, and how many agencies in scope have not reported."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from plans.models import Change, Result
from plans.selectors import figures as figure_reads
from plans.services.history import change_record, plan_snapshot, target_snapshot
from tests.factories import login, make_result, make_target


def at(hour):
    return timezone.make_aware(datetime.datetime(2018, 1, 15, hour, 0))


def as_of(plan, targets=()):
    return figure_reads.figures_as_of(province_id=plan.province_id, year=plan.year, plan=plan,
                                   targets=targets)


def test_it_answers_nothing_before_anything_is_entered(plan_a, agencies_a,
                                                       django_assert_num_queries):
    with django_assert_num_queries(1):
        answer = as_of(plan_a)
    assert answer == figure_reads.FiguresAsOf(changed_at=None, agencies_missing=0)


def test_it_takes_the_newest_result_of_the_province_and_year(plan_a, agencies_a, agencies_b,
                                                             indicator):
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)
    make_result(agencies_a["91-STTTT"], indicator("LAN"), value=1)
    Result.objects.filter(agency__code="91-SNV").update(updated_at=at(9))
    Result.objects.filter(agency__code="91-STTTT").update(updated_at=at(10))
    # Another year and another province change nothing here.
    make_result(agencies_a["91-SNV"], indicator("FIBRE"), year=2018, value=1)
    make_result(agencies_b["33-SNV"], indicator("LAN"), value=1)
    assert as_of(plan_a).changed_at == at(10)


def test_it_counts_target_changes_and_deletions_but_not_the_plans_status(plan_a, agencies_a,
                                                                         indicator):
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)
    Result.objects.update(updated_at=at(9))
    target = make_target(plan_a, indicator("LAN"), "department", "80")
    change_record(subject=target, user=None, channel="admin", old=None,
                  new=target_snapshot(target))
    Change.objects.update(changed_at=at(11))
    assert as_of(plan_a).changed_at == at(11)
    # A deleted result's last entry is on the plan, with nothing new.
    deleted = change_record(subject=plan_a, user=None, channel="admin",
                            old={"agency": "91-SNV", "value": 1}, new=None)
    Change.objects.filter(pk=deleted.pk).update(changed_at=at(12))
    assert as_of(plan_a).changed_at == at(12)
    # Closing the plan is no change of its figures.
    closed = change_record(subject=plan_a, user=None, channel="admin", old=None,
                           new=plan_snapshot(plan_a))
    Change.objects.filter(pk=closed.pk).update(changed_at=at(13))
    assert as_of(plan_a).changed_at == at(12)


def test_it_counts_agencies_in_scope_missing_a_result_a_target_asks(
    plan_a, agencies_a, indicator, django_assert_num_queries
):
    lan = make_target(plan_a, indicator("LAN"), "department+district", "80")
    mail = make_target(plan_a, indicator("OFFICIAL_EMAIL"), "department", "80")
    # In scope in 2017: 2 departments (LAN and mail), 2 districts (LAN).
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)
    make_result(agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL"), numerator=1, denominator=2)
    make_result(agencies_a["91-STTTT"], indicator("LAN"), value=1)  # no mail figure yet
    make_result(agencies_a["91-H899"], indicator("LAN"), value=0)
    # A district's mail figure is asked by no target: it does not complete anything.
    make_result(agencies_a["91-H900"], indicator("OFFICIAL_EMAIL"), numerator=1, denominator=2)
    with django_assert_num_queries(1):
        answer = as_of(plan_a, [lan, mail])
    assert answer.agencies_missing == 2  # 91-STTTT (mail), 91-H900 (LAN)
    make_result(agencies_a["91-H900"], indicator("LAN"), value=1)
    make_result(agencies_a["91-STTTT"], indicator("OFFICIAL_EMAIL"), numerator=2, denominator=2)
    assert as_of(plan_a, [lan, mail]).agencies_missing == 0


def test_it_leaves_agencies_inactive_that_year_out(plan_a, agencies_a, indicator):
    target = make_target(plan_a, indicator("LAN"), "commune", "80")
    make_result(agencies_a["91-X30733"], indicator("LAN"), value=1)
    # 91-X30736 only starts in 2018.
    assert as_of(plan_a, [target]).agencies_missing == 0


def test_it_answers_a_year_without_a_plan_from_its_results(province_a, agencies_a, indicator):
    make_result(agencies_a["91-SNV"], indicator("LAN"), year=2019, value=1)
    Result.objects.update(updated_at=at(8))
    answer = figure_reads.figures_as_of(province_id=province_a.pk, year=2019, plan=None)
    assert answer == figure_reads.FiguresAsOf(changed_at=at(8), agencies_missing=0)



# The pages ------------------------------------------------------------------------------------


@pytest.fixture
def lan_target(plan_a, agencies_a, indicator):
    """A LAN target over the 2 departments and 2 districts; 3 of them reported at 09:00."""
    target = make_target(plan_a, indicator("LAN"), "department+district", "80")
    for code in ("91-SNV", "91-STTTT", "91-H899"):
        make_result(agencies_a[code], indicator("LAN"), value=1)
    Result.objects.update(updated_at=at(9))
    return target


def dashboard_pages(target):
    return [
        reverse("plans:dashboard_plan", args=["91", 2017]),
        reverse("plans:dashboard_report", args=["91", 2017]),
        reverse("plans:dashboard_target", args=["91", 2017, target.pk]),
    ]


def test_every_dashboard_page_says_when_its_figures_last_changed(client, leader_a, lan_target):
    login(client, leader_a)
    for url in dashboard_pages(lan_target):
        html = client.get(url).content.decode()
        assert "Số liệu đến: 09:00 15/01/2018." in html, url
        assert "Số liệu tạm thời: còn 1 đơn vị chưa báo cáo." in html, url


def test_it_drops_the_provisional_mark_once_every_agency_reported(client, leader_a, lan_target,
                                                                  agencies_a, indicator):
    make_result(agencies_a["91-H900"], indicator("LAN"), value=0)
    login(client, leader_a)
    for url in dashboard_pages(lan_target):
        html = client.get(url).content.decode()
        assert "Số liệu tạm thời" not in html, url
        assert "Số liệu đến: " in html, url


def test_it_says_when_in_english(client, leader_a, lan_target):
    login(client, leader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(dashboard_pages(lan_target)[0]).content.decode()
    assert "Figures as of 2018-01-15 09:00." in html
    assert "Provisional figures: 1 agency has not reported yet." in html
