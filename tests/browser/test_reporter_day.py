"""A reporter's day on the demo, in Chromium: the demo reporter of Kiên Giang signs in, opens
Sở Nội vụ's page from home, enters a figure, saves and submits; the year page is forbidden to
it. The demo officer returns the report with a reason; the reporter reads the reason, fixes the
figure and submits again.
"""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import Indicator
from plans.models import Agency, Submission

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo_passwords():
    """Load the demo with its accounts; return {username: password} as load_demo printed them."""
    if not Indicator.objects.exists():
        importlib.import_module("indicators.migrations.0002_standard_catalogue").install(
            django_apps, None
        )
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    passwords = {}
    for line in out.getvalue().splitlines():
        cells = line.split()
        if cells and cells[0] in {"baocao_kiengiang", "canbo_kiengiang"}:
            passwords[cells[0]] = cells[-1]
    assert set(passwords) == {"baocao_kiengiang", "canbo_kiengiang"}
    return passwords


def sign_in(page, live_server, login_with_form, username, password):
    page.context.clear_cookies()
    login_with_form(page, live_server, get_user_model().objects.get(username=username), password)


def figure_fields(page, agency, code):
    indicator = Indicator.objects.get(code=code)
    prefix = f"[name='r{agency.pk}-{indicator.pk}"
    return page.locator(prefix + "-n']"), page.locator(prefix + "-d']")


def test_a_reporter_enters_submits_is_returned_fixes_and_resubmits(
    page, live_server, login_with_form, demo_passwords
):
    snv = Agency.objects.get(code="91-SNV")
    agency_url = f"{live_server.url}/entry/91/2017/agency/91-SNV/"
    sign_in(page, live_server, login_with_form, "baocao_kiengiang", demo_passwords[
        "baocao_kiengiang"])

    # Home offers its two agencies for the open 2017 plan (2016 is closed).
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Nhập kết quả: UBND phường Vĩnh Thanh").wait_for()
    page.get_by_role("link", name="Nhập kết quả: Sở Nội vụ").click()
    page.wait_for_url(agency_url)

    numerator, denominator = figure_fields(page, snv, "OFFICIAL_EMAIL")
    numerator.fill("61")
    denominator.fill("60")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Tử số (61) không được lớn hơn mẫu số (60)." in page.content()
    numerator, denominator = figure_fields(page, snv, "OFFICIAL_EMAIL")
    numerator.fill("45")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Đã lưu 1 kết quả." in page.locator(".messages").inner_text()

    page.get_by_role("button", name="Gửi báo cáo").click()
    assert "Đã gửi báo cáo năm 2017 của Sở Nội vụ." in page.locator(".messages").inner_text()
    assert page.locator(".submission-state").inner_text() == "Đã gửi"

    # The year page, a grid and the status board are the officers'.
    for path in ("/entry/91/2017/", "/entry/91/2017/department/", "/entry/91/2017/status/"):
        assert page.goto(live_server.url + path).status == 403, path
    # Another agency of Kiên Giang too.
    assert page.goto(live_server.url + "/entry/91/2017/agency/91-STP/").status == 403

    # The officer returns the report with a reason.
    sign_in(page, live_server, login_with_form, "canbo_kiengiang", demo_passwords[
        "canbo_kiengiang"])
    page.goto(agency_url)
    page.fill("#return-reason", "Mẫu số phải là tổng số cán bộ, công chức: 60 người.")
    page.get_by_role("button", name="Trả lại báo cáo").click()
    assert "Đã trả lại báo cáo năm 2017 của Sở Nội vụ." in page.locator(".messages").inner_text()

    # The reporter reads why, fixes the figure and submits again.
    sign_in(page, live_server, login_with_form, "baocao_kiengiang", demo_passwords[
        "baocao_kiengiang"])
    page.goto(agency_url)
    assert page.locator(".submission-state").inner_text() == "Bị trả lại"
    assert page.locator(".return-reason").inner_text() == (
        "Mẫu số phải là tổng số cán bộ, công chức: 60 người."
    )
    numerator, _denominator = figure_fields(page, snv, "OFFICIAL_EMAIL")
    numerator.fill("58")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Đã lưu 1 kết quả." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.locator(".submission-state").inner_text() == "Đã gửi"

    submission = Submission.objects.get(agency=snv, plan__year=2017)
    assert submission.state == Submission.State.SUBMITTED
    assert submission.submitted_by.username == "baocao_kiengiang"
    result = snv.results.get(year=2017, indicator__code="OFFICIAL_EMAIL")
    assert (result.numerator, result.denominator) == (58, 60)
