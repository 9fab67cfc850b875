"""Reminders a person can act on: a link to each agency's page under SITE_URL, one sentence
that holds before and after the deadline, agencies named as on the status board, and demo
accounts that can be reached."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from plans.models import Agency, Target
from plans.services.reminders import reminder_message, reminders_collect

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REMINDER_DAYS_BEFORE = 7
    settings.SITE_URL = "https://egov.kiengiang.gov.vn"


@pytest.fixture
def due_plan(plan_a, agencies_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department", value=80)
    plan_a.report_deadline = TODAY + datetime.timedelta(days=2)
    plan_a.save()
    return plan_a


def body_for(username):
    [reminder] = [r for r in reminders_collect(today=TODAY) if r.user.username == username]
    return reminder_message(reminder, today=TODAY).body


def test_each_agency_has_the_link_to_its_page(due_plan, reporter_a):
    body = body_for("reporter_a")

    assert (
        "  - Sở Nội vụ: chưa nhập\n"
        "    https://egov.kiengiang.gov.vn/entry/91/2017/agency/91-SNV/\n"
    ) in body


@pytest.mark.parametrize("days", [5, 0, -1], ids=["before", "on-the-day", "after"])
def test_the_closing_sentence_holds_before_and_after_the_deadline(due_plan, reporter_a, days):
    due_plan.report_deadline = TODAY + datetime.timedelta(days=days)
    due_plan.save()

    body = body_for("reporter_a")

    assert "trước hạn" not in body
    assert ("Xin mở đường dẫn của từng đơn vị ở trên, đăng nhập, nhập số liệu rồi bấm “Gửi báo "
            "cáo”.") in body


def test_agencies_of_the_same_name_are_told_apart(due_plan, province_a, agencies_a,
                                                  officer_a):
    officer_a.email = "canbo@kiengiang.gov.vn"
    officer_a.save()
    for code, parent in (("91-XA1", "91-H899"), ("91-XA2", "91-H900")):
        Agency.objects.create(province=province_a, code=code, name="UBND xã Bình An",
                              tier="commune", parent=agencies_a[parent])
    Target.objects.create(plan=due_plan, indicator=Target.objects.first().indicator,
                          tiers="commune", value=50)

    body = body_for("officer_a")

    lines = [line for line in body.splitlines() if "Bình An" in line]
    assert len(lines) == 2
    assert len(set(lines)) == 2


def test_the_message_is_in_vietnamese_whatever_the_language(due_plan, reporter_a):
    from django.utils import translation

    with translation.override("en"):
        body = body_for("reporter_a")
    assert body.startswith("Kính gửi reporter_a,\n")


def test_load_demo_gives_every_account_an_address(db, settings):
    call_command("load_demo", stdout=io.StringIO())

    users = get_user_model().objects.order_by("username")
    assert users.exists()
    assert {user.email for user in users} == {f"{user.username}@example.org" for user in users}
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    # The demo's open 2017 plan of Kiên Giang is past its deadline: its reporter and officer
    # are reminded, at their addresses.
    assert "baocao_kiengiang <baocao_kiengiang@example.org>: Kiên Giang 2017: " in out.getvalue()
    assert "Không liên lạc được" not in out.getvalue()
    assert not mail.outbox
