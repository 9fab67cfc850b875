"""A plan's life cycle in real Chromium: a draft is read-only for its officer until an admin
opens it; closing it asks first, naming the agencies that have not reported everything.

Screenshots of the close confirmation at 1366 and 390 px go to ``test-artifacts/``.
"""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from indicators.models import Indicator
from plans.models import Plan, Result, Target

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DRAFT_MESSAGE = "Kế hoạch năm 2017 đang là dự thảo"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    """Install the indicator catalogue if a previous test's flush took it away."""
    if not Indicator.objects.exists():
        catalogue = importlib.import_module("indicators.migrations.0002_standard_catalogue")
        catalogue.install(apps, None)


def test_a_draft_opens_to_entry_once_an_admin_opens_it_and_closing_asks_first(
    page, live_server, login, officer_a, admin_user, plan_a, agencies_a, indicator
):
    lan = indicator("LAN")
    Target.objects.create(plan=plan_a, indicator=lan, tiers="department", comparator=">=",
                          value=50)
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.DRAFT)
    snv = agencies_a["91-SNV"]
    grid = live_server.url + reverse("plans:entry_grid", args=["91", 2017, "department"])
    cell = f"[name='r{snv.pk}-{lan.pk}-v']"

    # The officer sees the draft, read-only, and cannot save.
    login(page, live_server, officer_a)
    page.goto(grid)
    assert DRAFT_MESSAGE in page.locator("main").inner_text()
    assert page.locator("button[type=submit]:has-text('Lưu các ô đã sửa')").count() == 0
    assert page.locator(cell).is_disabled()

    # An admin opens the plan in the admin.
    login(page, live_server, admin_user)
    page.goto(live_server.url + reverse("admin:plans_plan_change", args=[plan_a.pk]))
    page.select_option("select[name=status]", Plan.Status.OPEN)
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert Plan.objects.get(pk=plan_a.pk).status == Plan.Status.OPEN

    # The officer saves a figure.
    login(page, live_server, officer_a)
    page.goto(grid)
    assert DRAFT_MESSAGE not in page.locator("main").inner_text()
    page.select_option(cell, "1")
    with page.expect_navigation():
        page.locator("button[type=submit]:has-text('Lưu các ô đã sửa')").click()
    assert "Đã lưu 1 kết quả." in page.locator("main").inner_text()
    assert Result.objects.get(agency=snv, indicator=lan).value == 1

    # Closing: the year page links to a confirmation naming who has not reported.
    page.goto(live_server.url + reverse("plans:entry_year", args=["91", 2017]))
    with page.expect_navigation():
        page.get_by_role("link", name="Tổng kết kế hoạch (khoá nhập liệu)").click()
    assert page.url.endswith(reverse("plans:entry_close", args=["91", 2017]))
    text = page.locator("main").inner_text()
    assert "1/2 đơn vị trong phạm vi kế hoạch chưa báo cáo đủ" in text
    assert "Sở Thông tin và Truyền thông" in text
    assert Plan.objects.get(pk=plan_a.pk).status == Plan.Status.OPEN
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.screenshot(path=str(ARTIFACTS / "plan-close-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "plan-close-390.png"), full_page=True)
    # Nothing sticks out of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 800})
    # Neither report is approved: closing without the tick is refused, with the reason.
    with page.expect_navigation():
        page.locator("form.close-plan button[type=submit]").click()
    assert "còn 2 báo cáo chưa được duyệt" in page.locator(".messages").inner_text()
    assert Plan.objects.get(pk=plan_a.pk).status == Plan.Status.OPEN
    page.get_by_label("Tôi hiểu rằng tổng kết sẽ khoá 2 báo cáo chưa được duyệt").check()
    with page.expect_navigation():
        page.locator("form.close-plan button[type=submit]").click()
    assert Plan.objects.get(pk=plan_a.pk).status == Plan.Status.CLOSED
    assert "Đã tổng kết kế hoạch năm 2017" in page.locator("main").inner_text()
