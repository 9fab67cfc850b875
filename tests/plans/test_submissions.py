"""Agencies' reports: submit, approve, return and reopen, who may, and the approved lock.

An approved agency's figures refuse every change — grid, agency page, upload, import_results,
admin — until an officer reopens its report.
"""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from plans.forms.grid import make_token
from plans.models import Change, Plan, Result, Submission
from plans.services.imports import results_import
from plans.services.results import ResultsRefused, result_record
from plans.services.submissions import (
    SubmissionRefused,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_submit,
)
from tests.factories import csv_file, make_result

LOCKED = "Số liệu của Sở Nội vụ năm 2017 đã được duyệt; cần mở lại trước khi sửa."
HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note"


@pytest.fixture
def snv(agencies_a):
    return agencies_a["91-SNV"]


@pytest.fixture
def lan_result(snv, indicator):
    return make_result(snv, indicator("LAN"), value=1)


def submit(plan, agency, user, version=0):
    return submission_submit(plan=plan, agency=agency, user=user, expected_version=version)


def approved(plan_a, snv, officer_a):
    submission = submit(plan_a, snv, officer_a)
    return submission_approve(plan=plan_a, agency=snv, user=officer_a,
                              expected_version=submission.version)


# Transitions ---------------------------------------------------------------------------


def test_it_submits_approves_and_records_each_step(plan_a, snv, officer_a, lan_result):
    submission = submit(plan_a, snv, officer_a)
    assert (submission.state, submission.version, submission.late) == ("submitted", 1, False)
    assert submission.submitted_by == officer_a

    submission = submission_approve(plan=plan_a, agency=snv, user=officer_a, expected_version=1)

    assert (submission.state, submission.version) == ("approved", 2)
    assert submission.approved_by == officer_a and submission.approved_at is not None
    assert submission.approved_results_digest
    changes = list(Change.objects.filter(submission=submission).order_by("pk"))
    assert [(c.old and c.old["state"], c.new["state"]) for c in changes] == [
        (None, "submitted"), ("submitted", "approved"),
    ]
    assert all(c.plan_id == plan_a.pk and c.changed_by == officer_a for c in changes)


def test_it_returns_with_a_reason_and_takes_the_report_again(plan_a, snv, officer_a):
    submit(plan_a, snv, officer_a)
    submission = submission_return(plan=plan_a, agency=snv, user=officer_a, expected_version=1,
                                   reason="  Thiếu số liệu LAN  ")
    assert (submission.state, submission.return_reason) == ("returned", "Thiếu số liệu LAN")
    last = Change.objects.filter(submission=submission).order_by("pk").last()
    assert (last.old["state"], last.new["return_reason"]) == ("submitted", "Thiếu số liệu LAN")

    again = submit(plan_a, snv, officer_a, version=2)

    assert (again.state, again.version) == ("submitted", 3)


def test_it_refuses_a_return_without_a_reason(plan_a, snv, officer_a):
    submit(plan_a, snv, officer_a)
    with pytest.raises(SubmissionRefused, match="lý do trả lại"):
        submission_return(plan=plan_a, agency=snv, user=officer_a, expected_version=1,
                          reason="   ")
    assert Submission.objects.get().state == "submitted"


def test_it_refuses_a_second_approval_and_a_submission_of_an_approved_agency(
    plan_a, snv, officer_a
):
    approved(plan_a, snv, officer_a)
    with pytest.raises(SubmissionRefused, match="đã được duyệt rồi"):
        submission_approve(plan=plan_a, agency=snv, user=officer_a, expected_version=2)
    with pytest.raises(SubmissionRefused, match="đã được duyệt; không cần gửi lại"):
        submit(plan_a, snv, officer_a, version=2)
    assert Submission.objects.get().version == 2
    assert Change.objects.filter(submission__isnull=False).count() == 2


def test_it_refuses_to_approve_or_return_what_was_not_submitted(plan_a, snv, officer_a):
    with pytest.raises(SubmissionRefused, match="chưa được gửi"):
        submission_approve(plan=plan_a, agency=snv, user=officer_a, expected_version=0)
    with pytest.raises(SubmissionRefused, match="chưa được gửi"):
        submission_return(plan=plan_a, agency=snv, user=officer_a, expected_version=0,
                          reason="x")
    assert not Submission.objects.exists()


def test_it_reopens_an_approved_report_with_a_reason_only(plan_a, snv, officer_a):
    approved(plan_a, snv, officer_a)
    with pytest.raises(SubmissionRefused, match="lý do mở lại"):
        submission_reopen(plan=plan_a, agency=snv, user=officer_a, expected_version=2, reason="")

    submission = submission_reopen(plan=plan_a, agency=snv, user=officer_a, expected_version=2,
                                   reason="Sửa số liệu LAN")

    assert (submission.state, submission.reopen_reason) == ("draft", "Sửa số liệu LAN")
    # The approval is kept, to tell later whether the figures changed since.
    assert submission.approved_at is not None


def test_of_two_officers_at_once_one_wins_and_the_other_is_told(
    plan_a, snv, officer_a, admin_user
):
    submit(plan_a, snv, officer_a)
    # Both opened the page at version 1.
    submission_approve(plan=plan_a, agency=snv, user=officer_a, expected_version=1)
    with pytest.raises(SubmissionRefused, match="người khác thay đổi.*Đã duyệt"):
        submission_return(plan=plan_a, agency=snv, user=admin_user, expected_version=1,
                          reason="Sai")
    submission = Submission.objects.get()
    assert (submission.state, submission.version, submission.return_reason) == (
        "approved", 2, ""
    )


def test_a_submission_after_the_deadline_in_vietnam_is_late(plan_a, snv, officer_a):
    today = timezone.localdate()
    Plan.objects.filter(pk=plan_a.pk).update(report_deadline=today - datetime.timedelta(days=1))
    plan_a.refresh_from_db()
    assert submit(plan_a, snv, officer_a).late


def test_a_submission_on_the_deadline_is_on_time(plan_a, snv, officer_a):
    Plan.objects.filter(pk=plan_a.pk).update(report_deadline=timezone.localdate())
    plan_a.refresh_from_db()
    assert not submit(plan_a, snv, officer_a).late


def test_leaders_and_other_provinces_may_not_act(plan_a, snv, officer_a, officer_b, leader_a):
    for user in (leader_a, officer_b):
        with pytest.raises(PermissionDenied):
            submit(plan_a, snv, user)
    submit(plan_a, snv, officer_a)
    for user in (leader_a, officer_b):
        with pytest.raises(PermissionDenied):
            submission_approve(plan=plan_a, agency=snv, user=user, expected_version=1)
    assert Submission.objects.get().state == "submitted"


def test_a_closed_plan_takes_no_submission(plan_a, snv, officer_a):
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.CLOSED)
    plan_a.refresh_from_db()
    with pytest.raises(SubmissionRefused, match="tổng kết"):
        submit(plan_a, snv, officer_a)
    assert not Submission.objects.exists()


# The views -----------------------------------------------------------------------------


def url(name, agency="91-SNV"):
    return reverse(f"plans:submission_{name}", args=["91", 2017, agency])


def flash(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_agency_page_submits_and_an_officer_approves(client, plan_a, snv, officer_a):
    client.force_login(officer_a)
    page = client.get(reverse("plans:entry_agency", args=["91", 2017, "91-SNV"]))
    assert "Gửi báo cáo" in page.content.decode()

    response = client.post(url("submit"), {"version": "0"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Đã gửi báo cáo năm 2017 của Sở Nội vụ." in page
    assert "Duyệt báo cáo" in page and "Trả lại báo cáo" in page

    client.post(url("approve"), {"version": "1"})
    page = client.get(reverse("plans:entry_agency", args=["91", 2017, "91-SNV"]))
    assert LOCKED in page.content.decode()
    assert "Mở lại để sửa số liệu" in page.content.decode()
    assert Submission.objects.get().state == "approved"


def test_the_views_tell_a_refusal_and_change_nothing(client, plan_a, snv, officer_a):
    client.force_login(officer_a)
    client.post(url("submit"), {"version": "0"})
    response = client.post(url("return"), {"version": "1", "reason": ""})
    assert "Hãy ghi lý do trả lại báo cáo." in flash(response)
    assert Submission.objects.get().state == "submitted"


def test_a_leader_gets_403_and_a_stranger_404(client, plan_a, snv, leader_a, officer_b):
    client.force_login(leader_a)
    assert client.post(url("submit"), {"version": "0"}).status_code == 403
    assert client.post(url("approve"), {"version": "0"}).status_code == 403
    client.force_login(officer_b)
    assert client.post(url("approve"), {"version": "0"}).status_code == 404
    assert not Submission.objects.exists()


def test_the_transitions_answer_post_only(client, plan_a, snv, officer_a):
    client.force_login(officer_a)
    assert client.get(url("approve")).status_code == 405


# The approved lock, through every path -------------------------------------------------


@pytest.fixture
def locked(plan_a, snv, officer_a, lan_result):
    approved(plan_a, snv, officer_a)
    return lan_result


def test_the_grid_refuses_an_approved_agencys_figures(client, officer_a, locked, snv, indicator):
    client.force_login(officer_a)
    prefix = f"r{snv.pk}-{indicator('LAN').pk}"
    response = client.post(
        reverse("plans:entry_grid", args=["91", 2017, "department"]),
        {f"{prefix}-o": make_token(locked), f"{prefix}-v": "0"},
    )
    assert response.status_code == 400
    assert LOCKED in response.content.decode()
    locked.refresh_from_db()
    assert (locked.value, locked.version) == (1, 1)


def test_the_agency_page_and_the_admin_refuse_too(locked, snv, officer_a, admin_user, indicator):
    for user, channel in ((officer_a, "agency"), (admin_user, "admin")):
        with pytest.raises(ResultsRefused) as refused:
            result_record(agency=snv, indicator=indicator("LAN"), year=2017, value=0,
                          numerator=None, denominator=None, note=None, user=user,
                          channel=channel, expected_version=1)
        assert LOCKED in str(refused.value)
    locked.refresh_from_db()
    assert locked.value == 1


def test_the_admin_may_not_delete_an_approved_result(client, locked, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:plans_result_delete", args=[locked.pk]),
                           {"post": "yes"}, follow=True)
    assert LOCKED in response.content.decode()
    assert Result.objects.filter(pk=locked.pk).exists()


def test_clearing_an_approved_result_is_refused(client, officer_a, locked):
    client.force_login(officer_a)
    response = client.post(
        reverse("plans:entry_result_clear", args=["91", 2017, "91-SNV", "LAN"]), {"version": "1"}
    )
    assert response.status_code == 409
    assert LOCKED in response.content.decode()
    assert Result.objects.filter(pk=locked.pk).exists()


def test_import_results_refuses_rows_of_an_approved_agency(locked, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(HEADER, "2017,91-SNV,LAN,0,,,"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_results", str(path), stderr=err)
    assert LOCKED in err.getvalue()
    locked.refresh_from_db()
    assert locked.value == 1


def test_the_upload_refuses_rows_of_an_approved_agency(client, officer_a, locked):
    client.force_login(officer_a)
    upload = SimpleUploadedFile("results.csv", csv_file(HEADER, "2017,91-SNV,LAN,0,,,"),
                                content_type="text/csv")
    response = client.post(reverse("plans:entry_upload", args=["91", 2017]), {"file": upload},
                           follow=True)
    assert LOCKED in response.content.decode()
    locked.refresh_from_db()
    assert locked.value == 1


def test_unchanged_rows_of_an_approved_agency_pass(locked, officer_a):
    report = results_import(source=io.BytesIO(csv_file(HEADER, "2017,91-SNV,LAN,1,,,")),
                            user=officer_a)
    assert (report.unchanged, report.updated) == (1, 0)


def test_reopening_lets_the_figures_change(locked, plan_a, snv, officer_a, indicator):
    submission_reopen(plan=plan_a, agency=snv, user=officer_a, expected_version=2, reason="Sửa")
    result_record(agency=snv, indicator=indicator("LAN"), year=2017, value=0, numerator=None,
                  denominator=None, note=None, user=officer_a, channel="agency",
                  expected_version=1)
    locked.refresh_from_db()
    assert locked.value == 0


# Deadlines ------------------------------------------------------------------------------


def test_the_year_page_shows_the_deadlines(client, officer_a, plan_a):
    Plan.objects.filter(pk=plan_a.pk).update(
        report_deadline=datetime.date(2017, 12, 15), data_cutoff=datetime.date(2017, 11, 30)
    )
    client.force_login(officer_a)
    html = client.get(reverse("plans:entry_year", args=["91", 2017])).content.decode()
    assert "Hạn gửi báo cáo: 15/12/2017 · Ngày chốt số liệu: 30/11/2017" in html


def test_the_dashboard_plan_page_shows_the_deadlines(client, officer_a, plan_a):
    Plan.objects.filter(pk=plan_a.pk).update(report_deadline=datetime.date(2017, 12, 15))
    client.force_login(officer_a)
    html = client.get(reverse("plans:dashboard_plan", args=["91", 2017])).content.decode()
    assert "Hạn gửi báo cáo: 15/12/2017" in html
    assert "Ngày chốt số liệu" not in html
