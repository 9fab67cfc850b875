"""Recording results from the browser: one cell (agency page) or many (a tier's grid).

Every write goes through :func:`results_record_grid`: one transaction, one ``Change`` per
changed result, and optimistic concurrency on ``Result.version`` so that nobody's newer save is
overwritten silently. The caller says which version of each result it started from
(``expected_version``, 0 when it saw no result); a result saved by someone else since then is
refused with their figures beside the caller's.
"""


from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.models import Agency, Change, Plan, Result, result_errors
from plans.rules.limits import NOTE_MAX_LENGTH
from plans.services.conflicts import retry_on_conflict
from plans.services.history import ChangeEntry, changes_record, result_snapshot
from plans.services.plans import results_delete
from plans.services.submissions import frozen_agencies_locked, frozen_message
from plans.words.messages import (
    figures_in_words,
    note_too_long_message,
    person_text,
    plan_closed_message,
    time_text,
)

CHANNELS = (Change.Channel.GRID, Change.Channel.AGENCY, Change.Channel.ADMIN)


@dataclass
class ResultEntry:
    """What a user wants one result to be, and the version of it they saw (0: none)."""

    agency: Agency
    indicator: Indicator
    value: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    # None keeps the stored note (the grid may be shown without its note inputs).
    note: str | None = None
    expected_version: int = 0

    @property
    def key(self) -> tuple[int, int]:
        return (self.agency.pk, self.indicator.pk)

    def figures(self) -> tuple:
        return (self.value, self.numerator, self.denominator)


class ResultsRefused(Exception):
    """Nothing was saved: the plan is closed, or some entries are wrong or stale.

    ``problems`` maps (agency id, indicator id) to messages; ``current`` maps the key of each
    stale entry to the result as it now stands, so that the page can show it and let the user
    save again deliberately. ``invalid``: the problems are the entries' own (wrong figures, a
    note too long), found by :func:`results_check` before anything stored was looked at.
    """

    def __init__(
        self, message: str = "", *, problems: dict | None = None, current: dict | None = None,
        invalid: bool = False,
    ) -> None:
        self.message = message
        self.problems = problems or {}
        self.current = current or {}
        self.invalid = invalid
        super().__init__(message or "; ".join(m for ms in self.problems.values() for m in ms))


def _conflict_message(entry: ResultEntry, current: Result | None, *, reader: User | None) -> str:
    """Return why ``entry`` was not saved over ``current``, in words for ``reader``."""
    kind = entry.indicator.kind
    yours = figures_in_words(
        kind=kind, value=entry.value, numerator=entry.numerator, denominator=entry.denominator
    )
    if current is None:
        return _(
            "Kết quả này đã bị xoá sau khi bạn mở trang. Giá trị của bạn: %(yours)s. "
            "Ô chưa được lưu; hãy kiểm tra rồi lưu lại."
        ) % {"yours": yours}
    theirs = figures_in_words(
        kind=kind, value=current.value, numerator=current.numerator,
        denominator=current.denominator,
    )
    when = time_text(current.updated_at)
    if reader is not None and current.updated_by_id is not None and (
        current.updated_by_id == reader.pk
    ):
        # Saved by the reader himself, in another tab or window: no "họ" for him.
        return _(
            "Bạn đã lưu ô này lúc %(when)s ở một thẻ hay cửa sổ khác, sau khi mở trang này. "
            "Giá trị đã lưu: %(theirs)s; giá trị vừa nhập: %(yours)s. Ô chưa được lưu: ô đang "
            "hiện giá trị vừa nhập, bấm Lưu lần nữa nếu vẫn muốn ghi đè."
        ) % {"when": when, "theirs": theirs, "yours": yours}
    who = person_text(current.updated_by) if current.updated_by else _("người khác")
    return _(
        "%(who)s đã lưu ô này lúc %(when)s, sau khi bạn mở trang. Giá trị của họ: %(theirs)s; "
        "giá trị của bạn: %(yours)s. Ô chưa được lưu: ô đang hiện giá trị của bạn, bấm Lưu lần "
        "nữa nếu vẫn muốn ghi đè."
    ) % {
        "who": who,
        "when": when,
        "theirs": theirs,
        "yours": yours,
    }


def _entry_problems(entry: ResultEntry, year: int, province_id: int) -> list[str]:
    messages = []
    if entry.agency.province_id != province_id:
        messages.append(
            _("Đơn vị %(agency)s không thuộc tỉnh của kế hoạch.") % {"agency": entry.agency.code}
        )
    if not entry.agency.is_active_in(year):
        messages.append(
            _("Đơn vị %(agency)s không hoạt động trong năm %(year)s.")
            % {"agency": entry.agency.code, "year": year}
        )
    errors = result_errors(
        kind=entry.indicator.kind,
        value=entry.value,
        numerator=entry.numerator,
        denominator=entry.denominator,
    )
    for field_messages in errors.values():
        messages.extend(str(m) for m in field_messages)
    if entry.note is not None and len(entry.note) > NOTE_MAX_LENGTH:
        messages.append(note_too_long_message(len(entry.note)))
    return messages


def results_check(*, plan: Plan, entries: list[ResultEntry]) -> dict[tuple[int, int], list[str]]:
    """Return the problems of each entry that is wrong in itself for ``plan``, by its key.

    An agency of another province or not active in the plan's year, figures that do not fit
    the indicator's kind (plans.models.result_errors), a note too long. The one check of what
    a person typed: the grid and the agency page only parse it, and the model's constraints
    stay as the last guard. No query.
    """
    problems = {}
    for entry in entries:
        messages = _entry_problems(entry, plan.year, plan.province_id)
        if messages:
            problems[entry.key] = messages
    return problems


@retry_on_conflict
def results_record_grid(
    *, plan: Plan, entries: list[ResultEntry], user: User | None, channel: str
) -> list[Result]:
    """Write every entry that changes a result of ``plan``'s year, all or nothing.

    Entries equal to what is stored are left untouched (no write, no history). Raise
    ResultsRefused, writing nothing, when the plan is closed, an entry is invalid, changes an
    approved agency's figures (or, for its reporter, a submitted one's), or a result was changed
    by someone else since the version the entry names. Return the results written.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    keys = {entry.key for entry in entries}
    if len(keys) != len(entries):
        raise ValueError("the same result twice in one save")

    with transaction.atomic():
        # Read the status again, locked, so that closing the plan and saving cannot interleave;
        # its key not blocked (plans.services.conflicts says why).
        locked = (
            Plan.objects.select_for_update(of=("self",), no_key=True)
            .select_related("province", "closed_by")
            .get(pk=plan.pk)
        )
        if locked.status == Plan.Status.CLOSED:
            plan.status, plan.closed_by_id, plan.closed_at = (
                locked.status, locked.closed_by_id, locked.closed_at
            )
            raise ResultsRefused(plan_closed_message(locked, reader=user))
        if not entries:
            return []
        problems = results_check(plan=plan, entries=entries)
        if problems:
            raise ResultsRefused(problems=problems, invalid=True)
        return _results_write(plan=plan, entries=entries, user=user, channel=channel)


def _results_write(
    *, plan: Plan, entries: list[ResultEntry], user: User | None, channel: str
) -> list[Result]:
    """Write the checked ``entries`` against what is stored now; see results_record_grid.

    Call inside results_record_grid's transaction, with the plan locked.
    """
    stored = {
        (r.agency_id, r.indicator_id): r
        for r in Result.objects.filter(
            year=plan.year,
            agency_id__in={e.agency.pk for e in entries},
            indicator_id__in={e.indicator.pk for e in entries},
        ).select_related("updated_by")
    }
    frozen = frozen_agencies_locked(
        plan_ids=[plan.pk], agency_ids={e.agency.pk for e in entries}, user=user
    )
    problems: dict[tuple[int, int], list[str]] = {}
    current: dict[tuple[int, int], Result | None] = {}
    to_create: list[tuple[ResultEntry, str]] = []
    to_update: list[tuple[ResultEntry, Result, str]] = []
    for entry in entries:
        result = stored.get(entry.key)
        note = entry.note if entry.note is not None else (result.note if result else "")
        if result and (result.value, result.numerator, result.denominator) == (
            entry.figures()
        ) and result.note == note:
            # Already so (perhaps someone saved the same figures): nothing to write.
            continue
        state = frozen.get((plan.pk, entry.agency.pk))
        if state is not None:
            problems[entry.key] = [
                frozen_message(state, agency_name=entry.agency.name, year=plan.year)
            ]
            continue
        seen = result.version if result else 0
        if seen != entry.expected_version:
            problems[entry.key] = [_conflict_message(entry, result, reader=user)]
            current[entry.key] = result
            continue
        if result:
            to_update.append((entry, result, note))
        else:
            to_create.append((entry, note))
    if problems:
        raise ResultsRefused(problems=problems, current=current)

    changes: list[ChangeEntry] = []
    written = []
    now = timezone.now()
    for entry, result, note in to_update:
        old = result_snapshot(result)
        updated = Result.objects.filter(pk=result.pk, version=result.version).update(
            value=entry.value,
            numerator=entry.numerator,
            denominator=entry.denominator,
            note=note,
            updated_by=user,
            # update() skips auto_now: the time is what the conflict message names.
            updated_at=now,
            version=F("version") + 1,
        )
        if not updated:
            # Saved by someone else between our read and our write: give it all back.
            fresh = Result.objects.select_related("updated_by").filter(pk=result.pk).first()
            raise ResultsRefused(
                problems={entry.key: [_conflict_message(entry, fresh, reader=user)]},
                current={entry.key: fresh},
            )
        result.value, result.numerator, result.denominator = entry.figures()
        result.note, result.updated_by, result.version = note, user, result.version + 1
        result.updated_at = now
        written.append(result)
        changes.append((result, old, result_snapshot(result)))
    if to_create:
        new_results = [
            Result(
                year=plan.year,
                agency=entry.agency,
                indicator=entry.indicator,
                value=entry.value,
                numerator=entry.numerator,
                denominator=entry.denominator,
                note=note,
                updated_by=user,
            )
            for entry, note in to_create
        ]
        try:
            with transaction.atomic():
                Result.objects.bulk_create(new_results)
        except IntegrityError:
            # Someone created one of these results since the page was opened.
            raise ResultsRefused(
                _(
                    "Trong lúc bạn nhập, người khác đã lưu kết quả cho một số ô còn trống. "
                    "Chưa có gì được lưu; hãy tải lại trang để xem giá trị của họ."
                )
            ) from None
        written.extend(new_results)
        changes.extend((result, None, result_snapshot(result)) for result in new_results)
    changes_record(changes=changes, user=user, channel=channel, plan=plan)
    return written


def result_record(
    *,
    agency: Agency,
    indicator: Indicator,
    year: int,
    value: int | None,
    numerator: int | None,
    denominator: int | None,
    note: str | None,
    user: User | None,
    channel: str,
    expected_version: int,
) -> Result | None:
    """Record one agency's result for ``indicator`` in ``year``; see results_record_grid.

    Return the result written, or None when it already held these figures.
    """
    plan = Plan.objects.filter(province_id=agency.province_id, year=year).first()
    if plan is None:
        raise ResultsRefused(
            _("Tỉnh %(province)s chưa có kế hoạch năm %(year)s nên chưa nhập được kết quả.")
            % {"province": agency.province.name, "year": year}
        )
    written = results_record_grid(
        plan=plan,
        entries=[
            ResultEntry(
                agency=agency,
                indicator=indicator,
                value=value,
                numerator=numerator,
                denominator=denominator,
                note=note,
                expected_version=expected_version,
            )
        ],
        user=user,
        channel=channel,
    )
    return written[0] if written else None


@retry_on_conflict
def result_clear(*, result: Result, user: User | None, expected_version: int, channel: str) -> None:
    """Delete ``result`` (a wrong figure), keeping its history, as the officer who saw it.

    ``expected_version`` is the version the user confirmed clearing. Raise ResultsRefused,
    deleting nothing, when the plan of its province and year is missing or closed, or when the
    result changed (or went) since. The deletion and its history entry are made by
    :func:`plans.services.plans.results_delete`, the admin's path.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    with transaction.atomic():
        # Locked, so that closing the plan and clearing cannot interleave.
        plan = (
            Plan.objects.select_for_update(of=("self",), no_key=True)
            .select_related("province", "closed_by")
            .filter(province_id=result.agency.province_id, year=result.year)
            .first()
        )
        if plan is None:
            raise ResultsRefused(
                _("Tỉnh %(province)s chưa có kế hoạch năm %(year)s.")
                % {"province": result.agency.province.name, "year": result.year}
            )
        if plan.status == Plan.Status.CLOSED:
            raise ResultsRefused(plan_closed_message(plan, reader=user))
        current = (
            Result.objects.select_for_update(of=("self",))
            .select_related("agency", "indicator", "updated_by")
            .filter(pk=result.pk)
            .first()
        )
        frozen = frozen_agencies_locked(
            plan_ids=[plan.pk], agency_ids=[result.agency_id], user=user
        ).get((plan.pk, result.agency_id))
        if frozen is not None:
            raise ResultsRefused(
                frozen_message(frozen, agency_name=result.agency.name, year=result.year)
            )
        if current is None or current.version != expected_version:
            raise ResultsRefused(
                _(
                    "Kết quả này đã thay đổi sau khi bạn mở trang xác nhận nên chưa bị xoá. "
                    "Hãy xem lại giá trị hiện tại rồi xoá lại nếu vẫn cần."
                )
            )
        try:
            results_delete(results=[current], user=user, channel=channel)
        except ValidationError as refusal:
            # An approved agency's figures: results_delete says so.
            raise ResultsRefused(" ".join(refusal.messages)) from None
