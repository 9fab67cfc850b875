"""Checklist targets' items: setting a target's list of items and ticking items done.

Every change of an item is recorded in its target's history (plans.services.history,
``item_snapshot``). The list of items comes from targets.csv (plans.services.imports.targets)
or the admin; whether each is done, from items.csv (plans.services.imports.items), the admin
or the entry page's form (:func:`target_items_update`).
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from plans.files.columns import ITEMS_SEPARATOR
from plans.models import Change, Evidence, Plan, Target, TargetItem
from plans.models.checklists import ITEM_NAME_MAX_LENGTH
from plans.rules.limits import NOTE_MAX_LENGTH
from plans.services.history import ChangeEntry, changes_record, item_snapshot
from plans.words.messages import plan_closed_message

# A checklist names a handful of things (three services, five systems); far more is a mistake.
MAX_ITEMS = 100


class ItemsRefused(Exception):
    """Nothing was written; ``messages`` say why, for the person."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def parse_item_names(text: str) -> tuple[str, ...]:
    """Return the names of ``text`` (``|``-separated, trimmed); () for a blank ``text``.

    Raise ValueError, with words for the person, for a blank name, a repeated one, a name too
    long or too many names.
    """
    if not text.strip():
        return ()
    names = tuple(part.strip() for part in text.split(ITEMS_SEPARATOR))
    if len(names) > MAX_ITEMS:
        raise ValueError(
            _("Cột items có %(count)s hạng mục, tối đa %(max)s.")
            % {"count": len(names), "max": MAX_ITEMS}
        )
    if any(not name for name in names):
        raise ValueError(
            _("Cột items có hạng mục để trống: các tên nối bằng dấu |, không để trống tên nào.")
        )
    for name in names:
        if len(name) > ITEM_NAME_MAX_LENGTH:
            raise ValueError(
                _("Cột items: hạng mục “%(name)s…” dài %(length)s ký tự, tối đa %(max)s.")
                % {"name": name[:40], "length": len(name), "max": ITEM_NAME_MAX_LENGTH}
            )
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(_("Cột items: hạng mục “%(name)s” ghi hai lần.") % {"name": name})
        seen.add(name)
    return names


def checklist_items_set(
    *, checklists: Iterable[tuple[Target, Sequence[str]]],
    stored: dict[int, list[TargetItem]],
) -> list[ChangeEntry]:
    """Make each target's items exactly the ``names`` given, in that order; return the changes.

    ``stored`` holds the targets' current items. An item keeps its state (done, date, note)
    when its name stays; an item no longer named is deleted. Called inside the caller's
    transaction, which records the changes returned.
    """
    changes: list[ChangeEntry] = []
    new: list[TargetItem] = []
    moved: list[tuple[TargetItem, dict]] = []
    gone: list[TargetItem] = []
    for target, names in checklists:
        by_name = {item.name: item for item in stored.get(target.pk, ())}
        for position, name in enumerate(names, start=1):
            item = by_name.pop(name, None)
            if item is None:
                new.append(TargetItem(target=target, name=name, position=position))
            elif item.position != position:
                old = item_snapshot(item)
                item.position = position
                moved.append((item, old))
        gone.extend(by_name.values())
    for item in gone:
        changes.append((item, item_snapshot(item), None))
    TargetItem.objects.filter(pk__in=[item.pk for item in gone]).delete()
    TargetItem.objects.bulk_update([item for item, _old in moved], ["position"])
    changes += [(item, old, item_snapshot(item)) for item, old in moved]
    changes += [(item, None, item_snapshot(item)) for item in TargetItem.objects.bulk_create(new)]
    return changes


@dataclass(frozen=True)
class ItemTick:
    """What a person set on one item: done or not, the date, the note, and what he saw."""

    item_id: int
    done: bool
    done_on: datetime.date | None
    note: str
    # The item's version (:func:`item_version`) when the form was shown: a different stored one
    # means someone else changed it meanwhile, and the form is refused rather than writing
    # over that change.
    seen: str | None = None
    # The evidence file the item points to (None: none), one of its plan's province and year.
    evidence_id: int | None = None


def item_version(item: TargetItem) -> str:
    """Return a short fingerprint of ``item``'s state (``agency`` loaded), for a form to send
    back: it changes whenever the item's recorded state does."""
    text = json.dumps(item_snapshot(item), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def item_tick_problems(*, done: bool, done_on: datetime.date | None, note: str) -> list[str]:
    """Return what is wrong with one item's ticking (empty when nothing is)."""
    problems = []
    if done_on is not None and not done:
        problems.append(_("Hạng mục chưa hoàn thành thì không ghi ngày hoàn thành."))
    if len(note) > NOTE_MAX_LENGTH:
        problems.append(
            _("Ghi chú dài %(length)s ký tự, tối đa %(max)s.")
            % {"length": len(note), "max": NOTE_MAX_LENGTH}
        )
    return problems


def _plan_open(target: Target, user: User | None) -> None:
    """Lock ``target``'s plan until the transaction ends, and refuse if it is closed.

    Read again under the lock, not taken from the page's request: a plan closed meanwhile
    refuses the write, and closing waits for it.
    """
    plan = (
        Plan.objects.select_related("province", "closed_by")
        .select_for_update(of=("self",))
        .get(pk=target.plan_id)
    )
    if plan.is_closed:
        raise ItemsRefused([plan_closed_message(plan, reader=user)])


def target_items_update(
    *, target: Target, ticks: Sequence[ItemTick], user: User | None, channel: str,
) -> list[TargetItem]:
    """Set done, date, note and evidence of ``target``'s items as ``ticks`` say; return those
    changed.

    Refused with :class:`ItemsRefused`, nothing written, when the plan is closed, an item is
    not the target's, a tick is wrong, or an item changed since the person saw it.
    """
    with transaction.atomic():
        items = {
            item.pk: item
            for item in target.items.select_related("agency", "target").select_for_update(
                of=("self",)
            )
        }
        _plan_open(target, user)
        # The evidence files the ticks name, among those of the plan's province and year.
        evidence = {
            file.pk: file
            for file in Evidence.objects.filter(
                pk__in={tick.evidence_id for tick in ticks if tick.evidence_id is not None},
                agency__province_id=target.plan.province_id, year=target.plan.year,
            )
        }
        problems: list[str] = []
        changed: list[tuple[TargetItem, dict]] = []
        for tick in ticks:
            item = items.get(tick.item_id)
            if item is None:
                problems.append(_("Hạng mục không thuộc chỉ tiêu này."))
                continue
            old = item_snapshot(item)
            if tick.seen is not None and tick.seen != item_version(item):
                problems.append(
                    _("Hạng mục “%(name)s” vừa được người khác sửa: tải lại trang để xem rồi "
                      "ghi lại.") % {"name": item.name}
                )
                continue
            problems += [
                _("Hạng mục “%(name)s”: %(problem)s") % {"name": item.name, "problem": problem}
                for problem in item_tick_problems(
                    done=tick.done, done_on=tick.done_on, note=tick.note
                )
            ]
            if tick.evidence_id is not None and (
                tick.evidence_id not in evidence
                or (item.agency_id and evidence[tick.evidence_id].agency_id != item.agency_id)
            ):
                problems.append(
                    _("Hạng mục “%(name)s”: tài liệu minh chứng phải là tệp năm %(year)s của "
                      "đơn vị thực hiện hạng mục.") % {"name": item.name, "year": target.plan.year}
                )
                continue
            item.done, item.done_on, item.note = tick.done, tick.done_on, tick.note
            item.evidence_id = tick.evidence_id
            if item_snapshot(item) != old:
                changed.append((item, old))
        if problems:
            raise ItemsRefused(problems)
        for item, _old in changed:
            # The target as given, with its plan loaded, for the item's checks.
            item.target = target
            try:
                item.full_clean(exclude=["target", "agency", "evidence"])
            except ValidationError as exc:
                raise ItemsRefused(exc.messages) from None
        TargetItem.objects.bulk_update(
            [item for item, _old in changed], ["done", "done_on", "note", "evidence"]
        )
        changes_record(
            changes=[(item, old, item_snapshot(item)) for item, old in changed],
            user=user, channel=channel,
        )
    return [item for item, _old in changed]



def target_items_save(
    *, target: Target, saved: Iterable[TargetItem], deleted: Iterable[TargetItem],
    user: User | None, channel: str = Change.Channel.ADMIN,
) -> None:
    """Save ``target``'s items in ``saved`` (new or edited, validated by their form) and delete
    those in ``deleted``, all or nothing, each change in the target's history.

    Refused with :class:`ItemsRefused` when the target's plan is closed.
    """
    saved, deleted = list(saved), list(deleted)
    with transaction.atomic():
        _plan_open(target, user)
        before = {
            item.pk: item_snapshot(item)
            for item in target.items.filter(
                pk__in=[item.pk for item in [*saved, *deleted] if item.pk]
            ).select_related("agency")
        }
        changes: list[ChangeEntry] = []
        gone = [item for item in deleted if item.pk in before]
        changes += [(item, before[item.pk], None) for item in gone]
        TargetItem.objects.filter(pk__in=[item.pk for item in gone]).delete()
        for item in saved:
            item.target = target
            item.full_clean()
            old = before.get(item.pk) if item.pk else None
            item.save()
            new = item_snapshot(item)
            if new != old:
                changes.append((item, old, new))
        changes_record(changes=changes, user=user, channel=channel)
