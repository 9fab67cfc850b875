"""The programme page and the merged province's trend in a real browser, at a desk and on a
phone: the forecast in words beside each chart, the years that count the former provinces
marked, nothing past the right edge at 390 px."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from plans.models import Profile, Province
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import ensure_catalogue
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Screenshots for people to look at (the README shows them); test-artifacts/ by default.
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", str(ARTIFACTS)))
SIZES = (("desktop", 1366, 900), ("390", 390, 844))


@pytest.fixture
def demo_leader():
    ensure_catalogue()
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    return make_user("lanhdao_vung", Profile.Role.LEADER,
                     list(Province.objects.filter(code__in=["89", "91"])))


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_the_programme_page_shows_each_forecast_beside_its_chart(page, live_server, login,
                                                                 demo_leader):
    login(page, live_server, demo_leader)
    for label, width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(f"{live_server.url}/dashboard/91/programme/CNTT-2016-2020/")
        assert response is not None and response.status == 200
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        sections = page.locator("section.programme-target")
        assert sections.count() == 4
        labels = [sections.nth(i).locator(".forecast").first.inner_text()
                  for i in range(sections.count())]
        # Each target's forecast is a word, whatever its colour says.
        assert set(labels) <= {"Đã đạt", "Đúng tiến độ", "Chậm",
                               "Không tiến triển hoặc đi lùi", "Chưa đủ số liệu",
                               "Không đạt khi kết thúc chương trình"}
        assert "Chậm" in labels and "Chưa đủ số liệu" in labels
        slow = sections.filter(has_text="Chậm").first
        assert "cần tăng thêm 22,7 điểm % mỗi năm" in slow.inner_text()
        chart = slow.locator("svg.trend")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        shoot(page, f"programme-{label}.png")

    # The year dashboard links the programme beside the targets that are its milestones.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/dashboard/91/2017/")
    link = page.locator(".programme-forecast a").first
    assert link.inner_text() == "Kế hoạch ứng dụng CNTT giai đoạn 2016–2020 (dữ liệu mẫu)"
    link.click()
    page.wait_for_url("**/dashboard/91/programme/CNTT-2016-2020/")
    # The printed report's section on the programmes.
    page.goto(f"{live_server.url}/dashboard/91/2017/report/")
    section = page.locator("table.programme-forecasts")
    assert section.locator("tbody tr").count() == 4
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "report-programmes.png"))


def test_the_merged_provinces_trend_reaches_back_before_the_merger(page, live_server, login,
                                                                   demo_leader):
    login(page, live_server, demo_leader)
    for label, width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(f"{live_server.url}/dashboard/89/trend/OFFICIAL_EMAIL/")
        assert response is not None and response.status == 200
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        rows = page.locator("table.territory-table tbody tr")
        years = [rows.nth(i).locator("th").inner_text() for i in range(rows.count())]
        assert years == [str(year) for year in range(2016, 2027)]
        marked = page.locator("table.territory-table tr.source-predecessors")
        assert marked.count() == 10  # 2016–2025 count Kiên Giang's communes
        assert "gồm tỉnh cũ" in marked.first.inner_text()
        assert "tỉnh hiện nay" in rows.last.inner_text()
        assert "Kiên Giang" in page.locator(".territory-note").inner_text()
        table = page.locator("table.territory-table")
        assert table.evaluate("t => t.closest('.table-scroll').scrollWidth <= "
                              "t.closest('.table-scroll').clientWidth")
        shoot(page, f"merger-trend-{label}.png")

    # And the merged province's programme, whose baseline year is a territory figure.
    page.goto(f"{live_server.url}/dashboard/89/programme/CDS-2026-2030/")
    assert "Không tiến triển hoặc đi lùi" in page.locator(".forecast-line").first.inner_text()
    shoot(page, "merger-programme-390.png")


def test_fully_online_services_carry_on_the_level_4_series_with_a_marked_break(
    page, live_server, login, demo_leader
):
    login(page, live_server, demo_leader)
    for label, width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(f"{live_server.url}/dashboard/89/trend/PUBLIC_SERVICES_FULL/")
        assert response is not None and response.status == 200
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        table = page.locator("table.comparable-table")
        assert table.locator("tr.before-break").count() == 6  # 2016–2021, level 4
        assert table.locator("tr.after-break").count() == 5  # 2022–2026, fully online
        assert "từ năm 2022" in table.locator("tr.break-row").inner_text()
        assert "Nghị định số 42/2022/NĐ-CP" in page.locator(".break-note").inner_text()
        shoot(page, f"comparable-trend-{label}.png")
