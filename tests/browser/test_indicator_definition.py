"""An indicator's definition in real Chromium: from the grid's column header to its page."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from indicators.models import Indicator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    """Install the catalogue and its definitions if an earlier test's flush took them away."""
    if not Indicator.objects.exists():
        importlib.import_module("indicators.migrations.0002_standard_catalogue").install(
            apps, None
        )
    importlib.import_module("indicators.migrations.0004_standard_definitions").fill(apps, None)


def test_an_officer_follows_a_column_header_to_the_indicators_definition(
    page, live_server, login, officer_a, plan_a, agencies_a
):
    login(page, live_server, officer_a)
    page.goto(live_server.url + reverse("plans:entry_grid", args=["91", 2017, "department"]))
    header = page.locator(
        "thead th a.indicator-name", has_text="Dịch vụ công trực tuyến toàn trình"
    )
    with page.expect_navigation():
        header.click()
    assert page.url == live_server.url + reverse(
        "indicators:definition", args=["PUBLIC_SERVICES_FULL"]
    )
    assert page.locator("h1").inner_text().startswith("Dịch vụ công trực tuyến toàn trình")
    definition = page.locator("dl.definition").inner_text()
    for words in ("Khái niệm", "Công thức tính", "Căn cứ pháp lý", "Nghị định số 42/2022/NĐ-CP",
                  "Nguồn số liệu", "Năm sử dụng"):
        assert words in definition
