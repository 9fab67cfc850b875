"""The change history: every ``Change`` row is made here, with one snapshot per subject.

A change is about a result, a target, a plan, an agency's submission or an evidence file (its
subject) and always names the plan it belongs to: a target's or a submission's plan, a result's
plan (its agency's province and year), or the plan itself. The admin's history finds entries by
the plan's province and year, so an entry without its plan would be missed there. What is kept
of a subject, before and after, is its snapshot: :func:`result_snapshot`,
:func:`target_snapshot`, :func:`plan_snapshot`, :func:`submission_snapshot`,
:func:`evidence_snapshot`, :func:`item_snapshot`.

A checklist target's item is recorded on its target (the Change has no field of its own for
items): the snapshot names the item, so the target's history tells its items' changes apart.

An evidence file is recorded on its plan (the plan of its agency's province and year): its
row goes when the file is deleted and a foreign key could not outlive it, so the entry keeps
what identifies the file instead — agency, year, indicator, name, size and SHA-256 digest.

Every entry also moves on the figures version of its plan's province and year
(plans.services.figures), in the same transaction: the pages of that year are computed again.
"""


import datetime
import json
from collections.abc import Iterable

from django.contrib.auth.models import User

from plans.models import Change, Evidence, Plan, Result, Submission, Target, TargetItem
from plans.rules.limits import plain_decimal
from plans.services import bulk
from plans.services.figures import figures_changed

# (subject, old snapshot, new snapshot) as changes_record takes it; see there.
# What a history entry is about.
ChangeSubject = Result | Target | Plan | Submission | Evidence | TargetItem
ChangeEntry = tuple[ChangeSubject, dict | None, dict | None]


def result_snapshot(result: Result) -> dict:
    """Return the result's reported figures as kept in the change history."""
    return result.as_dict()


def result_snapshot_json(figures: tuple) -> str:
    """Return (value, numerator, denominator, note) as :func:`result_snapshot` in JSON.

    The same text as ``json.dumps(result_snapshot(result))``, written out directly: at millions
    of change entries, json.dumps of a dict is a good part of an import's time.
    """
    value, numerator, denominator, note = figures
    value = "null" if value is None else value
    numerator = "null" if numerator is None else numerator
    denominator = "null" if denominator is None else denominator
    note = json.dumps(note) if note else '""'
    return (f'{{"value": {value}, "numerator": {numerator}, "denominator": {denominator}, '
            f'"note": {note}}}')


def target_snapshot(target: Target) -> dict:
    """Return the target's fields as kept in the change history (``indicator`` loaded)."""
    return {
        "indicator": target.indicator.code,
        "tiers": target.tiers,
        "comparator": target.comparator,
        "value": plain_decimal(target.value),
        "unit": target.unit,
        "note": target.note,
        "position": target.position,
    }


def plan_snapshot(plan: Plan) -> dict:
    """Return the plan's status fields as kept in the change history."""
    return {
        "status": plan.status,
        "closed_by": plan.closed_by.get_username() if plan.closed_by is not None else None,
        "closed_at": plan.closed_at.isoformat() if plan.closed_at else None,
    }


def submission_snapshot(submission: Submission) -> dict:
    """Return an agency's submission as kept in the change history: its state and why."""

    def username(user: User | None) -> str | None:
        return user.get_username() if user is not None else None

    def when(moment: datetime.datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "agency": submission.agency.code,
        "state": submission.state,
        "late": submission.late,
        "submitted_at": when(submission.submitted_at),
        "submitted_by": username(submission.submitted_by),
        "approved_at": when(submission.approved_at),
        "approved_by": username(submission.approved_by),
        "returned_at": when(submission.returned_at),
        "returned_by": username(submission.returned_by),
        "return_reason": submission.return_reason,
        "reopened_at": when(submission.reopened_at),
        "reopened_by": username(submission.reopened_by),
        "reopen_reason": submission.reopen_reason,
    }


def evidence_snapshot(evidence: Evidence) -> dict:
    """Return what identifies an evidence file in the change history (``agency`` and
    ``indicator`` loaded)."""
    return {
        "evidence": evidence.original_name,
        "agency": evidence.agency.code,
        "year": evidence.year,
        "indicator": evidence.indicator.code if evidence.indicator is not None else None,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "description": evidence.description,
    }


def item_snapshot(item: TargetItem) -> dict:
    """Return a checklist item as kept in its target's history (``agency`` loaded)."""
    return {
        "item": item.name,
        "position": item.position,
        "done": item.done,
        "done_on": item.done_on.isoformat() if item.done_on else None,
        "note": item.note,
        "agency": item.agency.code if item.agency is not None else None,
        "evidence": item.evidence_id,
    }


def _change(
    subject: ChangeSubject, *, plan: Plan | None, user: User | None, channel: str, old: dict | None,
    new: dict | None,
) -> Change:
    """Return the unsaved Change of ``subject`` (a Result, Target, Plan, Submission, Evidence
    or a target's item, recorded on its target)."""
    if channel not in Change.Channel.values:
        raise ValueError(f"unknown change channel {channel!r}")
    if isinstance(subject, Evidence):
        if plan is None:
            raise ValueError("an evidence file's change needs the plan of its province and year")
        return Change(plan=plan, changed_by=user, channel=channel, old=old, new=new)
    if isinstance(subject, Plan):
        return Change(plan=subject, changed_by=user, channel=channel, old=old, new=new)
    if isinstance(subject, TargetItem):
        return Change(target_id=subject.target_id, plan_id=subject.target.plan_id,
                      changed_by=user, channel=channel, old=old, new=new)
    if isinstance(subject, Target):
        return Change(target=subject, plan_id=subject.plan_id, changed_by=user, channel=channel,
                      old=old, new=new)
    if isinstance(subject, Submission):
        return Change(submission=subject, plan_id=subject.plan_id, changed_by=user,
                      channel=channel, old=old, new=new)
    if isinstance(subject, Result):
        if plan is None:
            raise ValueError("a result's change needs the plan of its province and year")
        return Change(result=subject, plan=plan, changed_by=user, channel=channel, old=old,
                      new=new)
    raise TypeError(f"no history is kept for {type(subject).__name__}")


def changes_record(
    *, changes: Iterable[ChangeEntry], user: User | None, channel: str, plan: Plan | None = None
) -> list[Change]:
    """Record a Change for each ``(subject, old, new)`` of ``changes``, in one insert.

    ``subject`` is a saved Result, Target, Plan, Submission or Evidence; ``old`` and ``new`` its
    snapshots (None: it did not exist, or no longer does). A gone subject is recorded on its plan.
    ``plan`` is the plan of the results and evidence files among ``changes`` (required for them;
    a target's, a plan's and a submission's are their own). Return the Change rows written.
    """
    rows = [
        _change(subject, plan=plan, user=user, channel=channel, old=old, new=new)
        for subject, old, new in changes
    ]
    written = Change.objects.bulk_create(rows, batch_size=1000)
    _figures_changed(written, known=[plan, *(s for s, _o, _n in changes if isinstance(s, Plan))])
    return written


def _figures_changed(changes: list[Change], *, known: list) -> None:
    """Move on the figures version of the plans ``changes`` are on; a change of a result or a
    target, or a deletion, moves the "figures as of" time to its own. The plans of ``known``
    (loaded) need no query for their province and year."""
    if not changes:
        return
    loaded = {plan.pk: (plan.province_id, plan.year) for plan in known if plan is not None}
    plan_ids = {change.plan_id for change in changes if change.plan_id is not None}
    moments = [
        change.changed_at for change in changes
        if change.result_id is not None or change.target_id is not None or change.new is None
    ]
    figures_changed(
        keys=[loaded[pk] for pk in plan_ids if pk in loaded],
        plan_ids=plan_ids - set(loaded),
        figures_at=max(moments, default=None),
    )


def change_record(
    *, subject: ChangeSubject, user: User | None, channel: str, old: dict | None, new: dict | None,
    plan: Plan | None = None,
) -> Change:
    """Record one Change of ``subject``; see :func:`changes_record`."""
    [change] = changes_record(changes=[(subject, old, new)], user=user, channel=channel,
                              plan=plan)
    return change


def result_changes_insert(
    changes: list[tuple], *, user_id: int | None, channel: str, at: datetime.datetime,
) -> None:
    """Record ``(result id, plan id, old figures, new figures)`` of many results, fast.

    The results import's path: figures are tuples (value, numerator, denominator, note) as
    :func:`result_snapshot_json` takes them, old None for a new result, and the rows are
    written by :func:`plans.services.bulk.insert_rows`. ``plan id`` is the plan of the result's
    province and year; None only if that province has no plan that year.
    """
    if channel not in Change.Channel.values:
        raise ValueError(f"unknown change channel {channel!r}")
    bulk.insert_rows(
        Change,
        ["result", "plan", "old", "new"],
        [
            (pk, plan_id, old and result_snapshot_json(old), result_snapshot_json(new))
            for pk, plan_id, old, new in changes
        ],
        constants={"changed_by": user_id, "changed_at": at, "channel": channel},
    )
    figures_changed(
        plan_ids={plan_id for _pk, plan_id, _old, _new in changes if plan_id is not None},
        result_ids={pk for pk, plan_id, _old, _new in changes if plan_id is None},
        figures_at=at if changes else None,
    )
