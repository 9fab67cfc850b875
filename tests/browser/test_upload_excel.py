"""Uploading results as Vietnamese Excel saves them, in real Chromium: a file separated by
semicolons with digit groups."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from indicators.models import Indicator
from plans.models import Result

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


def test_an_officer_uploads_a_semicolon_file_with_digit_groups(
    page, live_server, login, officer_a, plan_a, agencies_a, indicator, tmp_path
):
    path = tmp_path / "ket-qua.csv"
    path.write_bytes(
        "year;agency_code;indicator_code;value;numerator;denominator;note\r\n"
        "2017;91-SNV;OFFICIAL_EMAIL;;1.000;1.250;có ghi chú, dấu phẩy\r\n"
        "2017;91-SNV;LAN;có;;;\r\n".encode("utf-8-sig")
    )
    login(page, live_server, officer_a)

    page.goto(live_server.url + reverse("plans:entry_upload", args=["91", 2017]))
    page.set_input_files("#upload-file", str(path))
    page.get_by_role("button", name="Xem trước").click()
    assert "2 kết quả mới" in page.locator(".upload-report").inner_text()
    page.get_by_role("button", name="Xác nhận ghi tất cả").click()

    assert "Đã nhập tệp ket-qua.csv: 2 kết quả mới" in page.locator(".messages").inner_text()
    email = Result.objects.get(indicator=indicator("OFFICIAL_EMAIL"))
    assert (email.numerator, email.denominator, email.note) == (1000, 1250, "có ghi chú, dấu phẩy")


def test_an_upload_with_a_fraction_lists_the_reason(
    page, live_server, login, officer_a, plan_a, agencies_a, tmp_path
):
    path = tmp_path / "ket-qua.csv"
    path.write_bytes(
        b"year;agency_code;indicator_code;value;numerator;denominator;note\n"
        b"2017;91-SNV;OFFICIAL_EMAIL;;1,5;10;\n"
    )
    login(page, live_server, officer_a)

    page.goto(live_server.url + reverse("plans:entry_upload", args=["91", 2017]))
    page.set_input_files("#upload-file", str(path))
    page.get_by_role("button", name="Xem trước").click()

    errors = page.locator(".upload-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.locator("td").first.inner_text() == "2"
    assert "dấu phẩy ghi phần thập phân" in errors.first.inner_text()
    assert not Result.objects.exists()
