"""send_reminders: who is reminded of which agencies' reports, and the e-mail itself.

The selection is tested with Django's locmem backend; the e-mail with a real SMTP server
(aiosmtpd) started on a free port, so that what leaves the command is what a mail server gets.
"""

import datetime
import email
import email.policy
import io
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from plans.models import Plan, Profile, Submission, Target
from tests.conftest import make_user

TODAY = timezone.localdate()


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REMINDER_DAYS_BEFORE = 7
    settings.DEFAULT_FROM_EMAIL = "bcd-cntt@kiengiang.gov.vn"


@pytest.fixture
def due_plan(plan_a, agencies_a, indicator):
    """Province A's 2017 plan, due in 7 days; its targets cover departments and communes."""
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department", value=80)
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="commune", value=50)
    plan_a.report_deadline = TODAY + datetime.timedelta(days=7)
    plan_a.save()
    return plan_a


@pytest.fixture
def officer_with_email(province_a):
    return make_user("canbo", Profile.Role.OFFICER, [province_a], email="canbo@kiengiang.gov.vn")


def submit(plan, agency, state, reason=""):
    return Submission.objects.create(plan=plan, agency=agency, state=state, return_reason=reason)


def by_recipient():
    return {tuple(message.to): message for message in mail.outbox}


def test_it_reminds_the_reporter_of_its_agency_and_officers_of_the_rest(
    due_plan, agencies_a, reporter_a, officer_with_email
):
    output = run()

    messages = by_recipient()
    assert set(messages) == {("snv@kiengiang.gov.vn",), ("canbo@kiengiang.gov.vn",)}
    reporter_mail = messages["snv@kiengiang.gov.vn",]
    assert "Sở Nội vụ" in reporter_mail.body
    assert "Sở Thông tin và Truyền thông" not in reporter_mail.body
    # The officer gets the agencies that have no reporter, 91-SNV not among them.
    officer_mail = messages["canbo@kiengiang.gov.vn",]
    assert "  - Sở Nội vụ" not in officer_mail.body
    for name in ("Sở Thông tin và Truyền thông", "UBND phường Vĩnh Thanh"):
        assert f"  - {name}: chưa nhập" in officer_mail.body
    # Active from 2018 only: not in the 2017 plan's scope.
    assert "Vĩnh Quang" not in officer_mail.body
    assert "chưa có cán bộ báo cáo" in officer_mail.body
    assert reporter_mail.from_email == "bcd-cntt@kiengiang.gov.vn"
    assert "Đã gửi 2 thư nhắc." in output


def test_it_never_mentions_submitted_or_approved_agencies_and_gives_a_return_reason(
    due_plan, agencies_a, reporter_a, officer_with_email
):
    submit(due_plan, agencies_a["91-STTTT"], Submission.State.SUBMITTED)
    submit(due_plan, agencies_a["91-X30733"], Submission.State.APPROVED)
    submit(due_plan, agencies_a["91-SNV"], Submission.State.RETURNED, "Thiếu số cán bộ.")

    run()

    messages = by_recipient()
    # The officer's agencies (91-STTTT, 91-X30733) have all sent their reports.
    assert set(messages) == {("snv@kiengiang.gov.vn",)}
    assert "  - Sở Nội vụ: bị trả lại – lý do: Thiếu số cán bộ." in (
        messages["snv@kiengiang.gov.vn",].body
    )


def test_a_reporter_with_nothing_owed_gets_nothing(due_plan, agencies_a, reporter_a):
    submit(due_plan, agencies_a["91-SNV"], Submission.State.SUBMITTED)

    run()

    assert ("snv@kiengiang.gov.vn",) not in by_recipient()


@pytest.mark.parametrize(
    "days, sent",
    [(8, False), (7, True), (0, True), (-30, True)],
    ids=["8-days-away", "7-days-away", "today", "past"],
)
def test_it_writes_within_the_window_and_after_the_deadline(
    due_plan, reporter_a, days, sent
):
    due_plan.report_deadline = TODAY + datetime.timedelta(days=days)
    due_plan.save()

    run()

    assert bool(mail.outbox) is sent


def test_it_says_how_the_deadline_stands(due_plan, reporter_a):
    due_plan.report_deadline = TODAY - datetime.timedelta(days=3)
    due_plan.save()

    run()

    (message,) = mail.outbox
    deadline = due_plan.report_deadline.strftime("%d/%m/%Y")
    assert message.subject == f"Nhắc gửi báo cáo kết quả ứng dụng CNTT – hạn {deadline}"
    assert f"hạn gửi báo cáo {deadline} (đã quá hạn 3 ngày)" in message.body
    assert message.body.startswith("Kính gửi reporter_a,\n")


def test_it_follows_the_reminder_days_setting(due_plan, reporter_a, settings):
    settings.REMINDER_DAYS_BEFORE = 3

    run()

    assert not mail.outbox


@pytest.mark.parametrize("status", [Plan.Status.CLOSED, Plan.Status.DRAFT])
def test_it_leaves_closed_and_draft_plans_alone(due_plan, reporter_a, status):
    due_plan.status = status
    due_plan.save()

    run()

    assert not mail.outbox


def test_a_plan_without_a_deadline_gets_no_reminder(due_plan, reporter_a):
    due_plan.report_deadline = None
    due_plan.save()

    run()

    assert not mail.outbox


def test_one_message_per_person_for_two_plans(due_plan, province_a, agencies_a, reporter_a,
                                              indicator):
    older = Plan.objects.create(
        province=province_a, year=2016, status=Plan.Status.OPEN,
        report_deadline=TODAY - datetime.timedelta(days=100),
    )
    Target.objects.create(plan=older, indicator=indicator("LAN"), tiers="department", value=80)

    run()

    (message,) = mail.outbox
    assert message.body.count("Sở Nội vụ") == 2
    assert "năm 2016" in message.body and "năm 2017" in message.body


def test_it_lists_people_without_an_address_as_not_reachable(
    due_plan, province_a, agencies_a, reporter_a
):
    make_user("canbo_khongthu", Profile.Role.OFFICER, [province_a])

    output = run()

    assert [tuple(message.to) for message in mail.outbox] == [("snv@kiengiang.gov.vn",)]
    assert (
        "Không liên lạc được canbo_khongthu (chưa có địa chỉ thư điện tử): Kiên Giang 2017: "
        in output
    )


def test_an_inactive_reporter_leaves_its_agency_to_the_officers(
    due_plan, reporter_a, officer_with_email
):
    reporter_a.is_active = False
    reporter_a.save()

    run()

    messages = by_recipient()
    assert set(messages) == {("canbo@kiengiang.gov.vn",)}
    assert "  - Sở Nội vụ: chưa nhập" in messages["canbo@kiengiang.gov.vn",].body


def test_the_province_and_year_options_narrow_the_plans(
    due_plan, plan_b, agencies_b, reporter_a, indicator, province_b
):
    Target.objects.create(plan=plan_b, indicator=indicator("LAN"), tiers="department", value=80)
    plan_b.report_deadline = TODAY
    plan_b.save()
    make_user("canbo_b", Profile.Role.OFFICER, [province_b], email="canbo@hungyen.gov.vn")

    run("--province", "33")
    assert [tuple(message.to) for message in mail.outbox] == [("canbo@hungyen.gov.vn",)]
    mail.outbox.clear()
    run("--year", "2017", "--province", "91")
    assert [tuple(message.to) for message in mail.outbox] == [("snv@kiengiang.gov.vn",)]
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        run("--province", "99")
    with pytest.raises(CommandError, match="Không có kế hoạch năm 2030"):
        run("--year", "2030")


def test_a_dry_run_sends_nothing_and_says_who_would_get_what(due_plan, reporter_a):
    output = run("--dry-run")

    assert not mail.outbox
    assert "reporter_a <snv@kiengiang.gov.vn>: Kiên Giang 2017: Sở Nội vụ" in output
    assert "Chạy thử: sẽ gửi 1 thư; chưa gửi gì." in output


# A real SMTP server ---------------------------------------------------------------------------


class Collector:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start an SMTP server on a free local port and point Django's SMTP backend at it."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield collector
    controller.stop()


def test_it_sends_one_vietnamese_message_per_person_through_smtp(
    smtp_server, due_plan, agencies_a, reporter_a, officer_with_email
):
    submit(due_plan, agencies_a["91-SNV"], Submission.State.RETURNED, "Sai mẫu số.")

    output = run()

    assert "Đã gửi 2 thư nhắc." in output
    received = {
        tuple(envelope.rcpt_tos): email.message_from_bytes(
            envelope.original_content, policy=email.policy.default
        )
        for envelope in smtp_server.envelopes
    }
    assert len(smtp_server.envelopes) == 2
    assert set(received) == {("snv@kiengiang.gov.vn",), ("canbo@kiengiang.gov.vn",)}
    assert {envelope.mail_from for envelope in smtp_server.envelopes} == {
        "bcd-cntt@kiengiang.gov.vn"
    }
    message = received["snv@kiengiang.gov.vn",]
    deadline = due_plan.report_deadline.strftime("%d/%m/%Y")
    # The encoded subject is folded onto its own line; the decoded text keeps that space.
    assert message["Subject"].strip() == f"Nhắc gửi báo cáo kết quả ứng dụng CNTT – hạn {deadline}"
    assert message["To"] == "snv@kiengiang.gov.vn"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert "Kính gửi reporter_a," in body
    assert "  - Sở Nội vụ: bị trả lại – lý do: Sai mẫu số." in body
    assert f"hạn gửi báo cáo {deadline} (còn 7 ngày)" in body
    assert "Sở Thông tin và Truyền thông" in received["canbo@kiengiang.gov.vn",].get_content()


def test_a_dry_run_sends_nothing_through_smtp(smtp_server, due_plan, reporter_a):
    run("--dry-run")

    assert smtp_server.envelopes == []


def test_names_with_line_breaks_do_not_break_the_message_lines(
    due_plan, agencies_a, reporter_a
):
    """A CR or LF in a person's or an agency's name, or in a return reason, cannot add lines."""
    reporter_a.first_name, reporter_a.last_name = "Lan\r\nBcc: x@evil.example", "Nguyễn\tThị"
    reporter_a.save()
    agency = agencies_a["91-SNV"]
    agency.name = "Sở Nội vụ\n  - Sở giả: đã duyệt"
    agency.save()
    submit(due_plan, agency, Submission.State.RETURNED, "Thiếu\u2028số\rcán bộ.")

    run()

    body = by_recipient()["snv@kiengiang.gov.vn",].body
    lines = body.splitlines()
    assert lines[0] == "Kính gửi Lan  Bcc: x@evil.example Nguyễn Thị,"
    assert "  - Sở Nội vụ   - Sở giả: đã duyệt: bị trả lại – lý do: Thiếu số cán bộ." in lines
    assert not any(line.startswith("Bcc") or line.startswith("  - Sở giả") for line in lines)
    assert "\r" not in body and "\t" not in body and "\u2028" not in body
