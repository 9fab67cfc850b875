"""History for people: the admin's history names the agency of a report's entry, says its
states in Vietnamese and its times in Vietnam's time, and shows no raw field name."""

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Change, Result, Target
from plans.services.submissions import submission_approve, submission_submit

URL = reverse("admin:plans_change_changelist")
RAW_KEYS = ("state", "submitted_at", "approved_at", "approved_by", "return_reason",
            "reopened_at", "closed_at", "late")


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def approved(plan_a, agencies_a, indicator, officer_a):
    """Sở Nội vụ's report, submitted and approved."""
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department",
                          comparator=">=", value=50)
    snv = agencies_a["91-SNV"]
    Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=1)
    submitted = submission_submit(plan=plan_a, agency=snv, user=officer_a, expected_version=0)
    return submission_approve(plan=plan_a, agency=snv, user=officer_a,
                              expected_version=submitted.version)


def test_a_report_entry_names_the_agency_in_vietnamese_words(admin_client_, approved):
    html = admin_client_.get(URL).content.decode()

    assert "Báo cáo của Sở Nội vụ – " in html
    assert "trạng thái báo cáo: Đã gửi → Đã duyệt" in html
    # The approval's time, in Vietnam's time as the list's own column is.
    approved_at = timezone.localtime(approved.approved_at).strftime("%H:%M %d/%m/%Y")
    assert f"duyệt lúc: (trống) → {approved_at}" in html
    for key in RAW_KEYS:
        assert f"{key}:" not in html
    assert "+00:00" not in html and "+07:00" not in html


def test_the_entry_page_shows_no_raw_snapshot(admin_client_, approved):
    change = Change.objects.filter(new__state="approved").get()

    html = admin_client_.get(
        reverse("admin:plans_change_change", args=[change.pk])
    ).content.decode()

    assert "Báo cáo của Sở Nội vụ – " in html
    assert '"state"' not in html and "&quot;state&quot;" not in html
    assert "trạng thái báo cáo" in html


def test_a_plan_entry_says_its_status_in_words(admin_client_, plan_a, admin_user):
    Change.objects.create(plan=plan_a, channel="admin", changed_by=admin_user,
                          old={"status": "open", "closed_at": None},
                          new={"status": "closed", "closed_at": "2024-11-30T23:30:00+00:00"})

    html = admin_client_.get(URL).content.decode()

    assert "trạng thái: Đang thực hiện → Đã tổng kết" in html
    # 23:30 UTC is 06:30 the next day in Vietnam.
    assert "thời điểm tổng kết: (trống) → 06:30 01/12/2024" in html


def test_an_unknown_key_is_not_shown_raw(admin_client_, plan_a, admin_user):
    Change.objects.create(plan=plan_a, channel="admin", changed_by=admin_user,
                          old={"mystery_field": 1}, new={"mystery_field": 2})

    html = admin_client_.get(URL).content.decode()

    assert "mystery_field" not in html
    assert "một trường khác: 1 → 2" in html


def test_naming_the_agencies_costs_one_query_per_page(admin_client_, approved, plan_a,
                                                       agencies_a, officer_a,
                                                       django_assert_num_queries):
    admin_client_.get(URL)
    # The history's six (tests/plans/test_admin_history.py), and the agencies its report
    # entries name.
    with django_assert_num_queries(7):
        admin_client_.get(URL)
    stttt = agencies_a["91-STTTT"]
    submission_submit(plan=plan_a, agency=stttt, user=officer_a, expected_version=0)
    with django_assert_num_queries(7):
        admin_client_.get(URL)
