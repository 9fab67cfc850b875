"""Who to remind of which agencies' reports, and the message (``manage.py send_reminders``).

A plan is due for reminders while it is open and its report deadline is at most
``settings.REMINDER_DAYS_BEFORE`` days away, or past. Its agencies still owing a report are
those of the status board (plans.selectors.status) not submitted yet or returned; an agency that
has submitted, or been approved, is never mentioned. Each agency's reporters are reminded of
it; an agency without a reporter is the province's officers' to chase. Every person gets one
message listing all his agencies, plan by plan, with each plan's deadline.

Read helpers only: nothing here writes to the database or sends anything.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.models import Plan, Profile, Submission
from plans.selectors.status import UNSENT, plan_agency_statuses

State = Submission.State


@dataclass
class OwedReports:
    """The agencies of one plan one person is reminded of, as (agency, state, reason)."""

    plan: Plan
    agencies: list = field(default_factory=list)


@dataclass
class Reminder:
    """One person's reminder: the plans, each with the agencies still owing a report."""

    # The user model is the project's choice (get_user_model): anything with an e-mail address.
    user: Any
    # True when the person is reminded as an officer, of agencies that have no reporter.
    as_officer: bool
    plans: list[OwedReports] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        return bool(self.user.email)


def due_plans(*, today: datetime.date, province_code: str | None = None, year: int | None = None):
    """Return the open plans whose report deadline is within the reminder window or past."""
    last = today + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    plans = Plan.objects.filter(
        status=Plan.Status.OPEN, report_deadline__isnull=False, report_deadline__lte=last
    ).select_related("province")
    if province_code is not None:
        plans = plans.filter(province__code=province_code)
    if year is not None:
        plans = plans.filter(year=year)
    return plans.order_by("report_deadline", "province__code", "year")


def reminders_collect(
    *, today: datetime.date | None = None, province_code: str | None = None,
    year: int | None = None,
) -> list[Reminder]:
    """Return the reminders to send today, one per person, by username.

    Per plan: the status board's queries, the reporters of its agencies and the province's
    officers (two queries).
    """
    today = today or timezone.localdate()
    User = get_user_model()
    reminders: dict[int, Reminder] = {}
    for plan in due_plans(today=today, province_code=province_code, year=year):
        owing = [status for status in plan_agency_statuses(plan) if status.state in UNSENT]
        if not owing:
            continue
        reporters: dict[int, list] = {}
        # Active reporters bound to these agencies, who still report in the plan's province.
        for profile in (
            Profile.objects.filter(
                role=Profile.Role.REPORTER,
                user__is_active=True,
                provinces=plan.province,
                agencies__in=[status.agency for status in owing],
            )
            .select_related("user")
            .prefetch_related("agencies")
            .distinct()
        ):
            for agency in profile.agencies.all():
                reporters.setdefault(agency.pk, []).append(profile.user)
        officers = list(
            User.objects.filter(
                Q(profile__role=Profile.Role.OFFICER, profile__provinces=plan.province),
                is_active=True,
            ).distinct()
        )
        for status in owing:
            people = reporters.get(status.agency.pk)
            as_officer = not people
            for user in people or officers:
                reminder = reminders.setdefault(
                    user.pk, Reminder(user=user, as_officer=as_officer)
                )
                if not reminder.plans or reminder.plans[-1].plan != plan:
                    reminder.plans.append(OwedReports(plan=plan))
                reminder.plans[-1].agencies.append(status)
    return sorted(reminders.values(), key=lambda r: r.user.get_username())


def _deadline_text(deadline: datetime.date, today: datetime.date) -> str:
    days = (deadline - today).days
    if days > 0:
        left = ngettext("còn %(days)s ngày", "còn %(days)s ngày", days) % {"days": days}
    elif days == 0:
        left = _("hôm nay là hạn cuối")
    else:
        left = ngettext("đã quá hạn %(days)s ngày", "đã quá hạn %(days)s ngày", -days) % {
            "days": -days
        }
    return _("hạn gửi báo cáo %(date)s (%(left)s)") % {
        "date": deadline.strftime("%d/%m/%Y"), "left": left,
    }


def one_line(text: str) -> str:
    """Return ``text`` as one line of a message: every control character (CR, LF, tab, ...) and
    line or paragraph separator becomes a space, so that a name cannot break the message's
    lines or add lines of its own."""
    return "".join(
        " " if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp") else character
        for character in text
    ).strip()


def reminder_message(reminder: Reminder, *, today: datetime.date | None = None) -> EmailMessage:
    """Return the e-mail of ``reminder``, in Vietnamese whatever language is active."""
    today = today or timezone.localdate()
    user = reminder.user
    with translation.override(settings.LANGUAGE_CODE):
        first = reminder.plans[0].plan
        assert first.report_deadline is not None  # due_plans keeps plans with a deadline
        subject = _("Nhắc gửi báo cáo kết quả ứng dụng CNTT – hạn %(date)s") % {
            "date": first.report_deadline.strftime("%d/%m/%Y")
        }
        lines = [
            _("Kính gửi %(name)s,") % {
                "name": one_line(user.get_full_name() or user.get_username())
            },
            "",
            _("Các đơn vị sau chưa gửi báo cáo kết quả ứng dụng công nghệ thông tin, hoặc báo "
              "cáo đã bị trả lại để sửa:")
            if not reminder.as_officer else
            _("Các đơn vị sau chưa có cán bộ báo cáo trên hệ thống và chưa gửi báo cáo kết quả "
              "ứng dụng công nghệ thông tin, hoặc báo cáo đã bị trả lại để sửa:"),
        ]
        for owed in reminder.plans:
            plan = owed.plan
            assert plan.report_deadline is not None
            lines += [
                "", f"{one_line(str(plan))} – {_deadline_text(plan.report_deadline, today)}:"
            ]
            for status in owed.agencies:
                line = f"  - {one_line(status.agency.name)}: {status.state_label.lower()}"
                submission = status.submission
                if status.state == State.RETURNED and submission and submission.return_reason:
                    line += " – " + _("lý do: %(reason)s") % {
                        "reason": one_line(submission.return_reason)
                    }
                lines.append(line)
        lines += [
            "",
            _("Xin đăng nhập hệ thống theo dõi chỉ tiêu ứng dụng CNTT để nhập số liệu và gửi "
              "báo cáo trước hạn."),
            "",
            _("Thư này được gửi tự động, xin đừng trả lời."),
        ]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        to=[user.email],
    )
