"""An officer of Kiên Giang attaches a PDF on the demo's agency page and downloads it back."""

import io

import pytest
from django.core.management import call_command

from plans.models import Evidence, Profile, Province
from tests import evidence_files as files
from tests.browser.test_dashboard import ensure_catalogue
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

AGENCY_PAGE = "/entry/91/2017/agency/91-SNV/"


@pytest.fixture
def demo_officer(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_catalogue()
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    return make_user("officer_kg", Profile.Role.OFFICER, [Province.objects.get(code="91")])


def test_an_officer_attaches_a_pdf_and_downloads_it_byte_for_byte(
    page, live_server, login, demo_officer, tmp_path
):
    data = files.PDF + bytes(range(256)) * 40
    source = tmp_path / "Biên bản kiểm tra mạng LAN.pdf"
    source.write_bytes(data)
    login(page, live_server, demo_officer)

    page.goto(live_server.url + AGENCY_PAGE)
    form = page.locator("form.evidence-form")
    form.locator("input[name=file]").set_input_files(str(source))
    form.locator("select[name=indicator]").select_option("LAN")
    form.locator("input[name=description]").fill("Bản scan có chữ ký")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    assert page.url.endswith(AGENCY_PAGE + "#evidence")
    listed = page.locator("table.evidence-list tbody tr")
    assert listed.count() == 1
    assert "Biên bản kiểm tra mạng LAN.pdf" in listed.inner_text()
    assert "Bản scan có chữ ký" in listed.inner_text()
    evidence = Evidence.objects.get()
    assert evidence.indicator.code == "LAN"

    with page.expect_download() as download_info:
        listed.get_by_role("link", name="Biên bản kiểm tra mạng LAN.pdf", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "Biên bản kiểm tra mạng LAN.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == data


def test_a_renamed_web_page_is_refused_with_the_reason(page, live_server, login, demo_officer,
                                                      tmp_path):
    source = tmp_path / "báo cáo.pdf"
    source.write_bytes(files.HTML)
    login(page, live_server, demo_officer)
    page.goto(live_server.url + AGENCY_PAGE)
    form = page.locator("form.evidence-form")
    form.locator("input[name=file]").set_input_files(str(source))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "là một trang web" in page.locator("[role=alert]").inner_text()
    assert not Evidence.objects.exists()
