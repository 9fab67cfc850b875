"""Refusals and the plain words they are made of, for services and access policy.

Why a write is refused ("the plan is closed", "the report is approved", "submitted and frozen"),
with the few words those sentences need: a person's name for a reader, a time in Vietnam's
time, a date, a result's figures. No CSS classes, no figures of progress: the presentation
words stay in :mod:`plans.words.wording`, which takes these from here for its own sentences.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from plans.rules import progress
from plans.rules.limits import NOTE_MAX_LENGTH


def figures_in_words(*, kind: str, value, numerator, denominator) -> str:
    """Return a result's figures as a person reads them: "Có", "412/430", "3", "(trống)"."""
    if kind == progress.RATIO:
        if numerator is None and denominator is None:
            return _("(trống)")
        parts = ("" if n is None else formats.number_format(n) for n in (numerator, denominator))
        return "/".join(parts)
    if value is None:
        return _("(trống)")
    if kind == progress.YES_NO:
        return _("Có") if value == 1 else _("Không")
    return formats.number_format(value)


def time_text(moment) -> str:
    """Return a stored time as people read it: in Vietnam's time, "06:30 30/11/2024"."""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def person_text(user, *, reader=None) -> str:
    """Return who did something, for ``reader``: "bạn" if it was them, else a name."""
    if reader is not None and user.pk == reader.pk:
        return pgettext("the person reading", "bạn")
    return user.get_full_name() or user.get_username()


def plan_closed_message(plan, *, reader=None) -> str:
    """Return why ``plan``'s results may not change: who closed it, and when."""
    if plan.closed_by_id:
        return _(
            "Kế hoạch năm %(year)s của tỉnh %(province)s đã được %(who)s tổng kết lúc %(when)s: "
            "kết quả chỉ còn để xem. Chỉ quản trị viên mới mở lại được."
        ) % {
            "year": plan.year,
            "province": plan.province.name,
            "who": person_text(plan.closed_by, reader=reader),
            "when": time_text(plan.closed_at) if plan.closed_at else "",
        }
    return _(
        "Kế hoạch năm %(year)s của tỉnh %(province)s đã tổng kết: kết quả chỉ còn để xem. "
        "Chỉ quản trị viên mới mở lại được."
    ) % {"year": plan.year, "province": plan.province.name}


def plan_draft_message(plan) -> str:
    """Return why a draft ``plan`` takes no results yet, and who can change that."""
    return _(
        "Kế hoạch năm %(year)s đang là dự thảo: quản trị viên cần mở kế hoạch (trạng thái "
        "“%(open)s”) trước khi nhập số liệu."
    ) % {"year": plan.year, "open": plan.Status.OPEN.label}


def approved_lock_message(agency_name: str, year: int) -> str:
    """Return why an approved agency's figures may not change until its report is reopened."""
    return _(
        "Số liệu của %(agency)s năm %(year)s đã được duyệt; cần mở lại trước khi sửa."
    ) % {"agency": agency_name, "year": year}


def date_text(day) -> str:
    """Return a date as people read it: "30/11/2024"."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def submitted_lock_message(agency_name: str, year: int) -> str:
    """Return why a reporter may not change a submitted report, and what to do instead."""
    return _(
        "Báo cáo của %(agency)s năm %(year)s đã được gửi và đang chờ duyệt: số liệu và minh chứng "
        "không sửa được nữa. Muốn sửa, hãy rút báo cáo về (nút “Rút lại để sửa”) rồi gửi lại."
    ) % {"agency": agency_name, "year": year}


def reason_missing_message(move: str) -> str:
    """Return what to write when a move of a report that needs a reason (return, reopen) has
    none."""
    if move == "return":
        return _("Hãy ghi lý do trả lại báo cáo.")
    return _("Hãy ghi lý do mở lại báo cáo.")


def move_refused_message(move: str, state: str, *, agency_name: str, year: int) -> str:
    """Return why ``move`` (a name of plans.rules.cycle.TRANSITIONS) cannot be made on a report
    in ``state``.

    Whole sentences, not a verb slotted into one: other languages word them differently.
    """
    names = {"agency": agency_name, "year": year}
    if move == "submit":
        if state == "approved":
            return (
                _("Báo cáo của %(agency)s năm %(year)s đã được duyệt; không cần gửi lại.") % names
            )
        return _("Báo cáo của %(agency)s đã được gửi và đang chờ duyệt.") % names
    if move == "reopen":
        return _("Báo cáo của %(agency)s chưa được duyệt nên không cần mở lại.") % names
    if state == "approved":
        return _("Báo cáo của %(agency)s năm %(year)s đã được duyệt rồi.") % names
    if move == "approve":
        return _("Báo cáo của %(agency)s chưa được gửi nên chưa thể duyệt.") % names
    if move == "return":
        return _("Báo cáo của %(agency)s chưa được gửi nên chưa thể trả lại.") % names
    return _("Báo cáo của %(agency)s chưa được gửi nên không có gì để rút lại.") % names


def note_too_long_message(length: int) -> str:
    """Return why a note of ``length`` characters is refused (plans.rules.limits)."""
    return _("Ghi chú dài %(length)s ký tự; tối đa %(max)s.") % {
        "length": length, "max": NOTE_MAX_LENGTH,
    }


def days_left_text(deadline, today) -> str:
    """Return how a deadline stands on ``today``: "còn 3 ngày", "hôm nay là hạn cuối",
    "đã quá hạn 1 ngày"."""
    days = (deadline - today).days
    if days > 0:
        return ngettext("còn %(days)s ngày", "còn %(days)s ngày", days) % {"days": days}
    if days == 0:
        return _("hôm nay là hạn cuối")
    return ngettext("đã quá hạn %(days)s ngày", "đã quá hạn %(days)s ngày", -days) % {
        "days": -days
    }


def deadline_text(deadline, today) -> str:
    """Return a report deadline and how it stands: "hạn gửi báo cáo 30/11/2024 (còn 3 ngày)"."""
    return _("hạn gửi báo cáo %(date)s (%(left)s)") % {
        "date": date_text(deadline), "left": days_left_text(deadline, today),
    }


def change_figures_text(indicator, figures: dict | None) -> str:
    """Return a history entry's figures (and note) in words; ``figures`` is a Change snapshot."""
    if figures is None:
        return _("(chưa có)")
    text = figures_in_words(
        kind=indicator.kind,
        value=figures.get("value"),
        numerator=figures.get("numerator"),
        denominator=figures.get("denominator"),
    )
    if figures.get("note"):
        text = _("%(figures)s — ghi chú: %(note)s") % {"figures": text, "note": figures["note"]}
    return text
