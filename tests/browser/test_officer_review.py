"""An officer's review on the demo, in Chromium: the demo officer of Kiên Giang opens the status
board of the open plan, sees the agencies and where their reports stand, approves one submitted
report and returns another with a reason, sees the board's counts follow, downloads status.csv,
and finds the approved agency's figures closed to change, with the reason. Screenshots of the
board at desk and phone widths go to test-artifacts/.
"""

import csv
import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import Indicator
from plans.models import Agency, Plan, Submission
from plans.services.submissions import submission_submit
from tests.browser.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

State = Submission.State


@pytest.fixture
def demo():
    """Load the demo; return its open plan of Kiên Giang with three reports submitted."""
    if not Indicator.objects.exists():
        importlib.import_module("indicators.migrations.0002_standard_catalogue").install(
            django_apps, None
        )
    call_command("load_demo", stdout=io.StringIO())
    plan = Plan.objects.select_related("province").get(
        province__code="91", status=Plan.Status.OPEN
    )
    users = get_user_model().objects
    reporter, officer = users.get(username="baocao_kiengiang"), users.get(
        username="canbo_kiengiang"
    )
    # The reporter sends its two agencies' reports; the officer sends Sở Tư pháp's for it.
    for code, user in (("91-SNV", reporter), ("91-X30733", reporter), ("91-STP", officer)):
        submission_submit(plan=plan, agency=Agency.objects.get(code=code), user=user,
                          expected_version=0)
    return plan


def board_counts(page) -> dict[str, dict[str, str]]:
    """Return the board's counts table as {tier: {state or "Tổng": count}}."""
    return page.locator("table.status-counts").evaluate(
        """table => {
            const heads = [...table.tHead.rows[0].cells].map(c => c.innerText.trim());
            const out = {};
            for (const row of table.tBodies[0].rows) {
                const cells = [...row.cells].map(c => c.innerText.trim());
                out[cells[0]] = Object.fromEntries(heads.slice(1).map((h, i) => [h, cells[i + 1]]));
            }
            return out;
        }"""
    )


def board_state(page, code) -> str:
    return page.locator(f"#agency-{code} td.state").inner_text().split("\n")[0]


def test_an_officer_reviews_reports_from_the_status_board(page, live_server, login, demo):
    plan = demo
    base = f"{live_server.url}/entry/91/{plan.year}"
    login(page, live_server, get_user_model().objects.get(username="canbo_kiengiang"))

    page.goto(f"{base}/status/")
    heading = page.locator("h1").inner_text()
    assert heading == f"Tình trạng báo cáo năm {plan.year} – tỉnh Kiên Giang"
    assert board_state(page, "91-SNV") == "Đã gửi"
    assert board_state(page, "91-X30733") == "Đã gửi"
    assert board_state(page, "91-STP") == "Đã gửi"
    before = board_counts(page)
    department, commune = Agency.Tier.DEPARTMENT.label, Agency.Tier.COMMUNE.label
    assert int(before[department]["Đã gửi"]) == 2
    assert int(before[commune]["Đã gửi"]) == 1
    ARTIFACTS.mkdir(exist_ok=True)
    # The top of the board (the list runs to every commune of the province).
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "status-board-1366.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "status-board-390.png"))
    # On a phone the page is no wider than the screen: the wide table scrolls in its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})

    # Sở Nội vụ: opened from the board, approved.
    page.locator("#agency-91-SNV th a").click()
    page.wait_for_url(f"{base}/agency/91-SNV/")
    page.get_by_role("button", name="Duyệt báo cáo").click()
    assert f"Đã duyệt báo cáo năm {plan.year} của Sở Nội vụ." in page.locator(
        ".messages"
    ).inner_text()
    assert page.locator(".submission-state").inner_text() == "Đã duyệt"

    # Phường Vĩnh Thanh: returned with a reason.
    page.goto(f"{base}/status/")
    page.locator("#agency-91-X30733 th a").click()
    page.wait_for_url(f"{base}/agency/91-X30733/")
    page.fill("#return-reason", "Thiếu biên bản kiểm tra mạng nội bộ.")
    page.get_by_role("button", name="Trả lại báo cáo").click()
    assert "Đã trả lại báo cáo năm" in page.locator(".messages").inner_text()

    # The board follows: one approved and one sent among departments, one commune returned.
    page.goto(f"{base}/status/")
    after = board_counts(page)
    assert int(after[department]["Đã gửi"]) == 1
    assert int(after[department]["Đã duyệt"]) == int(before[department]["Đã duyệt"]) + 1
    assert int(after[commune]["Đã gửi"]) == 0
    assert int(after[commune]["Bị trả lại"]) == int(before[commune]["Bị trả lại"]) + 1
    assert board_state(page, "91-SNV") == "Đã duyệt"
    assert board_state(page, "91-X30733") == "Bị trả lại"
    assert "Thiếu biên bản kiểm tra mạng nội bộ." in page.locator(
        "#agency-91-X30733 td.state"
    ).inner_text()

    # status.csv says the same, for programs.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải status.csv").click()
    download = download_info.value
    assert download.suggested_filename == f"status-91-{plan.year}.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == [
        "agency_code", "agency_name", "tier", "state", "submitted_at", "approved_at", "late",
        "changed_since_approval", "changed_since_submission",
    ]
    snv = next(row for row in rows if row[0] == "91-SNV")
    assert snv[1:4] == ["Sở Nội vụ", "department", "approved"]
    assert snv[4] and snv[5]
    assert snv[5].endswith("+07:00") and snv[7] == "false"
    assert next(row for row in rows if row[0] == "91-X30733")[3] == "returned"

    # The approved figures cannot be changed on the agency page (issue 19: disabled inputs,
    # no save button), and the page says why.
    page.goto(f"{base}/agency/91-SNV/")
    agency = Agency.objects.get(code="91-SNV")
    indicator = Indicator.objects.get(code="OFFICIAL_EMAIL")
    denominator = page.locator(f"[name='r{agency.pk}-{indicator.pk}-d']")
    assert denominator.is_disabled()
    assert page.get_by_role("button", name="Lưu các ô đã sửa").count() == 0
    lock = f"Số liệu của Sở Nội vụ năm {plan.year} đã được duyệt; cần mở lại trước khi sửa."
    assert lock in page.locator("main").inner_text()
    assert Submission.objects.get(plan=plan, agency=agency).state == State.APPROVED
