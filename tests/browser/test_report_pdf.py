"""The demo's Kiên Giang 2017 report printed to PDF in Chromium, read back with pypdf.

What Decree 30/2020 asks of the printed document: page numbers at the top from page 2, one
typeface (the served Liberation Serif, whose Vietnamese letters are complete), the signatures
never alone on a page, and names rather than codes. The PDF and a screenshot of each page go to
``test-artifacts/``.
"""

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from indicators.models import Indicator
from plans.models import Agency, Plan, Profile, Programme, Province
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import ensure_catalogue
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

FAMILY = "LiberationSerif"
TOP_MARGIN_PT = 20 / 25.4 * 72  # the report's 20 mm top margin, in PDF points


@pytest.fixture
def demo_leader():
    ensure_catalogue()
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    return make_user("leader_kg", Profile.Role.LEADER, [Province.objects.get(code="91")])


def print_report(page, live_server, name):
    """Print Kiên Giang's 2017 report as Chromium does for Save as PDF; return the PDF's bytes."""
    response = page.goto(f"{live_server.url}/dashboard/91/2017/report/")
    assert response.status == 200
    page.emulate_media(media="print")
    page.evaluate("document.fonts.ready.then(() => true)")
    pdf = page.pdf(path=str(ARTIFACTS / f"{name}.pdf"), prefer_css_page_size=True)
    return pdf


def font_names(resources, seen=None):
    """Return the /BaseFont of every font in a page's resources, form XObjects included."""
    seen = set() if seen is None else seen
    names = []
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        names.append(str(font.get("/BaseFont")))
        for descendant in font.get("/DescendantFonts") or []:
            names.append(str(descendant.get_object().get("/BaseFont")))
    for xobject in (resources.get("/XObject") or {}).values():
        if id(xobject.get_object()) in seen:
            continue
        seen.add(id(xobject.get_object()))
        names += font_names(xobject.get_object().get("/Resources"), seen)
    return names


def top_margin_text(pdf_page):
    """Return the text printed in the page's top margin (where the page number goes)."""
    height = float(pdf_page.mediabox.height)
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > height - TOP_MARGIN_PT:
            found.append(text.strip())

    pdf_page.extract_text(visitor_text=visit)
    return "".join(found)


def lines_of(pdf_page):
    return [line.strip() for line in pdf_page.extract_text().splitlines() if line.strip()]


def check_printed_report(pdf):
    """Assert what Decree 30 asks of the printed report; return its pages' text lines."""
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    pages = [lines_of(pdf_page) for pdf_page in reader.pages]

    # Page numbers: none on the first page, then the page's number alone at the top.
    assert top_margin_text(reader.pages[0]) == ""
    for number, pdf_page in enumerate(reader.pages[1:], start=2):
        assert top_margin_text(pdf_page) == str(number)

    # One family: the served Liberation Serif (each subset named "ABCDEF+LiberationSerif-…").
    fonts = {name for pdf_page in reader.pages for name in font_names(pdf_page["/Resources"])}
    assert fonts
    assert all(FAMILY in name for name in fonts), fonts

    # The signatures, whole, share their page with the report's closing sentence.
    signed = [lines for lines in pages if "TRƯỞNG BAN" in lines]
    assert len(signed) == 1
    assert "Nơi nhận:" in signed[0]
    assert any(line.startswith("Trên đây là báo cáo") for line in signed[0]), signed[0]
    return pages


def test_it_prints_the_demo_report_with_page_numbers_one_font_and_no_codes(
    page, live_server, login, demo_leader
):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, demo_leader)
    pages = check_printed_report(print_report(page, live_server, "report"))
    text = "\n".join(line for lines in pages for line in lines)
    assert "Kiên Giang" in text
    assert "Số: ……/BC-BCĐ" in text
    # Names, never codes: no indicator, agency, province or tier code in an official document.
    codes = set(Indicator.objects.values_list("code", flat=True))
    codes |= set(Agency.objects.values_list("code", flat=True))
    assert not {code for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)}
    assert not re.search(r"\b(province|department|district|commune)\b", text)
    assert not re.search(r"(?<![\d.,/])91(?![\d.,/ %])", text)
    # Screenshots of the print layout, one A4 page high at 96 dpi each.
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(ARTIFACTS / "report-pdf-print.png"), full_page=True)


def test_it_keeps_the_signatures_with_the_last_lines_of_a_long_report(
    page, live_server, login, demo_leader
):
    """A plan with many tasks: the report runs to four pages, numbered, signed with text.

    21 tasks is the length at which the signatures used to open page 4 alone.
    """
    plan = Plan.objects.get(province__code="91", year=2017)
    plan.report_number = "15/BC-BCĐ"
    plan.tasks = "\n".join(
        f"Nhiệm vụ thứ {n}: triển khai ứng dụng chữ ký số, hộp thư điện tử công vụ và phần mềm "
        "quản lý văn bản đến từng cán bộ, công chức ở các cơ quan, đơn vị trên địa bàn tỉnh."
        for n in range(1, 22)
    )
    plan.save(update_fields=["report_number", "tasks"])
    # Without the section on the demo's 2016–2020 programme (two more pages): the length at
    # which the signatures used to open a page alone is the report's own.
    Programme.objects.filter(province__code="91").delete()
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, demo_leader)
    pages = check_printed_report(print_report(page, live_server, "report-long"))
    assert len(pages) == 4
    assert "Số: 15/BC-BCĐ" in pages[0]
