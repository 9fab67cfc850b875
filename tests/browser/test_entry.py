"""Results entry in real Chromium: fill a grid, fix an error, conflicts, closed plans."""

import importlib
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from plans.models import Agency, Plan, Result, Target

# The 150-commune test leaves screenshots here for people to look at.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    """Install the indicator catalogue if the previous test's flush took it away.

    ``serialized_rollback`` restores it, except when ordinary (non-transactional) tests ran
    earlier in the session: then the restore finds no serialized copy and the catalogue is gone.
    """
    if not Indicator.objects.exists():
        catalogue = importlib.import_module("indicators.migrations.0002_standard_catalogue")
        catalogue.install(apps, None)


def grid_path(tier="department", code="91", year=2017):
    return reverse("plans:entry_grid", args=[code, year, tier])


def field(agency, indicator, suffix):
    return f"[name='r{agency.pk}-{indicator.pk}-{suffix}']"


def test_an_officer_fills_a_grid_fixes_an_error_and_sees_the_progress(
    page, live_server, login_with_form, officer_a, plan_a, agencies_a, indicator
):
    Target.objects.create(plan=plan_a, indicator=indicator("OFFICIAL_EMAIL"),
                          tiers="department", comparator=">=", value=90)
    Target.objects.create(plan=plan_a, indicator=indicator("ONE_STOP_SHOP"),
                          tiers="department", comparator=">=", value=50)
    snv, sttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    email, one_stop = indicator("OFFICIAL_EMAIL"), indicator("ONE_STOP_SHOP")
    login_with_form(page, live_server, officer_a)

    page.goto(live_server.url + grid_path())
    # Targeted indicators come first.
    first_columns = {
        page.locator("thead th abbr").nth(i).inner_text().replace("\u200b", "") for i in (0, 1)
    }
    assert first_columns == {"OFFICIAL_EMAIL", "ONE_STOP_SHOP"}
    page.select_option(field(snv, one_stop, "v"), "1")
    page.fill(field(snv, email, "n"), "45")
    page.fill(field(snv, email, "d"), "50")
    page.fill(field(sttt, email, "n"), "61")
    page.fill(field(sttt, email, "d"), "60")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()

    summary = page.locator(".entry-error-summary")
    assert "Chưa lưu gì: 1 ô có lỗi" in summary.inner_text()
    invalid = page.locator(f"#r{sttt.pk}-{email.pk}-cell")
    assert "Tử số (61) không được lớn hơn mẫu số (60)." in invalid.inner_text()
    assert page.locator(field(sttt, email, "n")).get_attribute("aria-invalid") == "true"
    assert not Result.objects.exists()
    # What was typed elsewhere is still there.
    assert page.locator(field(snv, email, "n")).input_value() == "45"

    page.fill(field(sttt, email, "n"), "59")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Đã lưu 3 kết quả." in page.locator(".messages").inner_text()
    assert Result.objects.count() == 3

    page.goto(live_server.url + reverse("plans:entry_year", args=["91", 2017]))
    progress = page.locator(".progress-table").inner_text()
    # (45 + 59) / (50 + 60) = 94.5 % >= 90; one of two departments has a one-stop shop: 50 %.
    assert "94,5 %" in progress
    assert "50,0 %" in progress
    assert "Chưa đạt" not in progress


def test_a_stale_save_gets_the_conflict_message(
    browser, page, live_server, login, officer_a, admin_user, plan_a, agencies_a, indicator
):
    snv, email = agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL")
    Result.objects.create(year=2017, agency=snv, indicator=email, numerator=10, denominator=20)
    login(page, live_server, officer_a)
    page.goto(live_server.url + grid_path())

    other_context = browser.new_context(locale="vi-VN")
    other_context.set_default_timeout(5_000)
    other = other_context.new_page()
    login(other, live_server, admin_user)
    other.goto(live_server.url + grid_path())
    other.fill(field(snv, email, "n"), "18")
    other.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Đã lưu 1 kết quả." in other.locator(".messages").inner_text()
    other_context.close()

    page.fill(field(snv, email, "n"), "12")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    message = page.locator(f"#r{snv.pk}-{email.pk}-cell").inner_text()
    assert "admin đã lưu ô này" in message
    assert "Giá trị của họ: 18/20; giá trị của bạn: 12/20." in message
    assert Result.objects.get(agency=snv).numerator == 18


def test_two_tabs_of_one_officer_get_a_conflict_naming_him_and_vietnam_time(
    context, live_server, login, officer_a, plan_a, agencies_a, indicator
):
    snv, email = agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL")
    Result.objects.create(year=2017, agency=snv, indicator=email, numerator=10, denominator=20)
    grid_tab, agency_tab = context.new_page(), context.new_page()
    login(grid_tab, live_server, officer_a)
    grid_tab.goto(live_server.url + grid_path())
    agency_tab.goto(live_server.url + reverse("plans:entry_agency", args=["91", 2017, "91-SNV"]))

    agency_tab.fill(field(snv, email, "n"), "18")
    agency_tab.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Đã lưu 1 kết quả." in agency_tab.locator(".messages").inner_text()
    saved = Result.objects.get(agency=snv)

    grid_tab.fill(field(snv, email, "n"), "12")
    grid_tab.get_by_role("button", name="Lưu các ô đã sửa").click()
    message = grid_tab.locator(f"#r{snv.pk}-{email.pk}-cell").inner_text()
    when = timezone.localtime(saved.updated_at).strftime("%H:%M %d/%m/%Y")
    assert f"Bạn đã lưu ô này lúc {when}" in message
    assert "officer_a" not in message
    assert "Giá trị đã lưu: 18/20; giá trị vừa nhập: 12/20." in message
    assert Result.objects.get(agency=snv).numerator == 18


def test_an_officer_of_another_province_gets_404(page, live_server, login, officer_b, plan_a,
                                                 agencies_a):
    login(page, live_server, officer_b)
    response = page.goto(live_server.url + grid_path())
    assert response.status == 404


def test_a_closed_plans_grid_cannot_be_saved(page, live_server, login, officer_a, admin_user,
                                             plan_a, agencies_a, indicator):
    Plan.objects.filter(pk=plan_a.pk).update(
        status="closed", closed_by=admin_user, closed_at=timezone.now()
    )
    login(page, live_server, officer_a)
    page.goto(live_server.url + grid_path())
    assert "đã được admin tổng kết" in page.locator(".entry-closed").inner_text()
    assert page.get_by_role("button", name="Lưu các ô đã sửa").count() == 0
    assert page.locator(field(agencies_a["91-SNV"], indicator("LAN"), "v")).is_disabled()


def test_a_150_commune_grid_stays_usable(page, live_server, login, officer_a, plan_a,
                                         province_a, indicator):
    Agency.objects.bulk_create(
        Agency(province=province_a, code=f"91-X{i:05d}", name=f"UBND xã Thử Nghiệm {i:03d}",
               tier="commune")
        for i in range(150)
    )
    login(page, live_server, officer_a)
    page.set_viewport_size({"width": 1400, "height": 900})
    started = time.perf_counter()
    response = page.goto(live_server.url + grid_path("commune"))
    loaded = time.perf_counter() - started
    assert response.status == 200
    # In pages of 100 agencies: the first holds 100 rows, the second the other 50.
    assert page.locator("tbody tr").count() == 100
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "entry-grid-150.png"))

    # The header row stays in view when the grid scrolls.
    scroller = page.locator(".grid-scroll")
    header = page.locator("thead th").nth(3)
    top_before = header.bounding_box()["y"]
    scroller.evaluate("el => el.scrollTop = 2000")
    assert abs(header.bounding_box()["y"] - top_before) < 2
    # The agency column stays in view when it scrolls sideways.
    name = page.locator("tbody th.agency-col").first
    left_before = name.bounding_box()["x"]
    scroller.evaluate("el => el.scrollLeft = 800")
    assert abs(name.bounding_box()["x"] - left_before) < 2
    page.screenshot(path=str(ARTIFACTS / "entry-grid-150-scrolled.png"))

    # Tab goes from one cell's input to the next in the same row.
    first = Agency.objects.get(code="91-X00000")
    lan, fibre = indicator("LAN"), indicator("FIBRE")
    page.focus(field(first, lan, "v"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.name")
    assert focused == f"r{first.pk}-{fibre.pk}-v"

    started = time.perf_counter()
    page.select_option(field(first, lan, "v"), "1")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Đã lưu 1 kết quả." in page.locator(".messages").inner_text()
    saved = time.perf_counter() - started
    print(f"\n150-commune grid: load {loaded:.2f} s, save and reload {saved:.2f} s")
    page.goto(live_server.url + grid_path("commune") + "?page=2")
    assert page.locator("tbody tr").count() == 50


@pytest.fixture
def three_departments(agencies_a, province_a):
    """The department grid of province A with a third row: Sở Nội vụ, Sở Thông tin…, Sở Y tế."""
    Agency.objects.create(province=province_a, code="91-SYT", name="Sở Y tế", tier="department")
    return [agencies_a["91-SNV"], agencies_a["91-STTTT"], Agency.objects.get(code="91-SYT")]


def focused_name(page):
    return page.evaluate("document.activeElement.name")


def console_errors(page) -> list[str]:
    """Collect the page's console errors (CSP violations among them) and uncaught exceptions."""
    errors = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_arrow_keys_and_enter_move_between_cells_like_a_spreadsheet(
    page, live_server, login, officer_a, plan_a, three_departments, indicator
):
    snv, sttt, syt = three_departments
    lan, fibre, email = indicator("LAN"), indicator("FIBRE"), indicator("OFFICIAL_EMAIL")
    name = lambda agency, ind, suffix: f"r{agency.pk}-{ind.pk}-{suffix}"  # noqa: E731
    errors = console_errors(page)
    login(page, live_server, officer_a)
    page.goto(live_server.url + grid_path())
    # The script ran: it shows the keyboard hint it makes true.
    assert page.locator("[data-keyboard-hint]").is_visible()

    page.focus(field(snv, email, "n"))
    page.keyboard.press("ArrowDown")
    assert focused_name(page) == name(sttt, email, "n")
    page.keyboard.press("Enter")
    assert focused_name(page) == name(syt, email, "n")
    # Enter on the last row stays there and submits nothing.
    page.keyboard.press("Enter")
    assert focused_name(page) == name(syt, email, "n")
    page.keyboard.press("Shift+Enter")
    assert focused_name(page) == name(sttt, email, "n")
    page.keyboard.press("ArrowUp")
    assert focused_name(page) == name(snv, email, "n")

    # Typing is not broken: Left moves the caret until it reaches the start of the text.
    page.keyboard.type("45")
    page.keyboard.press("ArrowRight")
    assert focused_name(page) == name(snv, email, "d")
    page.keyboard.type("50")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert focused_name(page) == name(snv, email, "d")
    page.keyboard.press("ArrowLeft")
    assert focused_name(page) == name(snv, email, "n")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    assert focused_name(page) == name(snv, email, "n")
    assert page.locator(field(snv, email, "n")).input_value() == "45"
    assert page.locator(field(snv, email, "d")).input_value() == "50"

    # A yes/no select: arrows move between cells and never change the answer.
    page.focus(field(snv, lan, "v"))
    page.keyboard.press("k")
    page.keyboard.press("ArrowRight")
    assert focused_name(page) == name(snv, fibre, "v")
    page.keyboard.press("ArrowDown")
    assert focused_name(page) == name(sttt, fibre, "v")
    assert page.locator(field(sttt, fibre, "v")).input_value() == ""
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert focused_name(page) == name(sttt, lan, "v")
    assert not Result.objects.exists()

    # Ctrl+Enter saves.
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert "Đã lưu 2 kết quả." in page.locator(".messages").inner_text()
    assert sorted(Result.objects.values_list("indicator__code", "value", "numerator")) == [
        ("LAN", 0, None), ("OFFICIAL_EMAIL", None, 45)
    ]
    assert errors == []


def test_the_grid_saves_without_javascript(browser, live_server, login, officer_a, plan_a,
                                           three_departments, indicator):
    snv, email = three_departments[0], indicator("OFFICIAL_EMAIL")
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    context.set_default_timeout(5_000)
    page = context.new_page()
    login(page, live_server, officer_a)
    page.goto(live_server.url + grid_path())
    assert not page.locator("[data-keyboard-hint]").is_visible()

    page.fill(field(snv, email, "n"), "3")
    page.fill(field(snv, email, "d"), "4")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()

    assert "Đã lưu 1 kết quả." in page.locator(".messages").inner_text()
    assert Result.objects.get().denominator == 4
    context.close()


def test_keys_keep_the_focused_cell_clear_of_the_sticky_header_and_column(
    page, live_server, login, officer_a, plan_a, province_a, indicator
):
    Agency.objects.bulk_create(
        Agency(province=province_a, code=f"91-X{i:05d}", name=f"UBND xã Thử Nghiệm {i:03d}",
               tier="commune")
        for i in range(150)
    )
    first = Agency.objects.get(code="91-X00000")
    login(page, live_server, officer_a)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + grid_path("commune"))

    page.focus(field(first, indicator("LAN"), "v"))
    for _ in range(60):
        page.keyboard.press("ArrowDown")
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "entry-grid-150-keyboard.png"))

    sixtieth = Agency.objects.get(code="91-X00060")
    assert focused_name(page).startswith(f"r{sixtieth.pk}-")
    header = page.locator("thead th").nth(1).bounding_box()
    box = page.locator(".grid-scroll").bounding_box()
    agency_column = page.locator(f"#r{sixtieth.pk}-{indicator('LAN').pk}-cell").evaluate(
        "cell => cell.parentElement.firstElementChild.getBoundingClientRect().right"
    )
    cell = page.evaluate("document.activeElement.closest('td').getBoundingClientRect().toJSON()")
    # The header row is in the window, and the cell is below it, right of the agency column,
    # and inside the grid's box.
    assert 0 <= header["y"]
    assert header["y"] + header["height"] <= cell["top"] + 1
    assert agency_column <= cell["left"] + 1
    assert cell["bottom"] <= box["y"] + box["height"] + 1
    assert cell["right"] <= box["x"] + box["width"] + 1


def test_a_250_commune_grid_comes_in_pages_usable_on_a_phone(
    page, live_server, login, officer_a, plan_a, province_a, indicator
):
    Agency.objects.bulk_create(
        Agency(province=province_a, code=f"91-X{i:05d}", name=f"UBND xã Thử Nghiệm {i:03d}",
               tier="commune")
        for i in range(250)
    )
    lan = indicator("LAN")
    login(page, live_server, officer_a)
    ARTIFACTS.mkdir(exist_ok=True)

    # On a wide screen each page's link names its first and last agency.
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.goto(live_server.url + grid_path("commune") + "?page=2").status == 200
    assert page.locator("tbody tr").count() == 100
    top = page.get_by_role("navigation", name="Các trang của bảng", exact=True)
    assert top.locator(".grid-pages-names").nth(1).is_visible()
    top.screenshot(path=str(ARTIFACTS / "entry-grid-pages-desktop.png"))

    # On a phone: nothing past the right edge, every link a finger's size, the names hidden.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + grid_path("commune") + "?page=2&notes=1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    top = page.get_by_role("navigation", name="Các trang của bảng", exact=True)
    assert "Trang 2/3" in top.inner_text()
    assert not top.locator(".grid-pages-names").first.is_visible()
    for link in top.get_by_role("link").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert box["height"] >= 44 and box["width"] >= 44
    assert top.get_by_role("link", name="101–200").get_attribute("aria-current") == "page"
    page.screenshot(path=str(ARTIFACTS / "entry-grid-pages-390.png"))
    top.screenshot(path=str(ARTIFACTS / "entry-grid-pages-390-nav.png"))
    bottom = page.get_by_role("navigation", name="Các trang của bảng, dưới bảng")
    bottom.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "entry-grid-pages-390-bottom.png"))

    # The next page keeps the notes shown; a save there comes back to it.
    top.get_by_role("link", name="Trang sau ›").click()
    page.wait_for_url("**?page=3&notes=1")
    assert page.locator("tbody tr").count() == 50
    last = Agency.objects.get(code="91-X00249")
    page.select_option(field(last, lan, "v"), "1")
    page.get_by_role("button", name="Lưu các ô đã sửa").click()
    page.wait_for_url("**?page=3&notes=1")
    assert "Đã lưu 1 kết quả." in page.locator(".messages").inner_text()
    assert page.locator(field(last, lan, "v")).input_value() == "1"
    assert Result.objects.get().agency == last
