"""A checklist target in a real browser, at a desk and on a phone: an officer ticks the item
that was missing, from the year page, and the target's page says it is met, listing the items;
nothing past the right edge at 390 px."""

from decimal import Decimal

import pytest

from indicators.models import Indicator
from plans.models import Plan, Profile, Province, Target, TargetItem
from tests.browser.test_dashboard import ensure_catalogue
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SIZES = (("desktop", 1366, 900), ("390", 390, 844))
SERVICES = ("Cấp giấy phép xây dựng", "Đăng ký kinh doanh", "Cấp phiếu lý lịch tư pháp")


@pytest.fixture
def checklist():
    """An open plan whose one target asks 2 of 3 named services, 1 of them done."""
    ensure_catalogue()
    province = Province.objects.create(code="91", name="Kiên Giang")
    plan = Plan.objects.create(province=province, year=2017, status=Plan.Status.OPEN)
    target = Target.objects.create(
        plan=plan, indicator=Indicator.objects.get(code="PUBLIC_SERVICES_L4"), tiers="province",
        comparator=">=", value=Decimal(2), unit="count",
    )
    for position, name in enumerate(SERVICES, start=1):
        TargetItem.objects.create(target=target, name=name, position=position,
                                  done=position == 1)
    return target


@pytest.mark.parametrize(("label", "width", "height"), SIZES)
def test_an_officer_ticks_an_item_and_the_target_is_met(page, live_server, login, checklist,
                                                        label, width, height):
    officer = make_user("canbo", Profile.Role.OFFICER, [checklist.plan.province])
    leader = make_user("lanhdao", Profile.Role.LEADER, [checklist.plan.province])
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, officer)

    page.goto(f"{live_server.url}/entry/91/2017/")
    assert "1/3 hạng mục đã hoàn thành" in page.locator("table.progress-table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("a.checklist-link").click()

    item = page.locator("fieldset.checklist-item", has_text="Đăng ký kinh doanh")
    item.get_by_label("Đã hoàn thành").check()
    item.get_by_label("Ngày hoàn thành").fill("2017-06-30")
    item.get_by_label("Ghi chú").fill("Liên thông Cổng dịch vụ công quốc gia")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Lưu các hạng mục").click()
    assert "Đã lưu 1 hạng mục." in page.locator("body").inner_text()
    assert "2/3 hạng mục đã hoàn thành" in page.locator(".checklist-count").inner_text()

    login(page, live_server, leader)
    page.goto(f"{live_server.url}/dashboard/91/2017/target/{checklist.pk}/")
    assert page.locator(".target-meta .status").inner_text() == "Đạt"
    rows = page.locator("table.checklist-items tbody tr")
    assert rows.count() == 3
    done = rows.filter(has_text="Đăng ký kinh doanh")
    assert "Đã hoàn thành 30/06/2017" in done.inner_text()
    assert "Chưa hoàn thành" in rows.filter(has_text="Cấp phiếu lý lịch tư pháp").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
