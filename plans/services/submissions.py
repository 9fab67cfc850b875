"""An agency's report for a plan: submit, withdraw, approve, return with a reason, reopen with a
reason, all made by :func:`submission_move` from the table of plans.rules.cycle.

Every transition locks the agency's Submission row (created under the lock on a first
submission), checks who asks, the plan, the current state and the version the person saw, then
writes the row and one history entry (plans.services.history). While a report is approved its
figures refuse every change (:func:`approved_agencies_locked`, called by every path that writes
results) until an officer reopens it; while it is submitted they refuse its reporter's changes
(:func:`frozen_agencies_locked`) until the reporter withdraws it.
"""


from collections.abc import Iterable
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import Agency, Change, Plan, Result, Submission
from plans.policy.access import is_reporter, may_report_for, may_review
from plans.rules import cycle
from plans.rules.digest import DIGEST_FIELDS, results_digest
from plans.services.history import change_record, submission_snapshot
from plans.words.messages import (
    approved_lock_message,
    move_refused_message,
    plan_closed_message,
    plan_draft_message,
    reason_missing_message,
    submitted_lock_message,
)

State = Submission.State


class SubmissionRefused(Exception):
    """Nothing changed: the transition is not allowed now; ``message`` says why."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def agency_results_digest(*, agency_id: int, year: int) -> str:
    """Return the digest of ``agency_id``'s figures for ``year`` as stored now."""
    return results_digest(
        Result.objects.filter(agency_id=agency_id, year=year)
        .order_by()
        .values_list(*DIGEST_FIELDS)
    )


def _states_locked(
    *, plan_ids: Iterable[int], agency_ids: Iterable[int],
) -> dict[tuple[int, int], str]:
    """Return {(plan id, agency id): state} for the submissions of those plans and agencies.

    The rows are locked until the caller's transaction ends, whatever their state, so that a
    transition and a write of the same agency's figures cannot interleave: whichever comes
    second sees the other's outcome. Call inside ``transaction.atomic``.
    """
    if not plan_ids or not agency_ids:
        return {}
    rows = (
        Submission.objects.select_for_update()
        .filter(plan_id__in=set(plan_ids), agency_id__in=set(agency_ids))
        .order_by("pk")
        .values_list("plan_id", "agency_id", "state")
    )
    return {(plan_id, agency_id): state for plan_id, agency_id, state in rows}


def approved_agencies_locked(
    *, plan_ids: Iterable[int], agency_ids: Iterable[int],
) -> dict[tuple[int, int], bool]:
    """Return {(plan id, agency id): approved} for the submissions of those plans and agencies,
    locked as :func:`frozen_agencies_locked` locks them."""
    states = _states_locked(plan_ids=plan_ids, agency_ids=agency_ids)
    return {key: state == State.APPROVED for key, state in states.items()}


def frozen_agencies_locked(
    *, plan_ids: Iterable[int], agency_ids: Iterable[int], user: User | None,
) -> dict[tuple[int, int], str]:
    """Return {(plan id, agency id): state} for the agencies whose figures and evidence
    ``user`` may not change now (plans.rules.cycle.figures_frozen): approved, or submitted and
    ``user`` their reporter (:func:`frozen_message` says why). The rows are locked until the
    caller's transaction ends.
    """
    reviews = user is None or not is_reporter(user)
    states = _states_locked(plan_ids=plan_ids, agency_ids=agency_ids)
    return {
        key: state for key, state in states.items() if cycle.figures_frozen(state, reviews=reviews)
    }


def frozen_message(state: str, *, agency_name: str, year: int) -> str:
    """Return why a report in ``state`` (frozen) takes no change: approved or submitted."""
    if state == State.APPROVED:
        return approved_lock_message(agency_name, year)
    return submitted_lock_message(agency_name, year)


def _locked_submission(
    *, plan: Plan, agency: Agency, user: User | None, expected_version: int, create: bool
) -> Submission | None:
    """Return the agency's Submission locked (a new unsaved-state row if ``create``), or None.

    Raise SubmissionRefused when the plan takes no changes or the row changed since
    ``expected_version`` (0: the person saw no submission).
    """
    if agency.province_id != plan.province_id:
        raise PermissionDenied
    if plan.is_closed:
        raise SubmissionRefused(plan_closed_message(plan, reader=user))
    if plan.status == Plan.Status.DRAFT:
        raise SubmissionRefused(plan_draft_message(plan))
    # Only the submission's own row is locked: PostgreSQL cannot lock the nullable side of the
    # outer joins to its people.
    locked = Submission.objects.select_for_update(of=("self",)).select_related(
        "agency", "submitted_by", "approved_by", "returned_by", "reopened_by", "withdrawn_by"
    )
    submission: Submission | None
    if create:
        # Version 0 until its first transition, which the person saw as "no submission".
        submission, _created = locked.get_or_create(
            plan=plan, agency=agency, defaults={"state": State.DRAFT, "version": 0}
        )
    else:
        submission = locked.filter(plan=plan, agency=agency).first()
    seen = submission.version if submission is not None else 0
    if seen != expected_version:
        state = submission.get_state_display() if submission is not None else State.DRAFT.label
        raise SubmissionRefused(
            _(
                "Báo cáo của %(agency)s vừa được người khác thay đổi sau khi bạn mở trang "
                "(trạng thái hiện tại: %(state)s). Chưa có gì thay đổi; hãy xem lại rồi làm lại "
                "nếu vẫn cần."
            ) % {"agency": agency.name, "state": state}
        )
    return submission


def submission_move(
    *, transition: cycle.Transition, plan: Plan, agency: Agency, user: User | None,
    expected_version: int, reason: str = "", channel: str = Change.Channel.AGENCY,
) -> Submission:
    """Make ``transition`` on ``agency``'s report for ``plan``, as the table of
    plans.rules.cycle allows it: who may, from which states, to which, with a reason or not.

    Lock the row, check the version the person saw, stamp who and when, save, record one
    history entry. Raise PermissionDenied for a person the move is not for, SubmissionRefused
    (nothing changed) when the move is not allowed now.
    """
    if transition.actor == cycle.Actor.REPORTER:
        permitted = may_report_for(user, agency)
    else:
        permitted = may_review(user, plan)
    if not permitted:
        raise PermissionDenied
    if transition.needs_reason:
        reason = (reason or "").strip()
        if not reason:
            raise SubmissionRefused(reason_missing_message(transition.name))
    with transaction.atomic():
        # Only a first submission creates the row: every other move needs one.
        submission = _locked_submission(
            plan=plan, agency=agency, user=user, expected_version=expected_version,
            create=transition is cycle.SUBMIT,
        )
        state = submission.state if submission is not None else State.NOT_STARTED
        if submission is None or state not in transition.sources:
            raise SubmissionRefused(
                move_refused_message(transition.name, state, agency_name=agency.name,
                                     year=plan.year)
            )
        old = submission_snapshot(submission) if submission.version else None
        now = timezone.now()
        submission.state = transition.target
        setattr(submission, f"{transition.stamp}_at", now)
        setattr(submission, f"{transition.stamp}_by", user)
        fields = [f"{transition.stamp}_at", f"{transition.stamp}_by"]
        if transition.needs_reason:
            setattr(submission, transition.reason_field, reason)
            fields.append(transition.reason_field)
        if transition is cycle.SUBMIT:
            submission.late = bool(
                plan.report_deadline and timezone.localdate(now) > plan.report_deadline
            )
            submission.submitted_results_digest = agency_results_digest(
                agency_id=agency.pk, year=plan.year
            )
            fields += ["late", "submitted_results_digest"]
        elif transition is cycle.APPROVE:
            # The time and digest of an approval stay when it is reopened, so that the status
            # board can tell the figures changed since.
            submission.approved_results_digest = agency_results_digest(
                agency_id=agency.pk, year=plan.year
            )
            fields.append("approved_results_digest")
        submission.version = F("version") + 1
        submission.save(update_fields=[*fields, "state", "version"])
        submission.refresh_from_db(fields=["version"])
        change_record(
            subject=submission, user=user, channel=channel, old=old,
            new=submission_snapshot(submission),
        )
        return submission


# The moves by name, for the views, the API and the tests: submission_move with its transition.
submission_submit = partial(submission_move, transition=cycle.SUBMIT)
submission_withdraw = partial(submission_move, transition=cycle.WITHDRAW)
submission_approve = partial(submission_move, transition=cycle.APPROVE)
submission_return = partial(submission_move, transition=cycle.RETURN)
submission_reopen = partial(submission_move, transition=cycle.REOPEN)
