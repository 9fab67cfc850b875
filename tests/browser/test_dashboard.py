"""A leader reads the demo's Kiên Giang 2017 dashboard in Chromium, drills down, downloads, prints.

Screenshots of the dashboard and of the printed report go to ``test-artifacts/`` for people
to look at.
"""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from openpyxl import load_workbook

from plans.models import Profile, Province, Target
from plans.outputs import exports
from tests.browser.conftest import ARTIFACTS
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def ensure_catalogue():
    """Install the standard catalogue again if a transactional test before this one flushed it.

    The data migration's own function makes the test independent of the tests before it
    (``serialized_rollback`` would restore the whole database instead, content types
    included, which collides on PostgreSQL with the content types a flush recreates).
    """
    migration = importlib.import_module("indicators.migrations.0002_standard_catalogue")
    migration.install(django_apps, None)


@pytest.fixture
def demo_leader():
    ensure_catalogue()
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    return make_user("leader_kg", Profile.Role.LEADER, [Province.objects.get(code="91")])


def test_it_lets_a_leader_read_drill_down_and_download(page, live_server, login, demo_leader):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, demo_leader)
    response = page.goto(f"{live_server.url}/dashboard/")
    assert response.status == 200
    page.get_by_role("link", name="Năm 2017").click()
    page.wait_for_url("**/dashboard/91/2017/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kế hoạch")
    headline = page.locator(".headline-total").inner_text()
    assert "5/9 chỉ tiêu đã đạt" in headline
    row = page.locator("tr.target-row", has_text="SPECIALIZED_NETWORK")
    assert "trên 80 %" in row.inner_text()
    assert "80,0 %" in row.inner_text()
    assert "Chưa đạt" in row.inner_text()
    assert row.locator("svg.bar").get_attribute("aria-label") == (
        "Đạt được 80,0 %; chỉ tiêu trên 80 %"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    # Drill into the target: the agencies that said no come first.
    row.get_by_role(
        "link",
        name="Kết nối và sử dụng mạng truyền số liệu chuyên dùng của các cơ quan Đảng và Nhà nước",
        exact=True,
    ).click()
    page.wait_for_url("**/target/*/")
    first = page.locator("table.agencies tbody tr").first
    assert "Chưa đạt" in first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-target.png"), full_page=True)
    page.go_back()

    # Download progress.csv: byte for byte what export_progress writes.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải CSV (progress.csv)").click()
    download = download_info.value
    assert download.suggested_filename == "progress-91-2017.csv"
    content = open(download.path(), "rb").read()
    province = Province.objects.get(code="91")
    assert content == exports.progress_csv(province=province, year=2017).encode("utf-8")


def test_it_prints_the_report_on_a4(page, live_server, login, demo_leader):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, demo_leader)
    response = page.goto(f"{live_server.url}/dashboard/91/2017/report/")
    assert response.status == 200
    page.emulate_media(media="print")
    # Nothing of the screen's navigation on paper.
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".report-tools").is_visible()
    title = page.locator(".report-title").inner_text()
    assert "Kết quả thực hiện Kế hoạch ứng dụng CNTT năm 2017 – tỉnh Kiên Giang" in title
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True)
    pdf = page.pdf(path=str(ARTIFACTS / "report.pdf"), format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")


def test_it_fits_a_phone_screen_with_tables_scrolling_sideways(page, live_server, login,
                                                                demo_leader):
    login(page, live_server, demo_leader)
    page.set_viewport_size({"width": 390, "height": 800})
    target = Target.objects.get(plan__province__code="91", plan__year=2017,
                                indicator__code="OFFICIAL_EMAIL")
    for path in ("/dashboard/91/2017/", f"/dashboard/91/2017/target/{target.pk}/"):
        assert page.goto(f"{live_server.url}{path}").status == 200
        # The page itself never gets wider than the screen; a wide table scrolls in its box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    # The target page's agency table scrolls in its box; the dashboard's targets are cards
    # (test_dashboard_phone.py).
    page.goto(f"{live_server.url}/dashboard/91/2017/target/{target.pk}/")
    assert page.locator(".table-scroll").first.evaluate("e => e.scrollWidth > e.clientWidth")
    page.goto(f"{live_server.url}/dashboard/91/2017/")
    row = page.locator("tr.target-row", has_text="SPECIALIZED_NETWORK")
    assert "80,0 %" in row.inner_text()
    assert not row.locator("td.bar-cell").is_visible()


def test_it_works_without_javascript(browser, live_server, demo_leader):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", demo_leader.username)
        page.fill("input[name=password]", "Mật-khẩu-thử-2017")
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.goto(f"{live_server.url}/dashboard/")
        page.select_option("#choose-province", "91")
        page.select_option("#choose-year", "2017")
        page.get_by_role("button", name="Xem").click()
        page.wait_for_url("**/dashboard/91/2017/")
        assert page.locator("tr.target-row").count() == 9
        page.goto(f"{live_server.url}/dashboard/91/trend/SPECIALIZED_NETWORK/")
        assert page.locator("svg.trend polyline, svg.trend circle").count() >= 2
        page.screenshot(path=str(ARTIFACTS / "dashboard-trend.png"), full_page=True)
    finally:
        context.close()

def test_it_says_how_fresh_the_figures_are_at_desk_and_phone_widths(page, live_server, login,
                                                                    demo_leader):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, demo_leader)
    for width, height in ((1366, 900), (390, 800)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.goto(f"{live_server.url}/dashboard/91/2017/").status == 200
        as_of = page.locator("p.as-of")
        assert as_of.is_visible()
        assert as_of.inner_text().startswith("Số liệu đến: ")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{width}.png"), full_page=True)

    # The breadcrumb's province leads to its card on the index, with its years.
    page.locator("nav.crumbs").get_by_role("link", name="Kiên Giang").click()
    page.wait_for_url("**/dashboard/#province-91")
    assert page.locator("#province-91").is_visible()

    # The workbook is a report: titled, in Vietnamese, percentages Excel computes with.
    page.goto(f"{live_server.url}/dashboard/91/2017/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    with open(download_info.value.path(), "rb") as downloaded:
        book = load_workbook(io.BytesIO(downloaded.read()))
    summary = book.worksheets[0]
    assert summary["A1"].value.endswith("– tỉnh Kiên Giang")
    assert summary["A3"].value.startswith("Số liệu đến: ")
    assert all(len(name) <= 31 for name in book.sheetnames)
