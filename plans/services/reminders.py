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
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plans.models import Plan, Submission
from plans.rules.cycle import UNSENT
from plans.selectors.reminders import agency_reporters, due_plans, province_officers
from plans.selectors.status import plan_agency_statuses
from plans.words.messages import date_text, deadline_text

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


def reminders_collect(
    *, today: datetime.date | None = None, province_code: str | None = None,
    year: int | None = None,
) -> list[Reminder]:
    """Return the reminders to send today, one per person, by username.

    Per plan: the status board's queries, the reporters of its agencies and the province's
    officers (two queries).
    """
    today = today or timezone.localdate()
    reminders: dict[int, Reminder] = {}
    for plan in due_plans(today=today, province_code=province_code, year=year):
        owing = [status for status in plan_agency_statuses(plan) if status.state in UNSENT]
        if not owing:
            continue
        reporters = agency_reporters(plan, [status.agency for status in owing])
        officers = province_officers(plan)
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


def one_line(text: str) -> str:
    """Return ``text`` as one line of a message: every control character (CR, LF, tab, ...) and
    line or paragraph separator becomes a space, so that a name cannot break the message's
    lines or add lines of its own."""
    return "".join(
        " " if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp") else character
        for character in text
    ).strip()


def reminder_message(reminder: Reminder, *, today: datetime.date | None = None) -> EmailMessage:
    """Return the e-mail of ``reminder``, in Vietnamese whatever language is active.

    The body is the template ``plans/email/reminder.txt``: each plan with its deadline and how
    it stands (plans.words.messages), each agency named as on the status board, with its state,
    the reason of a return and the address of its page on ``settings.SITE_URL``.
    """
    today = today or timezone.localdate()
    user = reminder.user
    with translation.override(settings.LANGUAGE_CODE):
        first = reminder.plans[0].plan
        assert first.report_deadline is not None  # due_plans keeps plans with a deadline
        subject = _("Nhắc gửi báo cáo kết quả ứng dụng CNTT – hạn %(date)s") % {
            "date": date_text(first.report_deadline)
        }
        plans = []
        for owed in reminder.plans:
            plan = owed.plan
            assert plan.report_deadline is not None
            plans.append({
                "plan": one_line(str(plan)),
                "deadline": deadline_text(plan.report_deadline, today),
                "agencies": [
                    {
                        "name": one_line(status.agency.display_name),
                        "state": status.state_label.lower(),
                        "reason": one_line(status.submission.return_reason)
                        if status.state == State.RETURNED and status.submission else "",
                        "url": site_url(reverse(
                            "plans:entry_agency",
                            args=[plan.province.code, plan.year, status.agency.code],
                        )),
                    }
                    for status in owed.agencies
                ],
            })
        body = render_to_string("plans/email/reminder.txt", {
            "name": one_line(user.get_full_name() or user.get_username()),
            "as_officer": reminder.as_officer,
            "plans": plans,
        })
    return EmailMessage(subject=subject, body=body, to=[user.email])


def site_url(path: str) -> str:
    """Return the full address of ``path`` on the site (``settings.SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path
