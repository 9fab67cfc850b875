"""A submitted report frozen for its reporter, in Chromium (issue 19, item 2): the demo reporter
of Kiên Giang submits Sở Nội vụ's report, finds its figures read-only with the reason, withdraws
the report, corrects a figure and submits again. The demo officer then corrects the submitted
report, and the status board and the agency page say it changed since submission, old → new.
"""

import pytest

from plans.models import Agency, Change, Submission
from tests.browser.test_reporter_day import demo_passwords, figure_fields, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

__all__ = ["demo_passwords"]  # the fixture, used by name


def test_a_reporter_withdraws_corrects_and_resubmits_and_an_officer_corrects(
    page, live_server, login_with_form, demo_passwords
):
    snv = Agency.objects.get(code="91-SNV")
    agency_url = f"{live_server.url}/entry/91/2017/agency/91-SNV/"
    sign_in(page, live_server, login_with_form, "baocao_kiengiang",
            demo_passwords["baocao_kiengiang"])
    page.goto(agency_url)
    numerator, denominator = figure_fields(page, snv, "OFFICIAL_EMAIL")
    numerator.fill("45")
    denominator.fill("60")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.locator(".submission-state").inner_text() == "Đã gửi"

    # Submitted: the figures are read-only for the reporter, who is told why and what to do.
    alert = page.locator(".entry-closed").inner_text()
    assert "đã được gửi và đang chờ duyệt" in alert and "Rút lại để sửa" in alert
    numerator, _denominator = figure_fields(page, snv, "OFFICIAL_EMAIL")
    assert numerator.is_disabled()
    assert page.get_by_role("button", name="Lưu các ô đã sửa").count() == 0

    # Withdrawn, the report is a draft again and the figures take changes.
    page.get_by_role("button", name="Rút lại để sửa").click()
    assert "Đã rút lại báo cáo năm 2017 của Sở Nội vụ" in page.locator(
        ".messages"
    ).inner_text()
    assert page.locator(".submission-state").inner_text() == "Đang nhập"
    numerator, _denominator = figure_fields(page, snv, "OFFICIAL_EMAIL")
    numerator.fill("50")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Đã lưu 1 kết quả." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.locator(".submission-state").inner_text() == "Đã gửi"
    submission = Submission.objects.get(agency=snv, plan__year=2017)
    states = [
        (change.old or {}).get("state", "") + "→" + change.new["state"]
        for change in Change.objects.filter(submission=submission).order_by("pk")
    ]
    assert states == ["→submitted", "submitted→draft", "draft→submitted"]

    # The officer corrects the submitted report: it says so, with the old and new figures.
    sign_in(page, live_server, login_with_form, "canbo_kiengiang",
            demo_passwords["canbo_kiengiang"])
    page.goto(agency_url)
    numerator, _denominator = figure_fields(page, snv, "OFFICIAL_EMAIL")
    numerator.fill("52")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Đã lưu 1 kết quả." in page.locator(".messages").inner_text()
    changed = page.locator(".changed-since-submission").inner_text()
    assert "Số liệu đã thay đổi sau khi gửi" in changed and "50/60 → 52/60" in changed
    page.goto(f"{live_server.url}/entry/91/2017/status/")
    assert "đã thay đổi sau khi gửi" in page.locator("#agency-91-SNV").inner_text()
