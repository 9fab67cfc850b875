"""An upload says it is working while the server reads the file: the status under the button, a
spinner, the button disabled. The test holds the server's import until it has looked at the page
in the meantime, at 1366 and 390 px wide; screenshots are left in test-artifacts/. Without
JavaScript the upload works as before.

While a navigation is pending Playwright can no longer read the page, so the page tells its state
on the console, and is photographed through Chromium's own protocol (CDP).
"""

import base64
import importlib
import json
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import Indicator
from plans.models import Result
from plans.views import upload as upload_views

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CSV = b"year,agency_code,indicator_code,value,numerator,denominator,note\n2017,91-SNV,LAN,1,,,\n"
UPLOADING = (
    "Đang tải lên và kiểm tra tệp… Tệp lớn có thể mất đến một phút, xin đừng đóng trang."
)
SAVING = "Đang ghi kết quả… Tệp lớn có thể mất đến một phút, xin đừng đóng trang."

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


class Gate:
    """Holds the upload view's import (in the live server's thread) until the test opens it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()

    def let_go(self) -> None:
        assert self.entered.wait(5), "the upload never reached the server"
        self.opened.set()

    def close(self) -> None:
        self.entered.clear()
        self.opened.clear()


@pytest.fixture
def gate(monkeypatch):
    gate = Gate()
    real_import = upload_views._import

    def held_import(*args, **kwargs):
        gate.entered.set()
        gate.opened.wait(10)
        return real_import(*args, **kwargs)

    monkeypatch.setattr(upload_views, "_import", held_import)
    yield gate
    gate.opened.set()  # a failed test leaves no request waiting


# Once the page's own submit listener has run: the status, the submit button, the page's width,
# told on the console (a submitted page is no longer Playwright's to read, its events still are).
WATCH = """([status, button]) => {
    const form = document.querySelector(button).form;
    form.addEventListener("submit", () => setTimeout(() => {
        const element = document.querySelector(status);
        const box = element.getBoundingClientRect();
        console.log("held " + JSON.stringify({
            text: element.textContent,
            live: element.getAttribute("aria-live"),
            shown: box.height > 0 && getComputedStyle(element).visibility === "visible",
            spinner: getComputedStyle(element, "::before").animationName,
            disabled: document.querySelector(button).disabled,
            fits: document.documentElement.scrollWidth <= window.innerWidth,
        }));
    }, 50));
}"""


def submit_and_watch(page, status: str, button: str, name: str) -> dict:
    """Click the button named ``name`` (``button`` selects it) and return what the page showed."""
    page.evaluate(WATCH, [status, button])
    with page.expect_console_message(lambda message: message.text.startswith("held ")) as told:
        page.get_by_role("button", name=name).click(no_wait_after=True)
    return json.loads(told.value.text.removeprefix("held "))


def screenshot(page, name: str) -> None:
    """Photograph the page as it is, pending navigation or not, into test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    session = page.context.new_cdp_session(page)
    shot = session.send("Page.captureScreenshot", {"format": "png"})
    (ARTIFACTS / name).write_bytes(base64.b64decode(shot["data"]))
    session.detach()


@pytest.mark.parametrize("width", [1366, 390])
def test_an_upload_says_it_is_working_until_the_server_answers(
    page, live_server, login, officer_a, plan_a, agencies_a, indicator, width, gate
):
    page.set_viewport_size({"width": width, "height": 844})
    login(page, live_server, officer_a)
    url = live_server.url + reverse("plans:entry_upload", args=["91", 2017])
    page.goto(url)
    expect(page.locator("#upload-status")).to_have_text("")

    page.set_input_files(
        "#upload-file", files=[{"name": "results.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    assert submit_and_watch(page, "#upload-status", ".upload-form button", "Xem trước") == {
        "text": UPLOADING, "live": "polite", "shown": True, "spinner": "upload-spin",
        "disabled": True, "fits": True,
    }
    screenshot(page, f"upload-busy-{width}.png")
    gate.let_go()

    expect(page.locator(".upload-report")).to_contain_text("Tệp hợp lệ: 1 dòng")
    gate.close()
    assert not Result.objects.exists()
    confirm_status = page.locator("#confirm-status")
    expect(confirm_status).to_have_text("")
    assert submit_and_watch(
        page, "#confirm-status", ".upload-confirm button", "Xác nhận ghi tất cả"
    ) == {
        "text": SAVING, "live": "polite", "shown": True, "spinner": "upload-spin",
        "disabled": True, "fits": True,
    }
    screenshot(page, f"upload-saving-{width}.png")
    gate.let_go()

    # The confirm's button was disabled after the form was read: its name still says "confirm".
    expect(page.locator(".messages")).to_contain_text("Đã nhập tệp results.csv: 1 kết quả mới")
    assert Result.objects.get(agency=agencies_a["91-SNV"], indicator=indicator("LAN")).value == 1


def test_without_javascript_the_upload_works_and_says_nothing_more(
    browser, live_server, login, officer_a, plan_a, agencies_a, indicator
):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    login(page, live_server, officer_a)
    page.goto(live_server.url + reverse("plans:entry_upload", args=["91", 2017]))

    page.set_input_files(
        "#upload-file", files=[{"name": "results.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.get_by_role("button", name="Xem trước").click(no_wait_after=True)
    expect(page.locator(".upload-report")).to_contain_text("Tệp hợp lệ: 1 dòng")
    expect(page.locator("#confirm-status")).to_have_text("")
    page.get_by_role("button", name="Xác nhận ghi tất cả").click(no_wait_after=True)

    expect(page.locator(".messages")).to_contain_text("Đã nhập tệp results.csv: 1 kết quả mới")
    assert Result.objects.get(agency=agencies_a["91-SNV"], indicator=indicator("LAN")).value == 1
    context.close()
