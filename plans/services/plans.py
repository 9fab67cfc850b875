"""Writes to plans and their targets: copy to the next year, close, reopen, and the audit of
edits made in the admin.

Every function here is keyword-only, runs in one transaction and leaves a ``Change`` row saying
who did what, when, through which channel, with the old and new values.
"""


from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.models import MAX_YEAR, Change, Plan, Profile, Result, Target
from plans.policy.access import can_write, provinces_for_user, role_of
from plans.services.history import (
    ChangeEntry,
    change_record,
    changes_record,
    plan_snapshot,
    result_snapshot,
    target_snapshot,
)
from plans.services.submissions import approved_agencies_locked
from plans.words.messages import approved_lock_message


def plan_copy_to_next_year(
    *, plan: Plan, user: User | None, channel: str = Change.Channel.ADMIN,
) -> Plan:
    """Create the province's plan for the year after ``plan`` with copies of its targets.

    The copy is a draft with no title, document number or date (a new year has a new document;
    until it is named, the default title names the new year); results are not copied, nor the
    targets' notes (they speak of the year they were written for). Refuse
    with ValidationError if that year is out of range or already has a plan; nothing is
    written then.
    """
    next_year = plan.year + 1
    province = plan.province
    refused = ValidationError(
        _("Không sao chép được: tỉnh %(province)s đã có kế hoạch năm %(year)s.")
        % {"province": province.name, "year": next_year},
        code="exists",
    )
    if next_year > MAX_YEAR:
        raise ValidationError(
            _("Không sao chép được: năm %(year)s vượt quá năm %(max)s.")
            % {"year": next_year, "max": MAX_YEAR},
            code="year_range",
        )
    if Plan.objects.filter(province=province, year=next_year).exists():
        raise refused
    targets = list(plan.targets.select_related("indicator").order_by("position", "pk"))
    try:
        with transaction.atomic():
            copy = Plan.objects.create(
                province=province,
                year=next_year,
                tasks=plan.tasks,
                is_sample=plan.is_sample,
                status=Plan.Status.DRAFT,
            )
            copies = Target.objects.bulk_create(
                Target(
                    plan=copy,
                    indicator=target.indicator,
                    tiers=target.tiers,
                    comparator=target.comparator,
                    value=target.value,
                    unit=target.unit,
                    position=target.position,
                )
                for target in targets
            )
            changes_record(
                changes=[
                    (copy, None, {"status": copy.status, "copied_from": plan.year}),
                    *((target, None, target_snapshot(target)) for target in copies),
                ],
                user=user,
                channel=channel,
            )
    except IntegrityError as exc:
        # Someone created that year's plan between our check and our insert.
        raise refused from exc
    return copy


def plans_copy_to_next_year(
    *, plans: Iterable[Plan], user: User | None, channel: str = Change.Channel.ADMIN,
) -> list[Plan]:
    """Copy every plan of ``plans`` to its next year, all or nothing.

    Raise ValidationError listing every refused plan; then no plan is copied.
    """
    plans = list(plans)
    copies, errors = [], []
    with transaction.atomic():
        for plan in plans:
            try:
                copies.append(plan_copy_to_next_year(plan=plan, user=user, channel=channel))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            # Undo the copies already made when this block ends.
            transaction.set_rollback(True)
    if errors:
        raise ValidationError(errors)
    return copies


def _lock(plan: Plan) -> Plan:
    """Return ``plan`` re-read and locked for the rest of the transaction."""
    return (
        Plan.objects.select_for_update(of=("self",), no_key=True)
        .select_related("closed_by")
        .get(pk=plan.pk)
    )


def _copy_status(source: Plan, plan: Plan) -> None:
    plan.status = source.status
    plan.closed_by = source.closed_by
    plan.closed_at = source.closed_at
    plan.pending_at_close = source.pending_at_close


def plan_close(
    *, plan: Plan, user: User | None, channel: str = Change.Channel.ADMIN,
    pending_acknowledged: bool = False,
) -> Plan:
    """Close ``plan`` after its year-end review: its results become read-only.

    Only officers of the plan's province and admins may close; raise PermissionDenied otherwise,
    and ValidationError if the plan is already closed, or if some in-scope report is not
    approved and the person did not say (``pending_acknowledged``) that they close anyway. The
    closed plan keeps, by state, the agencies whose reports were not approved.
    """
    if not can_write(user) or not provinces_for_user(user).filter(pk=plan.province_id).exists():
        raise PermissionDenied(_("Bạn không có quyền tổng kết kế hoạch này."))
    with transaction.atomic():
        locked = _lock(plan)
        if locked.is_closed:
            raise ValidationError(
                _("Kế hoạch đã được tổng kết từ trước, bởi %(user)s.")
                % {"user": locked.closed_by or _("(không rõ)")},
                code="closed",
            )
        # Imported here: the status board's reads import the grid, whose service imports this
        # module.
        from plans.selectors.cycle import cycle_summary

        cycle = cycle_summary(locked)
        if cycle.pending and not pending_acknowledged:
            raise ValidationError(
                ngettext(
                    "Chưa tổng kết: còn %(count)s báo cáo chưa được duyệt. Hãy đánh dấu ô xác "
                    "nhận trên trang tổng kết nếu vẫn muốn khoá các báo cáo đó.",
                    "Chưa tổng kết: còn %(count)s báo cáo chưa được duyệt. Hãy đánh dấu ô xác "
                    "nhận trên trang tổng kết nếu vẫn muốn khoá các báo cáo đó.",
                    cycle.pending,
                ) % {"count": cycle.pending},
                code="pending",
            )
        old = plan_snapshot(locked)
        locked.status = Plan.Status.CLOSED
        locked.closed_by = user
        locked.closed_at = timezone.now()
        locked.pending_at_close = cycle.pending_record()
        locked.save(update_fields=["status", "closed_by", "closed_at", "pending_at_close"])
        change_record(
            subject=locked, user=user, channel=channel, old=old, new=plan_snapshot(locked)
        )
    _copy_status(locked, plan)
    return plan


def plan_reopen(*, plan: Plan, user: User | None, channel: str = Change.Channel.ADMIN) -> Plan:
    """Reopen a closed ``plan`` so that its results can be changed again; admins only.

    Raise PermissionDenied for anyone but an admin, ValidationError if the plan is not closed.
    """
    if role_of(user) != Profile.Role.ADMIN:
        raise PermissionDenied(_("Chỉ quản trị viên mới được mở lại kế hoạch đã tổng kết."))
    with transaction.atomic():
        locked = _lock(plan)
        if not locked.is_closed:
            raise ValidationError(
                _("Kế hoạch chưa tổng kết nên không cần mở lại."), code="not_closed"
            )
        old = plan_snapshot(locked)
        locked.status = Plan.Status.OPEN
        locked.closed_by = None
        locked.closed_at = None
        locked.pending_at_close = {}
        locked.save(update_fields=["status", "closed_by", "closed_at", "pending_at_close"])
        change_record(
            subject=locked, user=user, channel=channel, old=old, new=plan_snapshot(locked)
        )
    _copy_status(locked, plan)
    return plan


def _check_may_leave_status(old_status: str | None, new_status: str, user: User | None) -> None:
    """Refuse (PermissionDenied) anyone but an admin taking a plan out of the closed status."""
    leaving_closed = old_status == Plan.Status.CLOSED and new_status != Plan.Status.CLOSED
    if leaving_closed and role_of(user) != Profile.Role.ADMIN:
        raise PermissionDenied(_("Chỉ quản trị viên mới được mở lại kế hoạch đã tổng kết."))


def plan_status_record(
    *, plan: Plan, old_status: str | None, user: User | None, channel: str = Change.Channel.ADMIN
) -> None:
    """Record that ``plan`` (saved or about to be) went from ``old_status`` to its status.

    Used by edits that set the status directly (the admin's change form): closing stamps who
    closed and when, leaving the closed status clears them. ``old_status`` None means the plan
    is new. Leaving the closed status is refused (PermissionDenied) to anyone but an admin.
    """
    if old_status == plan.status:
        return
    _check_may_leave_status(old_status, plan.status, user)
    with transaction.atomic():
        old = None
        if old_status is not None:
            old = {"status": old_status}
            if old_status == Plan.Status.CLOSED:
                old.update(
                    {k: v for k, v in plan_snapshot(plan).items() if k != "status"}
                )
        if plan.status == Plan.Status.CLOSED:
            plan.closed_by = user
            plan.closed_at = timezone.now()
        else:
            plan.closed_by = None
            plan.closed_at = None
        if plan.pk:
            plan.save(update_fields=["status", "closed_by", "closed_at"])
        else:
            plan.save()
        change_record(subject=plan, user=user, channel=channel, old=old, new=plan_snapshot(plan))


def plan_save(
    *, plan: Plan, old_status: str | None, user: User | None,
    channel: str = Change.Channel.ADMIN,
) -> Plan:
    """Save ``plan`` as edited in a form (the admin's change form), with its history.

    ``old_status`` is its status before the edit (None: a new plan). A change of status is
    recorded and stamped as :func:`plan_status_record` does; leaving the closed status is
    refused (PermissionDenied), writing nothing, to anyone but an admin.
    """
    _check_may_leave_status(old_status, plan.status, user)
    with transaction.atomic():
        plan.save()
        plan_status_record(plan=plan, old_status=old_status, user=user, channel=channel)
    return plan


def targets_save(
    *, plan: Plan, saved: Iterable[Target], deleted: Iterable[Target], user: User | None,
    channel: str = Change.Channel.ADMIN,
) -> list[Change]:
    """Save the targets of ``plan`` in ``saved`` (new or edited, validated by their form) and
    delete those in ``deleted``, all or nothing, with their history.

    A target whose recorded fields did not change gets no history entry; a deleted target's
    history moves onto the plan and its deletion is recorded there. Return the entries made.
    """
    saved, deleted = list(saved), list(deleted)
    with transaction.atomic():
        before = {
            target.pk: target_snapshot(target)
            for target in Target.objects.filter(
                plan=plan, pk__in=[t.pk for t in [*saved, *deleted] if t.pk]
            ).select_related("indicator")
        }
        gone = [target for target in deleted if target.pk in before]
        targets_history_keep(plan=plan, targets=gone)
        Target.objects.filter(pk__in=[target.pk for target in gone]).delete()
        created, changed = [], []
        for target in saved:
            target.plan = plan
            target.full_clean()
            is_new = target.pk is None or target.pk not in before
            target.save()
            if is_new:
                created.append(target)
            else:
                changed.append((target, before[target.pk]))
        return target_changes_record(
            plan=plan, created=created, changed=changed,
            deleted=[before[target.pk] for target in gone], user=user, channel=channel,
        )


def targets_history_keep(*, plan: Plan, targets: Iterable[Target]) -> None:
    """Move the history of ``targets``, about to be deleted, onto their ``plan``.

    A change row follows its target when the target is deleted; this keeps it on the plan.
    """
    Change.objects.filter(target__in=[t.pk for t in targets]).update(target=None, plan=plan)


def target_changes_record(
    *,
    plan: Plan,
    created: Iterable = (),
    changed: Iterable = (),
    deleted: Iterable = (),
    user: User | None,
    channel: str = Change.Channel.ADMIN,
) -> list[Change]:
    """Record the targets of ``plan`` that were created, changed or deleted.

    ``created``: saved targets; ``changed``: pairs (saved target, snapshot before the change);
    ``deleted``: snapshots of targets that are gone (their history stays on the plan). A change
    that leaves every recorded field as it was is not recorded.
    """
    changes: list[ChangeEntry] = [(target, None, target_snapshot(target)) for target in created]
    for target, old in changed:
        new = target_snapshot(target)
        if new != old:
            changes.append((target, old, new))
    changes += [(plan, old, None) for old in deleted]
    with transaction.atomic():
        return changes_record(changes=changes, user=user, channel=channel)


def results_delete(
    *, results: Iterable[Result], user: User | None, channel: str = Change.Channel.ADMIN,
) -> int:
    """Delete ``results`` (with agency and indicator loaded), keeping their history.

    Each result's past changes move to its province-year plan, and a last change records the
    deletion with the figures deleted. Refuse with ValidationError, deleting nothing, when a
    result's plan is closed or missing (the history would have nowhere to stay). Return the
    number of results deleted.
    """
    results = list(results)
    if not results:
        return 0
    plans = {
        (plan.province_id, plan.year): plan
        for plan in Plan.objects.filter(
            province_id__in={r.agency.province_id for r in results},
            year__in={r.year for r in results},
        )
    }
    errors = []
    for result in results:
        plan = plans.get((result.agency.province_id, result.year))
        if plan is None:
            errors.append(
                _("Không xoá được kết quả %(result)s: tỉnh chưa có kế hoạch năm %(year)s để "
                  "giữ lịch sử.") % {"result": result, "year": result.year}
            )
        elif plan.is_closed:
            errors.append(
                _("Không xoá được kết quả %(result)s: kế hoạch năm %(year)s đã tổng kết.")
                % {"result": result, "year": result.year}
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # An approved agency's figures stay as approved until its report is reopened.
        approved = approved_agencies_locked(
            plan_ids={plan.pk for plan in plans.values()},
            agency_ids={result.agency_id for result in results},
        )
        refused = {
            approved_lock_message(result.agency.name, result.year)
            for result in results
            if approved.get((plans[result.agency.province_id, result.year].pk, result.agency_id))
        }
        if refused:
            raise ValidationError(sorted(refused))
        changes = []
        for result in results:
            plan = plans[result.agency.province_id, result.year]
            Change.objects.filter(result=result).update(result=None, plan=plan)
            # The result is gone: its last entry stays on the plan, naming what it was.
            old = {
                "agency": result.agency.code,
                "indicator": result.indicator.code,
                "year": result.year,
                **result_snapshot(result),
            }
            changes.append((plan, old, None))
        changes_record(changes=changes, user=user, channel=channel)
        _total, per_model = Result.objects.filter(pk__in=[r.pk for r in results]).delete()
    return per_model.get(Result._meta.label, 0)
