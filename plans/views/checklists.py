"""The entry page of a checklist target: officers tick its items done, with a date and a note.

The plan comes through :func:`plans.views.decorators.entry_view` (officers of the province and
admins; a stranger gets 404, a leader 403) and the target through its plan. A closed plan is
read-only; a form over an item that someone else changed meanwhile is refused, not written
over (plans.services.checklists).
"""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.models import Change
from plans.rules.parsing import parse_ascii_int
from plans.selectors.checklists import checklist_evidence, checklist_target, target_items
from plans.services.checklists import (
    ItemsRefused,
    ItemTick,
    item_version,
    target_items_update,
)
from plans.views.decorators import entry_view

# An <input type="date"> sends YYYY-MM-DD; anything longer is not a date.
DATE_TEXT_LENGTH = 10
# item_version's length: a longer "seen" is not one of ours.
VERSION_LENGTH = 16


def _read_ticks(post, items) -> tuple[list[ItemTick], list[str]]:
    """Return the ticks the form posts for ``items``, and what cannot be read in it."""
    ticks, problems = [], []
    for item in items:
        done = post.get(f"done-{item.pk}") == "on"
        date_text = post.get(f"done_on-{item.pk}", "").strip()
        done_on = None
        if date_text:
            try:
                if len(date_text) != DATE_TEXT_LENGTH:
                    raise ValueError
                done_on = datetime.date.fromisoformat(date_text)
            except ValueError:
                problems.append(
                    _("Hạng mục “%(name)s”: ngày hoàn thành “%(value)s” không đọc được; chọn "
                      "ngày trong ô ngày.") % {"name": item.name, "value": date_text[:20]}
                )
        # The select's values are ids; anything else names no file (and is refused as such).
        evidence_text = post.get(f"evidence-{item.pk}", "")
        evidence_id = parse_ascii_int(evidence_text) if evidence_text else None
        if evidence_text and evidence_id is None:
            evidence_id = 0
        ticks.append(
            ItemTick(
                item_id=item.pk, done=done, done_on=done_on,
                note=post.get(f"note-{item.pk}", "").strip(),
                seen=post.get(f"seen-{item.pk}", "")[:VERSION_LENGTH] or None,
                evidence_id=evidence_id,
            )
        )
    return ticks, problems


@entry_view("GET", "POST")
def entry_checklist(request, entry, target_id: int):
    """Show a checklist target's items (GET); set which are done, when, and a note (POST).

    Queries: the province and plan (entry_view), the target, its items, the evidence files of
    the province's year; a POST adds the locked items, the files it names and the writes.
    """
    plan = entry.plan
    target = checklist_target(plan, target_id)
    if target is None:
        raise Http404
    items = target_items(target)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if entry.read_only:
            problems, status = [entry.read_only], 409
        else:
            ticks, problems = _read_ticks(request.POST, items)
            if not problems:
                try:
                    changed = target_items_update(
                        target=target, ticks=ticks, user=request.user,
                        channel=Change.Channel.GRID,
                    )
                except ItemsRefused as refusal:
                    problems = refusal.messages
                else:
                    if changed:
                        messages.success(
                            request,
                            ngettext("Đã lưu %(count)s hạng mục.", "Đã lưu %(count)s hạng mục.",
                                     len(changed)) % {"count": len(changed)},
                        )
                    else:
                        messages.info(request, _("Không có hạng mục nào thay đổi."))
                    return redirect(request.path)
            status = 400
    return render(
        request,
        "plans/entry_checklist.html",
        {
            "plan": plan,
            "province": plan.province,
            "target": target,
            "rows": [(item, item_version(item)) for item in items],
            "done_count": sum(1 for item in items if item.done),
            "evidence": checklist_evidence(plan),
            "problems": problems,
            "closed_message": entry.read_only,
        },
        status=status,
    )
