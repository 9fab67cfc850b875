"""The upload preview in real Chromium: download the template, change two figures in Excel,
upload, read old → new by agency, confirm, find the figures saved. Screenshots of the preview
at 1366 and 390 px wide are left in test-artifacts/ for people to look at."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Indicator
from plans.models import Change, Result

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

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


def fill_two_figures(path: Path) -> None:
    """Change Sở Nội vụ's e-mail figures and answer LAN for Sở TT&TT, as a person in Excel."""
    workbook = load_workbook(path)
    sheet = workbook.active
    columns = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(columns, row, strict=True))
        key = (cells["agency_code"].value, cells["indicator_code"].value)
        if key == ("91-SNV", "OFFICIAL_EMAIL"):
            cells["numerator"].value, cells["denominator"].value = 412, 430
        elif key == ("91-STTTT", "LAN"):
            cells["value"].value = "có"
    workbook.save(path)


def test_an_officer_checks_the_preview_of_an_edited_template_and_confirms(
    page, live_server, login, officer_a, plan_a, agencies_a, indicator, tmp_path
):
    snv, stttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    email, lan = indicator("OFFICIAL_EMAIL"), indicator("LAN")
    Result.objects.create(year=2017, agency=snv, indicator=email, numerator=3, denominator=4)
    login(page, live_server, officer_a)
    page.goto(live_server.url + reverse("plans:entry_upload", args=["91", 2017]))

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    fill_two_figures(path)
    page.set_input_files("#upload-file", str(path))
    page.get_by_role("button", name="Xem trước").click()

    report = page.locator(".upload-report")
    assert "1 kết quả mới, 1 kết quả sẽ được sửa, 0 không đổi" in report.inner_text()
    groups = page.locator(".upload-agency")
    assert groups.count() == 2
    assert groups.nth(0).locator("h4").inner_text() == "Sở Nội vụ (0 mới, 1 sửa)"
    assert groups.nth(0).locator("tbody tr").inner_text().split("\t")[1:] == [
        email.name_vi, "3/4", "→\xa0412/430",
    ]
    assert groups.nth(1).locator("h4").inner_text() == "Sở Thông tin và Truyền thông (1 mới, 0 sửa)"
    assert groups.nth(1).locator("tbody tr").inner_text().split("\t")[1:] == [
        lan.name_vi, "(chưa có)", "→\xa0Có",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "upload-preview-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "upload-preview-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not Change.objects.exists()

    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Xác nhận ghi tất cả").click()

    assert "1 kết quả mới, 1 kết quả được sửa" in page.locator(".messages").inner_text()
    page.goto(live_server.url + reverse("plans:entry_grid", args=["91", 2017, "department"]))
    assert page.locator(field(snv, email, "n")).input_value() == "412"
    assert page.locator(field(snv, email, "d")).input_value() == "430"
    assert Result.objects.get(agency=stttt, indicator=lan).value == 1
    assert Change.objects.count() == 2
