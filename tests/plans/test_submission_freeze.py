"""The reporting cycle as one table (plans.rules.cycle), and a submitted report frozen for its
reporter (issue 19, item 2).

The reporter of 91-SNV (``reporter_a``) submits; its save, clear and evidence are then refused
with the reason and a withdraw action (submitted → draft, recorded). An officer may still
correct the submitted report; the agency is then "changed since submission" on the status board,
in status.csv and on the agency page, with the old and new figures.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.forms.grid import make_token
from plans.models import Change, Evidence, Result, Submission
from plans.rules import cycle
from plans.selectors.status import agency_status, changes_since_submission
from plans.services.evidence import EvidenceRefused, evidence_add
from plans.services.results import ResultsRefused, result_clear, result_record
from plans.services.submissions import (
    SubmissionRefused,
    submission_approve,
    submission_reopen,
    submission_submit,
    submission_withdraw,
)
from tests import evidence_files as files
from tests.factories import make_target
from tests.plans.test_submissions import lan_result, snv

State = Submission.State
FROZEN = "Báo cáo của Sở Nội vụ năm 2017 đã được gửi và đang chờ duyệt"


__all__ = ["lan_result", "snv"]  # fixtures of the approval tests, used by name


@pytest.fixture
def submitted(plan_a, snv, reporter_a, lan_result):
    """91-SNV's report, submitted by its reporter with LAN = yes."""
    return submission_submit(plan=plan_a, agency=snv, user=reporter_a, expected_version=0)


def agency_url(name="entry_agency", *args):
    return reverse(f"plans:{name}", args=["91", 2017, "91-SNV", *args])


def record(snv, indicator, user, value, version):
    return result_record(
        agency=snv, indicator=indicator("LAN"), year=2017, value=value, numerator=None,
        denominator=None, note=None, user=user, channel="agency", expected_version=version,
    )


# The table -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "reports", "reviews", "moves"),
    [
        (State.NOT_STARTED, True, False, {"submit"}),
        (State.DRAFT, True, False, {"submit"}),
        (State.RETURNED, True, False, {"submit"}),
        (State.SUBMITTED, True, False, {"withdraw"}),
        (State.SUBMITTED, True, True, {"withdraw", "approve", "return"}),
        (State.SUBMITTED, False, True, {"approve", "return"}),
        (State.APPROVED, True, False, set()),
        (State.APPROVED, True, True, {"reopen"}),
        (State.DRAFT, False, False, set()),
    ],
)
def test_the_table_says_who_may_move_a_report_from_each_state(state, reports, reviews, moves):
    assert cycle.allowed_moves(state, reports=reports, reviews=reviews, plan_open=True) == moves


def test_nothing_moves_while_the_plan_is_not_open():
    assert cycle.allowed_moves(State.SUBMITTED, reports=True, reviews=True,
                               plan_open=False) == set()


@pytest.mark.parametrize(
    ("state", "reviews", "frozen"),
    [
        (State.APPROVED, True, True),
        (State.APPROVED, False, True),
        (State.SUBMITTED, False, True),
        (State.SUBMITTED, True, False),
        (State.DRAFT, False, False),
        (State.RETURNED, False, False),
        (None, False, False),
    ],
)
def test_the_table_says_whose_changes_a_state_refuses(state, reviews, frozen):
    assert cycle.figures_frozen(state, reviews=reviews) is frozen


def test_every_move_goes_to_a_stored_state_from_states_a_report_can_be_in():
    stored = {State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED}
    for transition in cycle.TRANSITIONS.values():
        assert transition.target in stored
        assert transition.sources <= set(State)
    assert cycle.UNSENT == {State.NOT_STARTED, State.DRAFT, State.RETURNED}


# Withdraw --------------------------------------------------------------------------------


def test_the_reporter_withdraws_a_submitted_report_and_it_is_recorded(
    plan_a, snv, reporter_a, submitted
):
    submission = submission_withdraw(plan=plan_a, agency=snv, user=reporter_a,
                                     expected_version=1)

    assert (submission.state, submission.version) == ("draft", 2)
    assert submission.withdrawn_by == reporter_a and submission.withdrawn_at is not None
    last = Change.objects.filter(submission=submission).order_by("-pk").first()
    assert (last.old["state"], last.new["state"], last.changed_by) == (
        "submitted", "draft", reporter_a
    )
    # Submitted again, it waits for review as before.
    again = submission_submit(plan=plan_a, agency=snv, user=reporter_a, expected_version=2)
    assert (again.state, again.version) == ("submitted", 3)


def test_only_a_submitted_report_can_be_withdrawn(plan_a, snv, reporter_a, officer_a, submitted):
    submission_approve(plan=plan_a, agency=snv, user=officer_a, expected_version=1)
    with pytest.raises(SubmissionRefused) as refused:
        submission_withdraw(plan=plan_a, agency=snv, user=reporter_a, expected_version=2)
    assert refused.value.message == "Báo cáo của Sở Nội vụ năm 2017 đã được duyệt rồi."
    submission_reopen(plan=plan_a, agency=snv, user=officer_a, expected_version=2, reason="Sửa")
    with pytest.raises(SubmissionRefused) as refused:
        submission_withdraw(plan=plan_a, agency=snv, user=reporter_a, expected_version=3)
    assert refused.value.message == (
        "Báo cáo của Sở Nội vụ chưa được gửi nên không có gì để rút lại."
    )


def test_a_leader_may_not_withdraw(plan_a, snv, leader_a, submitted):
    with pytest.raises(PermissionDenied):
        submission_withdraw(plan=plan_a, agency=snv, user=leader_a, expected_version=1)


def test_the_withdraw_address_answers_its_reporter_and_refuses_others(
    client, plan_a, snv, reporter_a, leader_a, officer_b, agencies_a, submitted
):
    url = agency_url("submission_withdraw")
    client.force_login(leader_a)
    assert client.post(url, {"version": "1"}).status_code == 403
    client.force_login(officer_b)
    assert client.post(url, {"version": "1"}).status_code == 404
    client.force_login(reporter_a)
    other = reverse("plans:submission_withdraw", args=["91", 2017, "91-STTTT"])
    assert client.post(other, {"version": "1"}).status_code == 403
    assert client.get(url).status_code == 405

    response = client.post(url, {"version": "1"})

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Đã rút lại báo cáo năm 2017 của Sở Nội vụ: có thể sửa rồi gửi lại." in page
    assert Submission.objects.get().state == "draft"


# Frozen for its reporter -------------------------------------------------------------------


def test_the_reporters_save_of_a_submitted_report_is_refused(snv, reporter_a, indicator,
                                                             submitted, lan_result):
    with pytest.raises(ResultsRefused) as refused:
        record(snv, indicator, reporter_a, 0, 1)
    assert FROZEN in str(refused.value) and "Rút lại để sửa" in str(refused.value)
    lan_result.refresh_from_db()
    assert (lan_result.value, lan_result.version) == (1, 1)


def test_the_reporters_clear_of_a_submitted_result_is_refused(reporter_a, submitted, lan_result):
    with pytest.raises(ResultsRefused) as refused:
        result_clear(result=lan_result, user=reporter_a, expected_version=1, channel="agency")
    assert FROZEN in refused.value.message
    assert Result.objects.filter(pk=lan_result.pk).exists()


def test_the_reporters_evidence_on_a_submitted_report_is_refused(
    settings, tmp_path, snv, reporter_a, submitted
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(EvidenceRefused) as refused:
        evidence_add(agency=snv, year=2017, indicator=None, file=SimpleUploadedFile(
            "a.pdf", files.PDF), original_name="a.pdf", description="", user=reporter_a)
    assert FROZEN in refused.value.message
    assert not Evidence.objects.exists()


def test_the_agency_page_shows_the_reporter_why_and_the_withdraw_button(
    client, snv, reporter_a, indicator, submitted, lan_result
):
    client.force_login(reporter_a)
    page = client.get(agency_url()).content.decode()
    assert FROZEN in page
    assert agency_url("submission_withdraw") in page and "Rút lại để sửa" in page
    assert "Lưu các ô đã sửa" not in page and " disabled" in page

    prefix = f"r{snv.pk}-{indicator('LAN').pk}"
    response = client.post(
        agency_url(), {f"{prefix}-o": make_token(lan_result), f"{prefix}-v": "0"}
    )

    assert response.status_code == 400
    assert FROZEN in response.content.decode()
    lan_result.refresh_from_db()
    assert lan_result.value == 1


def test_after_withdrawing_the_reporter_saves_and_submits_again(
    plan_a, snv, reporter_a, indicator, submitted, lan_result
):
    submission_withdraw(plan=plan_a, agency=snv, user=reporter_a, expected_version=1)
    record(snv, indicator, reporter_a, 0, 1)
    submission_submit(plan=plan_a, agency=snv, user=reporter_a, expected_version=2)

    status = agency_status(plan_a, snv)
    assert status.state == "submitted" and not status.changed_since_submission


# Officers correct; the change shows ---------------------------------------------------------


def test_an_officer_corrects_a_submitted_report_and_it_shows_as_changed(
    client, plan_a, snv, officer_a, indicator, submitted, lan_result
):
    make_target(plan_a, indicator("LAN"), "department", 100)
    assert not agency_status(plan_a, snv).changed_since_submission

    record(snv, indicator, officer_a, 0, 1)

    status = agency_status(plan_a, snv)
    assert status.state == "submitted" and status.changed_since_submission
    [change] = changes_since_submission(plan_a, status)
    assert (change.indicator.code, change.old["value"], change.new["value"]) == ("LAN", 1, 0)
    client.force_login(officer_a)
    page = client.get(agency_url()).content.decode()
    assert "Số liệu đã thay đổi sau khi gửi" in page
    assert "<del>Có</del> → <ins>Không</ins>" in page
    board = client.get(reverse("plans:status_board", args=["91", 2017])).content.decode()
    assert "đã thay đổi sau khi gửi" in board
    csv = client.get(reverse("plans:status_csv", args=["91", 2017])).content.decode()
    snv_row = next(line for line in csv.split("\n") if line.startswith("91-SNV,"))
    assert snv_row.endswith(",false,true")


def test_a_change_back_to_the_submitted_figures_is_no_change(
    plan_a, snv, officer_a, indicator, submitted
):
    record(snv, indicator, officer_a, 0, 1)
    record(snv, indicator, officer_a, 1, 2)
    status = agency_status(plan_a, snv)
    assert not status.changed_since_submission
    assert changes_since_submission(plan_a, status) == []


def test_a_reopened_reports_corrections_show_as_changed_since_submission(
    plan_a, snv, officer_a, indicator, submitted
):
    submission_approve(plan=plan_a, agency=snv, user=officer_a, expected_version=1)
    submission_reopen(plan=plan_a, agency=snv, user=officer_a, expected_version=2,
                      reason="Sai số liệu")
    record(snv, indicator, officer_a, 0, 1)
    status = agency_status(plan_a, snv)
    assert status.state == "draft"
    assert status.changed_since_submission and status.changed_since_approval


def test_a_cleared_result_shows_as_changed_since_submission(
    plan_a, snv, officer_a, submitted, lan_result
):
    result_clear(result=lan_result, user=officer_a, expected_version=1, channel="agency")
    status = agency_status(plan_a, snv)
    [change] = changes_since_submission(plan_a, status)
    assert (change.indicator.code, change.old["value"], change.new) == ("LAN", 1, None)


def test_a_report_submitted_before_its_figures_were_kept_is_not_marked(
    plan_a, snv, officer_a, indicator, submitted
):
    Submission.objects.update(submitted_results_digest="")
    record(snv, indicator, officer_a, 0, 1)
    assert not agency_status(plan_a, snv).changed_since_submission


def test_the_agency_page_reads_the_changes_in_constant_queries(
    client, plan_a, snv, officer_a, indicator, submitted, django_assert_num_queries
):
    record(snv, indicator, officer_a, 0, 1)
    client.force_login(officer_a)
    client.get(agency_url())
    # session, user, profile, province, plan, province again and agency, the agency's
    # namesakes, the targets, the indicators, the agency's results, its submission and figures
    # (the status), the history since submission, the evidence files and their storage used
    # against the quotas: whatever the number of changes.
    with django_assert_num_queries(16):
        client.get(agency_url())
    for code in ("FIBRE", "WEB_PORTAL", "ONE_STOP_SHOP"):
        result_record(
            agency=snv, indicator=indicator(code), year=2017, value=1, numerator=None,
            denominator=None, note=None, user=officer_a, channel="grid", expected_version=0,
        )
    assert len(changes_since_submission(plan_a, agency_status(plan_a, snv))) == 4
    with django_assert_num_queries(16):
        client.get(agency_url())
