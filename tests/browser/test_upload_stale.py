"""A stale template in real Chromium, with two officers: one downloads the template, the other
saves a newer figure on the grid, the first uploads his older file. The preview lists the
conflict with who changed it and when; the confirm leaves it unless ticked."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Indicator
from plans.models import Result
from tests.conftest import make_user

SHOTS = Path("/work/wt/shots-i19")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    """Install the indicator catalogue if the previous test's flush took it away."""
    if not Indicator.objects.exists():
        catalogue = importlib.import_module("indicators.migrations.0002_standard_catalogue")
        catalogue.install(apps, None)


def field(agency, indicator, suffix):
    return f"[name='r{agency.pk}-{indicator.pk}-{suffix}']"


def set_figures(path: Path, wanted: dict) -> None:
    """Write ``wanted`` {(agency code, indicator code): {column: value}} into the workbook."""
    workbook = load_workbook(path)
    sheet = workbook.active
    columns = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(columns, row, strict=True))
        for column, value in wanted.get(
            (cells["agency_code"].value, cells["indicator_code"].value), {}
        ).items():
            cells[column].value = value
    workbook.save(path)


def test_a_stale_template_does_not_undo_a_colleagues_newer_figure(
    page, browser, live_server, login, officer_a, province_a, plan_a, agencies_a, indicator,
    tmp_path,
):
    snv, stttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    email, lan = indicator("OFFICIAL_EMAIL"), indicator("LAN")
    Result.objects.create(year=2017, agency=snv, indicator=email, numerator=21, denominator=50)
    colleague = make_user("canbo_lan", "officer", [province_a], first_name="Lan",
                          last_name="Trần")
    login(page, live_server, officer_a)
    page.goto(live_server.url + reverse("plans:entry_upload", args=["91", 2017]))
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    # The colleague, in her own browser, corrects Sở Nội vụ's figure to 22/50.
    other_context = browser.new_context(locale="vi-VN")
    other = other_context.new_page()
    login(other, live_server, colleague)
    other.goto(live_server.url + reverse("plans:entry_grid", args=["91", 2017, "department"]))
    other.fill(field(snv, email, "n"), "22")
    other.get_by_role("button", name="Lưu các ô đã sửa").click()
    assert "Đã lưu 1 kết quả" in other.locator(".messages").inner_text()
    other_context.close()

    # The first officer fills his older template: the old 21/50 stays, LAN is answered.
    set_figures(path, {("91-STTTT", "LAN"): {"value": "có"}})
    page.set_input_files("#upload-file", str(path))
    page.get_by_role("button", name="Xem trước").click()

    conflicts = page.locator(".upload-conflicts")
    assert "1 kết quả đã được người khác sửa sau khi tệp mẫu được tải về" in (
        conflicts.inner_text()
    )
    cells = conflicts.locator("tbody tr td").all_inner_texts()
    assert cells[2:5] == ["Sở Nội vụ", email.name_vi, "22/50"]
    assert cells[5].startswith("Lan Trần, ")
    assert cells[6] == "21/50"
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"upload-conflict-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("button", name="Xác nhận ghi").click()

    assert "1 kết quả mới" in page.locator(".messages").inner_text()
    assert "1 kết quả được giữ nguyên vì người khác đã sửa" in (
        page.locator(".messages").inner_text()
    )
    stored = Result.objects.get(agency=snv, indicator=email)
    assert (stored.numerator, stored.updated_by) == (22, colleague)
    assert Result.objects.get(agency=stttt, indicator=lan).value == 1
