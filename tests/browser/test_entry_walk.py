"""A Kiên Giang officer walks through results entry on the demo data (plan 2017, open).

1. The year page: a tier no target asks for an indicator is "ngoài phạm vi", not a missing
   report; the list of agencies that reported nothing counts only agencies a target covers.
2. Undoing a wrong figure: "Xoá kết quả" → the confirmation with the figures → confirm → the
   success message, the result gone, and the clearing in the agency's history.
3. The tier grid's header says what to count ("tử số:" / "mẫu số:", "có:"), at 1366 px and on
   a 390 px phone.
4. A GET of a POST-only address answers 405 with a page and a link back, never an empty page.

Screenshots go to ``test-artifacts/entry-walk-*.png`` for people to look at.
"""

import io
import re

import pytest
from django.core.management import call_command

from plans.models import Agency, Plan, Profile, Province, Result, Target
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import ensure_catalogue
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

YEAR = 2017
BASE = f"/entry/91/{YEAR}"


@pytest.fixture
def demo_officer():
    ensure_catalogue()
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    plan = Plan.objects.get(province__code="91", year=YEAR)
    assert plan.status == Plan.Status.OPEN  # the walk needs the demo's open year
    return make_user("officer_kg", Profile.Role.OFFICER, [Province.objects.get(code="91")])


def shot(page, name, *, full_page=True):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"entry-walk-{name}.png"), full_page=full_page)


def row_cells(page, code):
    """The texts of the year table's cells in the row of indicator ``code``."""
    row = page.locator("table.reported tbody tr", has=page.locator(f"span.code:text-is('{code}')"))
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def agency_row(page, code):
    """The agency page's row of indicator ``code``."""
    return page.locator(
        "table.entry-agency tbody tr", has=page.locator(f"span.code:text-is('{code}')")
    )


def tier_columns(page):
    return [text.strip() for text in page.locator("table.reported thead th").all_inner_texts()][1:]


def test_year_page_out_of_scope_cells_and_the_silent_agencies_in_scope(
    page, live_server, login, demo_officer
):
    login(page, live_server, demo_officer)
    page.set_viewport_size({"width": 1366, "height": 900})
    response = page.goto(f"{live_server.url}{BASE}/")
    assert response.status == 200
    columns = tier_columns(page)
    assert len(columns) == 4, columns
    commune = len(columns) - 1  # the commune tier comes last
    # The demo's DIGITAL_SIGNATURE target covers departments and districts only: its commune
    # cell is out of scope, not "0/143" missing.
    cells = row_cells(page, "DIGITAL_SIGNATURE")
    assert cells[commune].startswith("ngoài phạm vi"), cells
    assert not re.fullmatch(r"\d+/\d+", cells[commune])
    assert page.locator("td.out-of-scope").count() >= 1
    # A cell a target covers is a count of reports.
    assert re.fullmatch(r"\d+/143", row_cells(page, "OFFICIAL_EMAIL")[commune])
    # Every demo agency has reported: nothing missing among the 179 the targets cover.
    body = page.inner_text("body")
    assert "Đơn vị trong phạm vi kế hoạch chưa báo cáo kết quả nào (0/179)" in body
    shot(page, "year-demo")

    # Now no target asks communes anything, and one department and one commune have
    # reported nothing this year.
    plan = Plan.objects.get(province__code="91", year=YEAR)
    for target in Target.objects.filter(plan=plan, tiers__contains="commune"):
        target.tiers = "+".join(t for t in target.tier_list if t != "commune")
        target.save()
    department = Agency.objects.get(code="91-SNV")
    a_commune = Agency.objects.filter(province=plan.province, tier="commune").first()
    Result.objects.filter(year=YEAR, agency__in=[department, a_commune]).delete()

    page.goto(f"{live_server.url}{BASE}/")
    body = page.inner_text("body")
    # 20 departments + 15 districts + the province: communes are not counted.
    assert "Đơn vị trong phạm vi kế hoạch chưa báo cáo kết quả nào (1/36)" in body
    listed = [t.strip() for t in page.locator("ul.not-reported li").all_inner_texts()]
    assert len(listed) == 1, listed
    assert department.name in listed[0]
    assert a_commune.name not in " ".join(listed)
    # Each indicator's commune cell is now out of scope; those still reported show in brackets.
    for row in page.locator("table.reported tbody tr").all():
        cell = row.locator("td").nth(commune).inner_text().strip()
        assert cell.startswith("ngoài phạm vi"), cell
    assert "ngoài phạm vi (142)" in row_cells(page, "OFFICIAL_EMAIL")[commune]
    shot(page, "year-communes-out-of-scope")


def test_an_officer_clears_a_wrong_figure_and_the_history_keeps_it(
    page, live_server, login, demo_officer
):
    agency = Agency.objects.get(code="91-SNV")
    result = Result.objects.select_related("indicator").get(
        agency=agency, year=YEAR, indicator__code="OFFICIAL_EMAIL"
    )
    figures = f"{result.numerator}/{result.denominator}"
    login(page, live_server, demo_officer)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{BASE}/agency/91-SNV/")
    row = agency_row(page, "OFFICIAL_EMAIL")
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile("^Xoá kết quả")).click()
    assert page.url.endswith(f"{BASE}/agency/91-SNV/clear/OFFICIAL_EMAIL/")
    assert page.locator("h1").inner_text().startswith("Xoá kết quả của")
    confirmation = page.locator("dl.result-to-clear").inner_text()
    assert result.indicator.name in confirmation
    assert figures in confirmation
    shot(page, "clear-confirm")

    with page.expect_navigation():
        page.get_by_role("button", name="Xoá kết quả").click()
    assert page.url.endswith(f"{BASE}/agency/91-SNV/")
    body = page.inner_text("body")
    assert f"Đã xoá kết quả “{result.indicator.name}”" in body
    assert not Result.objects.filter(pk=result.pk).exists()
    # The row is empty again: no "Xoá kết quả" link and no figures.
    row = agency_row(page, "OFFICIAL_EMAIL")
    assert row.get_by_role("link", name=re.compile("^Xoá kết quả")).count() == 0
    values = row.locator("input:not([type=hidden])").evaluate_all("els => els.map(e => e.value)")
    assert values and all(v == "" for v in values), values
    shot(page, "clear-done")

    page.get_by_role("link", name="Lịch sử thay đổi của đơn vị").click()
    page.wait_for_load_state()
    # The newest entry is the clearing: the figures cleared, nothing after, by whom and how.
    history = page.locator("table.changes tbody tr").first
    cells = [t.strip() for t in history.locator("td").all_inner_texts()]
    assert cells[1:] == [
        str(YEAR), f"{result.indicator.name} OFFICIAL_EMAIL", figures, "(chưa có)",
        "officer_kg", "trang đơn vị",
    ], cells
    # The indicator's own history too.
    page.goto(f"{live_server.url}{BASE}/agency/91-SNV/history/?indicator=OFFICIAL_EMAIL")
    first = page.locator("table.changes tbody tr").first.inner_text()
    assert figures in first and "officer_kg" in first, first
    shot(page, "clear-history")


def test_the_tier_grid_header_says_what_to_count(page, live_server, login, demo_officer):
    login(page, live_server, demo_officer)
    for width, height, name in ((1366, 900, "grid-header-1366"), (390, 844, "grid-header-390")):
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(f"{live_server.url}{BASE}/department/")
        assert response.status == 200
        ratio = page.locator("thead th.kind-ratio").filter(
            has=page.locator(".indicator-name", has_text="hộp thư điện tử công vụ")
        )
        assert ratio.count() == 1
        hint = ratio.locator(".kind-hint").inner_text()
        assert "tử số:" in hint and "mẫu số:" in hint, hint
        # No demo yes/no indicator has a label: the hint names the answers ("có: …" with one).
        yes_no = page.locator("thead th.kind-yes_no").first
        assert yes_no.locator(".kind-hint").inner_text() == "có / không"
        # The hint sits under the column's name, inside the same header cell.
        name_box = ratio.locator(".indicator-name").bounding_box()
        hint_box = ratio.locator(".kind-hint").bounding_box()
        assert hint_box["y"] >= name_box["y"] + name_box["height"] - 1
        shot(page, name, full_page=False)
        ratio.scroll_into_view_if_needed()
        shot(page, f"{name}-ratio", full_page=False)


def test_a_get_of_a_post_only_address_shows_a_page_with_a_link_back(
    page, live_server, login, demo_officer
):
    login(page, live_server, demo_officer)
    page.set_viewport_size({"width": 1366, "height": 900})
    response = page.goto(f"{live_server.url}{BASE}/reopen/")
    assert response.status == 405
    assert page.locator("h1").inner_text() == "Không mở được địa chỉ này"
    back = page.get_by_role("link", name=re.compile("^Về trang nhập kết quả"))
    assert back.count() == 1
    shot(page, "405")
    with page.expect_navigation():
        back.click()
    assert page.url == f"{live_server.url}{BASE}/"
    assert page.locator("h1").inner_text().startswith(f"Kết quả năm {YEAR}")
