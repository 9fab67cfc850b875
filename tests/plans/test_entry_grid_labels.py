"""What to count, said where figures are typed: the tier grid's column headers and the agency
page's rows carry each indicator's numerator and denominator labels."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator
from plans.models import Agency
from plans.words.wording import what_to_count_text


def grid_url(tier="department", code="91", year=2017):
    return reverse("plans:entry_grid", args=[code, year, tier])


def agency_url(agency_code="91-SNV", code="91", year=2017):
    return reverse("plans:entry_agency", args=[code, year, agency_code])


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


def header_hints(html):
    """Return {indicator code: the text under it} of the grid's column headers."""
    pairs = re.findall(
        r'<abbr class="code" title="[^"]*">([^<]*)</abbr><span class="kind-hint">([^<]*)</span>',
        html,
    )
    return {code.replace("\u200b", ""): hint for code, hint in pairs}


# The words, for each kind --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "numerator", "denominator", "expected"),
    [
        ("ratio", "Số cán bộ có hộp thư công vụ", "Tổng số cán bộ",
         "tử số: số cán bộ có hộp thư công vụ / mẫu số: tổng số cán bộ"),
        ("ratio", "cán bộ có hộp thư công vụ", "tổng số cán bộ",
         "tử số: cán bộ có hộp thư công vụ / mẫu số: tổng số cán bộ"),
        # A first word in capitals is a name, not a capitalised word.
        ("ratio", "UBND xã có cổng thông tin", "Tổng số UBND xã",
         "tử số: UBND xã có cổng thông tin / mẫu số: tổng số UBND xã"),
        ("ratio", "Số cuộc họp trực tuyến", "", "tử số: số cuộc họp trực tuyến / mẫu số: tổng số"),
        ("ratio", "", "", "tử số / mẫu số"),
        ("yes_no", "Đã kết nối mạng chuyên dùng", "", "có: đã kết nối mạng chuyên dùng"),
        ("yes_no", "", "", "có / không"),
        ("count", "Số dịch vụ", "", "số dịch vụ"),
        ("count", "  Số   dịch vụ ", "", "số dịch vụ"),
        ("count", "", "", "số lượng"),
    ],
)
def test_it_words_what_to_count_from_the_labels(kind, numerator, denominator, expected):
    indicator = Indicator(code="X", kind=kind, numerator_label=numerator,
                          denominator_label=denominator)
    assert what_to_count_text(indicator) == expected


def test_it_words_what_to_count_in_english():
    indicator = Indicator(code="X", kind="ratio", numerator_label="Số cán bộ có hộp thư",
                          denominator_label="Tổng số cán bộ")
    with translation.override("en"):
        assert what_to_count_text(indicator) == (
            "numerator: số cán bộ có hộp thư / denominator: tổng số cán bộ"
        )
        indicator.kind, indicator.denominator_label = "yes_no", ""
        assert what_to_count_text(indicator) == "yes: số cán bộ có hộp thư"


# The grid ------------------------------------------------------------------------------------


def test_the_grid_headers_say_what_to_count(officer_client, plan_a, agencies_a):
    Indicator.objects.create(
        code="SERVICES_COUNT", kind="count", group="services", name_vi="Số dịch vụ công",
        name_en="Public services", numerator_label="Số dịch vụ công trực tuyến",
    )
    Indicator.objects.filter(code="FIBRE").update(numerator_label="Có đường truyền cáp quang")
    hints = header_hints(officer_client.get(grid_url()).content.decode())
    assert hints["OFFICIAL_EMAIL"] == (
        "tử số: số cán bộ có hộp thư công vụ / mẫu số: tổng số cán bộ, công chức"
    )
    assert hints["PUBLIC_SERVICES_L4"] == (
        "tử số: số dịch vụ công mức độ 4 / mẫu số: tổng số thủ tục hành chính"
    )
    assert hints["FIBRE"] == "có: có đường truyền cáp quang"
    # A yes/no without a label keeps the answers it takes.
    assert hints["LAN"] == "có / không"
    assert hints["SERVICES_COUNT"] == "số dịch vụ công trực tuyến"


def test_the_grid_headers_escape_the_labels(officer_client, plan_a, agencies_a):
    Indicator.objects.filter(code="LAN").update(numerator_label="<b>mạng</b> & máy")
    html = officer_client.get(grid_url()).content.decode()
    assert "<b>mạng</b>" not in html
    assert header_hints(html)["LAN"] == "có: &lt;b&gt;mạng&lt;/b&gt; &amp; máy"


def test_the_grid_headers_speak_english(officer_client, plan_a, agencies_a):
    officer_client.cookies["django_language"] = "en"
    with translation.override("en"):
        hints = header_hints(officer_client.get(grid_url()).content.decode())
    assert hints["OFFICIAL_EMAIL"] == (
        "numerator: số cán bộ có hộp thư công vụ / denominator: tổng số cán bộ, công chức"
    )
    assert hints["LAN"] == "yes / no"


def make_communes(province, count):
    Agency.objects.bulk_create(
        Agency(province=province, code=f"91-X{i:05d}", name=f"UBND xã {i:03d}", tier="commune")
        for i in range(count)
    )


def test_the_grid_says_what_to_count_in_the_same_queries(
    officer_client, plan_a, province_a, django_assert_num_queries
):
    make_communes(province_a, 150)
    # session, user, profile, province, plan, targets, indicators (with their labels: nothing
    # more to read for the headers), agencies, their display names, results, the plan's
    # approved agencies (one query for the whole grid)
    with django_assert_num_queries(11):
        response = officer_client.get(grid_url("commune"))
    assert "tử số: số cán bộ có hộp thư công vụ" in response.content.decode()


# The agency page -----------------------------------------------------------------------------


def row_hint(html, code):
    """Return the text under ``code``'s row header on the agency page."""
    match = re.search(
        rf'<span class="code">{code}</span>(?: <span class="in-plan">[^<]*</span>)?'
        r'<span class="kind-hint">([^<]*)</span>',
        html,
    )
    assert match, code
    return match.group(1)


def test_the_agency_page_says_what_to_count_on_each_row(officer_client, plan_a, agencies_a):
    Indicator.objects.filter(code="FIBRE").update(numerator_label="Có đường truyền cáp quang")
    html = officer_client.get(agency_url()).content.decode()
    assert row_hint(html, "OFFICIAL_EMAIL") == (
        "tử số: số cán bộ có hộp thư công vụ / mẫu số: tổng số cán bộ, công chức"
    )
    assert row_hint(html, "FIBRE") == "có: có đường truyền cáp quang"
    assert row_hint(html, "LAN") == "có / không"


def test_the_agency_page_says_what_to_count_in_the_same_queries(
    officer_client, plan_a, agencies_a, django_assert_num_queries
):
    # session, user, profile, the user's provinces, plan, the user's provinces again (the
    # agency's access helper), the agency and its parent, its namesakes' names, targets,
    # indicators (with their labels: nothing more to read for the rows), its results; the
    # report's panel: the submission (whether it is approved disables the inputs), the figures
    # it compares with its approval and submission (whether the reader may act on it is the role
    # the page already read); the evidence files listed; their storage used against the quotas
    # (one aggregate)
    with django_assert_num_queries(15):
        response = officer_client.get(agency_url())
    assert "tử số: số dịch vụ công mức độ 4" in response.content.decode()
