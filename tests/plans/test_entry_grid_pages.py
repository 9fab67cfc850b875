"""The tier grid in pages of GRID_PAGE_SIZE agencies: /entry/<province>/<year>/<tier>/?page=N."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from plans.forms.grid import make_token, posted_agency_ids
from plans.models import Agency, Result
from plans.rules.limits import GRID_PAGE_SIZE
from plans.selectors.agencies import grid_results, ordered_indicators, tier_agencies


def grid_url(query="", tier="commune"):
    return reverse("plans:entry_grid", args=["91", 2017, tier]) + query


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


def make_communes(province, count):
    """Make ``count`` communes named "UBND xã 000", "UBND xã 001"…: the grid's order."""
    Agency.objects.bulk_create(
        Agency(province=province, code=f"91-X{i:05d}", name=f"UBND xã {i:03d}", tier="commune")
        for i in range(count)
    )
    return list(Agency.objects.filter(tier="commune").order_by("code"))


@pytest.fixture
def communes(province_a, plan_a):
    return make_communes(province_a, 250)


def row_names(html):
    """Return the agencies of the grid's rows, in order."""
    return re.findall(r'<th scope="row" class="agency-col"><a [^>]*>([^<]*)</a>', html)


def navs(html):
    return re.findall(r'<nav class="grid-pages" aria-label="([^"]*)">(.*?)</nav>', html, re.S)


def links(nav_html):
    """Return (href, text without tags, current) of a navigation's page links."""
    return [
        (href.replace("&amp;", "&"), re.sub(r"<[^>]+>", "", text), bool(current))
        for href, current, text in re.findall(
            r'<a href="([^"]*)"( aria-current="page")?[^>]*>(.*?)</a>', nav_html
        )
    ]


def names(first, last):
    return [f"UBND xã {i:03d}" for i in range(first, last)]


def test_a_page_holds_at_most_a_hundred_agencies():
    assert GRID_PAGE_SIZE == 100


def test_the_first_page_shows_the_first_hundred_agencies_and_the_pages(officer_client, communes):
    response = officer_client.get(grid_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert row_names(html) == names(0, 100)
    assert "Hiển thị 1–100 trong 250 đơn vị hoạt động trong năm." in html
    assert "(trang 1/3) – egov-targets</title>" in html
    (top_label, top), (bottom_label, bottom) = navs(html)
    assert (top_label, bottom_label) == ("Các trang của bảng", "Các trang của bảng, dưới bảng")
    assert top == bottom
    assert "Trang 1/3" in top
    assert links(top) == [
        ("?", "1–100 UBND xã 000 – UBND xã 099", True),
        ("?page=2", "101–200 UBND xã 100 – UBND xã 199", False),
        ("?page=3", "201–250 UBND xã 200 – UBND xã 249", False),
        ("?page=2", "Trang sau ›", False),
    ]
    # No previous page: the word is shown, not linked.
    assert '<span class="muted">‹ Trang trước</span>' in top
    assert 'rel="prev"' not in top


def test_a_middle_page_shows_its_agencies_and_links_both_ways(officer_client, communes):
    html = officer_client.get(grid_url("?page=2")).content.decode()
    assert row_names(html) == names(100, 200)
    assert "Hiển thị 101–200 trong 250 đơn vị hoạt động trong năm." in html
    top = navs(html)[0][1]
    assert "Trang 2/3" in top
    assert links(top) == [
        ("?", "‹ Trang trước", False),
        ("?", "1–100 UBND xã 000 – UBND xã 099", False),
        ("?page=2", "101–200 UBND xã 100 – UBND xã 199", True),
        ("?page=3", "201–250 UBND xã 200 – UBND xã 249", False),
        ("?page=3", "Trang sau ›", False),
    ]
    assert '<a href="?" rel="prev">' in top
    assert '<a href="?page=3" rel="next">' in top


def test_the_last_page_shows_the_rest(officer_client, communes):
    html = officer_client.get(grid_url("?page=3")).content.decode()
    assert row_names(html) == names(200, 250)
    assert "Hiển thị 201–250 trong 250 đơn vị hoạt động trong năm." in html
    top = navs(html)[0][1]
    assert "Trang 3/3" in top
    assert '<span class="muted">Trang sau ›</span>' in top
    assert 'rel="next"' not in top


@pytest.mark.parametrize("page", ["4", "0", "99", "00004"])
def test_a_page_past_the_last_answers_404(officer_client, communes, page):
    assert officer_client.get(grid_url(f"?page={page}")).status_code == 404


@pytest.mark.parametrize(
    "page", ["abc", "٢", "-1", "2.0", " 2", "", "1e1", "9" * 40, "２"],
)
def test_a_page_number_not_in_plain_digits_shows_the_first_page(officer_client, communes, page):
    response = officer_client.get(grid_url(), {"page": page})
    assert response.status_code == 200
    assert row_names(response.content.decode()) == names(0, 100)


def test_a_tier_of_a_hundred_agencies_shows_no_navigation(officer_client, province_a, plan_a):
    make_communes(province_a, 100)
    html = officer_client.get(grid_url()).content.decode()
    assert row_names(html) == names(0, 100)
    assert "grid-pages" not in html
    assert "Trang 1/" not in html
    assert "Hiển thị" not in html
    assert "100 đơn vị hoạt động trong năm." in html
    assert "(trang" not in html
    # The notes switch is the link it always was.
    assert '<a href="?notes=1">Hiện ô ghi chú</a>' in html
    with_notes = officer_client.get(grid_url("?notes=1")).content.decode()
    assert '<a href="?">Ẩn ô ghi chú</a>' in with_notes
    # Page 1 asked for by number is the same page; there is no page 2.
    assert row_names(officer_client.get(grid_url("?page=1")).content.decode()) == names(0, 100)
    assert officer_client.get(grid_url("?page=2")).status_code == 404


def test_a_hundred_and_one_agencies_make_two_pages(officer_client, province_a, plan_a):
    make_communes(province_a, 101)
    html = officer_client.get(grid_url("?page=2")).content.decode()
    assert row_names(html) == ["UBND xã 100"]
    assert ("?page=2", "101–101 UBND xã 100 – UBND xã 100", True) in links(navs(html)[0][1])


def test_the_links_keep_the_notes_shown(officer_client, communes):
    html = officer_client.get(grid_url("?page=2&notes=1")).content.decode()
    assert row_names(html) == names(100, 200)
    assert [href for href, _text, _current in links(navs(html)[0][1])] == [
        "?notes=1", "?notes=1", "?page=2&notes=1", "?page=3&notes=1", "?page=3&notes=1",
    ]
    # Hiding the notes stays on the page; showing them too.
    assert '<a href="?page=2">Ẩn ô ghi chú</a>' in html
    without = officer_client.get(grid_url("?page=2")).content.decode()
    assert '<a href="?page=2&amp;notes=1">Hiện ô ghi chú</a>' in without


def post_cells(client, url, cells):
    data = {}
    for agency, indicator, result, fields in cells:
        prefix = f"r{agency.pk}-{indicator.pk}"
        data[f"{prefix}-o"] = make_token(result)
        for suffix, text in fields.items():
            data[f"{prefix}-{suffix}"] = text
    return client.post(url, data)


def test_saving_page_two_saves_its_rows_only_and_comes_back_to_it(
    officer_client, communes, indicator
):
    lan = indicator("LAN")
    on_page_one = Result.objects.create(year=2017, agency=communes[5], indicator=lan, value=0)
    cells = [(agency, lan, None, {"v": "1"}) for agency in communes[100:200]]
    response = post_cells(officer_client, grid_url("?page=2&notes=1"), cells)
    assert response.status_code == 302
    assert response["Location"] == grid_url("?page=2&notes=1")
    saved = Result.objects.filter(indicator=lan).exclude(pk=on_page_one.pk)
    assert sorted(result.agency_id for result in saved) == [a.pk for a in communes[100:200]]
    on_page_one.refresh_from_db()
    assert (on_page_one.value, on_page_one.version) == (0, 1)
    page = officer_client.get(response["Location"])
    assert "Đã lưu 100 kết quả." in page.content.decode()


def test_an_error_on_page_two_shows_page_two_again(officer_client, communes, indicator):
    lan, units = indicator("LAN"), indicator("ONE_STOP_SHOP")
    cells = [(communes[150], lan, None, {"v": "1"}), (communes[151], units, None, {"v": "x"})]
    response = post_cells(officer_client, grid_url("?page=2"), cells)
    html = response.content.decode()
    assert response.status_code == 400
    assert row_names(html) == names(100, 200)
    assert "Trang 2/3" in navs(html)[0][1]
    assert 'aria-invalid="true"' in html
    assert not Result.objects.exists()


def test_a_save_keeps_the_rows_posted_when_the_pages_have_moved(
    officer_client, communes, province_a, indicator
):
    # Shown on page 2, "UBND xã 100" is on page 1 by the time of the save: an agency was added
    # before it. Its cell is saved all the same.
    Agency.objects.create(province=province_a, code="91-A", name="UBND xã 000a", tier="commune")
    lan = indicator("LAN")
    response = post_cells(officer_client, grid_url("?page=2"), [(communes[100], lan, None,
                                                                  {"v": "1"})])
    assert response.status_code == 302
    assert Result.objects.get().agency == communes[100]


def test_a_save_leaves_alone_cells_of_agencies_not_of_the_tier(
    officer_client, communes, agencies_a, indicator
):
    lan = indicator("LAN")
    response = post_cells(officer_client, grid_url("?page=2"), [
        (agencies_a["91-SNV"], lan, None, {"v": "1"}), (communes[120], lan, None, {"v": "1"}),
    ])
    assert response.status_code == 302
    assert [result.agency for result in Result.objects.all()] == [communes[120]]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return queries


def test_every_page_costs_the_same_queries(officer_client, communes, indicator):
    lan = indicator("LAN")
    Result.objects.bulk_create(
        Result(year=2017, agency=agency, indicator=lan, value=1) for agency in communes
    )
    first = count_queries(officer_client, grid_url())
    second = count_queries(officer_client, grid_url("?page=2&notes=1"))
    last = count_queries(officer_client, grid_url("?page=3"))
    # session, user, profile, province, plan, agencies, their display names, targets,
    # indicators, the page's results, the plan's approved agencies
    assert len(first) == len(second) == len(last) == 11
    # The results read are the page's: its agencies' ids, not the tier's.
    results_query = next(q["sql"] for q in second if "plans_result" in q["sql"])
    agency_ids = re.search(r'"agency_id" IN \(([^)]*)\)', results_query).group(1)
    assert sorted(map(int, agency_ids.split(", "))) == [a.pk for a in communes[100:200]]
    assert "tier" not in results_query


def test_the_grid_results_of_some_agencies_are_theirs_only(plan_a, communes, indicator):
    lan = indicator("LAN")
    Result.objects.bulk_create(
        Result(year=2017, agency=agency, indicator=lan, value=1) for agency in communes
    )
    indicators = ordered_indicators(set())
    agencies = tier_agencies(plan_a, "commune")[100:200]
    shown = grid_results(plan_a, "commune", indicators, agencies=agencies)
    assert sorted(row.agency_id for row in shown) == sorted(a.pk for a in agencies)
    assert len(grid_results(plan_a, "commune", indicators)) == 250


def test_the_posted_agencies_are_read_from_the_cells_versions():
    data = {"r12-3-o": "", "r12-4-v": "1", "r7-3-o": "", "r8-x-o": "", "rx-3-o": "",
            "r9-3-4-o": "", "r٢-3-o": "", "csrfmiddlewaretoken": "t", "r-3-o": ""}
    assert posted_agency_ids(data) == {12, 7}


def test_the_navigation_speaks_english(officer_client, communes):
    officer_client.cookies["django_language"] = "en"
    with translation.override("en"):
        html = officer_client.get(grid_url("?page=2")).content.decode()
    assert "Showing 101–200 of 250 agencies active this year." in html
    assert "(page 2 of 3) – egov-targets</title>" in html
    (top_label, top), (bottom_label, _bottom) = navs(html)
    assert (top_label, bottom_label) == ("Pages of the grid", "Pages of the grid, below it")
    assert "Page 2 of 3" in top
    assert "‹ Previous page" in top
    assert "Next page ›" in top
