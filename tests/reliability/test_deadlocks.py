"""Approvals race saves and evidence uploads of the same agency on PostgreSQL: never a 503.

Before, an approval locked the agency's report and then, writing its history entry, needed a
key-share lock on the plan (the entry's foreign key), while a save or an upload held the plan
for update and waited for the report: PostgreSQL broke the cycle by failing one of them
("deadlock detected"), answered 503. Now the writes lock the plan without blocking its key
(``FOR NO KEY UPDATE``), rows in one order (plan, reports by id, results by id), and a
deadlock or serialization failure left anyway is retried a few times before any refusal.

Each round submits the report, then starts together, each in its own thread and connection:
the officer's approval through its page, an upload through the evidence page (a second
officer session: a submitted report is frozen for its reporter), and a save of
a figure through the results service. Each ends as a success or a clear refusal (the report is
approved), never a server error. SQLite serialises writers, so there is nothing to race there.
"""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from plans.models import Change, Plan, Result, Submission
from plans.services.conflicts import retry_on_conflict
from plans.services.results import ResultsRefused, result_record
from plans.services.submissions import submission_reopen, submission_submit
from tests import evidence_files as files

ROUNDS = 12

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and deadlocks are PostgreSQL's; SQLite serialises every writer",
)


def in_thread(work, barrier, outcomes, name):
    try:
        barrier.wait(timeout=30)
        outcomes[name] = work()
    except Exception as exc:  # noqa: BLE001 - reported to the test thread below
        outcomes[name] = exc
    finally:
        connection.close()


def test_approvals_racing_saves_and_uploads_never_answer_503(
    world, officer_a, reporter_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = world.result.agency
    approve_url = reverse("plans:submission_approve", args=["91", 2017, agency.code])
    upload_url = reverse("plans:entry_evidence_add", args=["91", 2017, agency.code])
    officer, uploader = Client(raise_request_exception=False), Client(
        raise_request_exception=False
    )
    officer.force_login(officer_a)
    # The file comes from a second session of an officer: a submitted report is frozen for its
    # reporter (refused before any lock is taken), not for the province's officers, whose
    # upload takes the plan's and the report's locks as the approval does.
    uploader.force_login(officer_a)
    for number in range(ROUNDS):
        current = Submission.objects.filter(plan=world, agency=agency).first()
        submitted = submission_submit(plan=world, agency=agency, user=reporter_a,
                                      expected_version=current.version if current else 0)
        result = Result.objects.get(pk=world.result.pk)

        def approve(version=submitted.version):
            return officer.post(approve_url, {"version": version}).status_code

        def upload(number=number):
            return uploader.post(upload_url, {
                "file": SimpleUploadedFile(f"biên bản {number}.pdf", files.PDF),
                "indicator": "", "description": "",
            }).status_code

        def save(result=result):
            try:
                result_record(
                    agency=agency, indicator=result.indicator, year=2017, value=None,
                    numerator=result.numerator + 1, denominator=result.denominator, note=None,
                    user=officer_a, channel=Change.Channel.GRID, expected_version=result.version,
                )
            except ResultsRefused:
                return "refused"
            return "saved"

        barrier, outcomes = threading.Barrier(3), {}
        threads = [threading.Thread(target=in_thread, args=(work, barrier, outcomes, work.__name__))
                   for work in (approve, upload, save)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads), "a request never finished"
        # The approval went through (a redirect), the upload was stored or refused because the
        # report was approved (400), the save saved or was refused the same way.
        assert outcomes["approve"] == 302, outcomes
        assert outcomes["upload"] in (302, 400), outcomes
        assert outcomes["save"] in ("saved", "refused"), outcomes
        assert not any(isinstance(value, OperationalError) for value in outcomes.values())
        approved = Submission.objects.get(plan=world, agency=agency)
        assert approved.state == Submission.State.APPROVED
        submission_reopen(plan=world, agency=agency, user=officer_a,
                          expected_version=approved.version, reason="Vòng sau")


def test_a_deadlock_is_run_again_until_both_transactions_commit(plan_a, plan_b, caplog):
    """Two transactions lock two plans in opposite orders: PostgreSQL fails one, which is run
    again and commits after the other."""
    runs = {"ab": 0, "ba": 0}
    barrier = threading.Barrier(2)

    @retry_on_conflict
    def lock(first, second, name):
        runs[name] += 1
        with transaction.atomic():
            Plan.objects.select_for_update().get(pk=first.pk)
            if runs[name] == 1:
                barrier.wait(timeout=30)
            Plan.objects.select_for_update().get(pk=second.pk)
        return name

    outcomes = {}
    threads = [
        threading.Thread(target=in_thread, args=(lambda: lock(plan_a, plan_b, "ab"),
                                                 threading.Barrier(1), outcomes, "ab")),
        threading.Thread(target=in_thread, args=(lambda: lock(plan_b, plan_a, "ba"),
                                                 threading.Barrier(1), outcomes, "ba")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == {"ab": "ab", "ba": "ba"}
    assert sorted(runs.values()) == [1, 2]
    assert "deadlock detected; run 2 of 3" in caplog.text


def test_inside_a_callers_transaction_a_deadlock_is_not_run_again(plan_a, plan_b):
    """The caller's transaction is lost with the deadlock: only the caller may start again."""
    runs = []

    @retry_on_conflict
    def fails():
        runs.append(1)
        error = OperationalError("deadlock detected")
        # What psycopg2 raises, as Django wraps it.
        error.__cause__ = type("DeadlockDetected", (Exception,), {"pgcode": "40P01"})()
        raise error

    with pytest.raises(OperationalError), transaction.atomic():
        fails()
    assert runs == [1]
    with pytest.raises(OperationalError):
        fails()
    # Run again, up to three runs in all.
    assert runs == [1, 1, 1, 1]
