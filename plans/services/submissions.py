"""An agency's report for a plan: submit, approve, return with a reason, reopen with a reason.

Every transition locks the agency's Submission row (created under the lock on a first
submission), checks who asks, the plan, the current state and the version the person saw, then
writes the row and one history entry (plans.services.history). While a report is approved its
figures refuse every change (:func:`approved_agencies_locked`, called by every path that writes
results) until an officer reopens it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import Agency, Change, Plan, Profile, Result, Submission
from plans.policy.access import may_report_for, provinces_for_user, role_of
from plans.rules.digest import DIGEST_FIELDS, results_digest
from plans.services.history import change_record, submission_snapshot
from plans.words.wording import plan_closed_message, plan_draft_message

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


def approved_agencies_locked(*, plan_ids, agency_ids) -> dict[tuple[int, int], bool]:
    """Return {(plan id, agency id): approved} for the submissions of those plans and agencies.

    The rows are locked until the caller's transaction ends, whatever their state, so that an
    approval and a write of the same agency's figures cannot interleave: whichever comes second
    sees the other's outcome. Call inside ``transaction.atomic``.
    """
    if not plan_ids or not agency_ids:
        return {}
    rows = (
        Submission.objects.select_for_update()
        .filter(plan_id__in=set(plan_ids), agency_id__in=set(agency_ids))
        .order_by("pk")
        .values_list("plan_id", "agency_id", "state")
    )
    return {(plan_id, agency_id): state == State.APPROVED for plan_id, agency_id, state in rows}


def _may_review(user, plan: Plan) -> bool:
    """Return True if ``user`` may approve, return and reopen reports of ``plan``'s province."""
    if role_of(user) not in (Profile.Role.OFFICER, Profile.Role.ADMIN):
        return False
    return provinces_for_user(user).filter(pk=plan.province_id).exists()


def _transition(*, plan: Plan, agency: Agency, user, expected_version: int, create: bool):
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
        "agency", "submitted_by", "approved_by", "returned_by", "reopened_by"
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


def _save(submission: Submission, *, old: dict | None, user, channel: str, fields: list[str]):
    submission.version = F("version") + 1
    submission.save(update_fields=[*fields, "state", "version"])
    submission.refresh_from_db(fields=["version"])
    change_record(
        subject=submission, user=user, channel=channel, old=old,
        new=submission_snapshot(submission),
    )
    return submission


def _reason(reason: str, *, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise SubmissionRefused(missing)
    return reason


def submission_submit(
    *, plan: Plan, agency: Agency, user, expected_version: int,
    channel: str = Change.Channel.AGENCY,
) -> Submission:
    """Submit ``agency``'s report for ``plan``; late if after the deadline in Vietnam's date."""
    if not may_report_for(user, agency):
        raise PermissionDenied
    with transaction.atomic():
        submission = _transition(
            plan=plan, agency=agency, user=user, expected_version=expected_version, create=True
        )
        if submission.state == State.SUBMITTED:
            raise SubmissionRefused(
                _("Báo cáo của %(agency)s đã được gửi và đang chờ duyệt.")
                % {"agency": agency.name}
            )
        if submission.state == State.APPROVED:
            raise SubmissionRefused(
                _("Báo cáo của %(agency)s năm %(year)s đã được duyệt; không cần gửi lại.")
                % {"agency": agency.name, "year": plan.year}
            )
        old = submission_snapshot(submission) if submission.version else None
        now = timezone.now()
        submission.state = State.SUBMITTED
        submission.submitted_at, submission.submitted_by = now, user
        submission.late = bool(
            plan.report_deadline and timezone.localdate(now) > plan.report_deadline
        )
        return _save(
            submission, old=old, user=user, channel=channel,
            fields=["submitted_at", "submitted_by", "late"],
        )


def submission_approve(
    *, plan: Plan, agency: Agency, user, expected_version: int,
    channel: str = Change.Channel.AGENCY,
) -> Submission:
    """Approve ``agency``'s submitted report: its figures are locked until reopened."""
    if not _may_review(user, plan):
        raise PermissionDenied
    with transaction.atomic():
        submission = _transition(
            plan=plan, agency=agency, user=user, expected_version=expected_version, create=False
        )
        if submission is None or submission.state != State.SUBMITTED:
            raise SubmissionRefused(_not_submitted(agency, plan, submission, approve=True))
        old = submission_snapshot(submission)
        submission.state = State.APPROVED
        submission.approved_at, submission.approved_by = timezone.now(), user
        submission.approved_results_digest = agency_results_digest(
            agency_id=agency.pk, year=plan.year
        )
        return _save(
            submission, old=old, user=user, channel=channel,
            fields=["approved_at", "approved_by", "approved_results_digest"],
        )


def submission_return(
    *, plan: Plan, agency: Agency, user, expected_version: int, reason: str,
    channel: str = Change.Channel.AGENCY,
) -> Submission:
    """Return ``agency``'s submitted report with ``reason``; it may be submitted again."""
    if not _may_review(user, plan):
        raise PermissionDenied
    reason = _reason(reason, missing=_("Hãy ghi lý do trả lại báo cáo."))
    with transaction.atomic():
        submission = _transition(
            plan=plan, agency=agency, user=user, expected_version=expected_version, create=False
        )
        if submission is None or submission.state != State.SUBMITTED:
            raise SubmissionRefused(_not_submitted(agency, plan, submission, approve=False))
        old = submission_snapshot(submission)
        submission.state = State.RETURNED
        submission.returned_at, submission.returned_by = timezone.now(), user
        submission.return_reason = reason
        return _save(
            submission, old=old, user=user, channel=channel,
            fields=["returned_at", "returned_by", "return_reason"],
        )


def submission_reopen(
    *, plan: Plan, agency: Agency, user, expected_version: int, reason: str,
    channel: str = Change.Channel.AGENCY,
) -> Submission:
    """Reopen ``agency``'s approved report with ``reason``: its figures may change again.

    The time and digest of the approval stay, so that the status board can tell the figures
    changed since.
    """
    if not _may_review(user, plan):
        raise PermissionDenied
    reason = _reason(reason, missing=_("Hãy ghi lý do mở lại báo cáo."))
    with transaction.atomic():
        submission = _transition(
            plan=plan, agency=agency, user=user, expected_version=expected_version, create=False
        )
        if submission is None or submission.state != State.APPROVED:
            raise SubmissionRefused(
                _("Báo cáo của %(agency)s chưa được duyệt nên không cần mở lại.")
                % {"agency": agency.name}
            )
        old = submission_snapshot(submission)
        submission.state = State.DRAFT
        submission.reopened_at, submission.reopened_by = timezone.now(), user
        submission.reopen_reason = reason
        return _save(
            submission, old=old, user=user, channel=channel,
            fields=["reopened_at", "reopened_by", "reopen_reason"],
        )


def _not_submitted(
    agency: Agency, plan: Plan, submission: Submission | None, *, approve: bool
) -> str:
    """Return why a report that is not waiting for review cannot be approved or returned."""
    if submission is not None and submission.state == State.APPROVED:
        return _("Báo cáo của %(agency)s năm %(year)s đã được duyệt rồi.") % {
            "agency": agency.name, "year": plan.year,
        }
    # Whole sentences, not a verb slotted into one: other languages word them differently.
    if approve:
        return _("Báo cáo của %(agency)s chưa được gửi nên chưa thể duyệt.") % {
            "agency": agency.name
        }
    return _("Báo cáo của %(agency)s chưa được gửi nên chưa thể trả lại.") % {
        "agency": agency.name
    }
