"""Names people can tell apart (plans.selectors.naming): a name repeated in a province carries its
parent."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import Agency, Profile, Province
from plans.selectors.naming import agency_display_names, name_agencies, parent_short_name
from plans.words.collation import sorted_vietnamese
from tests.conftest import make_user


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    return Province.objects.get(code="91")


def test_it_shortens_the_parents_name():
    assert parent_short_name("UBND huyện Châu Thành") == "huyện Châu Thành"
    assert parent_short_name("UBND Thành phố Rạch Giá") == "thành phố Rạch Giá"
    assert parent_short_name("Văn phòng UBND tỉnh") == "Văn phòng UBND tỉnh"


def test_it_names_kien_giangs_namesakes_with_their_districts_in_one_query(
    demo, django_assert_num_queries
):
    with django_assert_num_queries(1):
        names = agency_display_names(demo.pk)
    by_code = {agency.code: names[agency.pk] for agency in demo.agencies.all()}
    assert by_code["91-X30808"] == "UBND xã Bình An – huyện Kiên Lương"
    assert by_code["91-X30898"] == "UBND xã Bình An – huyện Châu Thành"
    assert by_code["91-X30901"].startswith("UBND xã Thạnh Lộc – huyện ")
    assert by_code["91-X30913"].startswith("UBND xã Thạnh Lộc – huyện ")
    assert by_code["91-X30901"] != by_code["91-X30913"]
    assert by_code["91-X30947"] != by_code["91-X30791"]
    # A name said once in the province stays as it is.
    assert by_code["91-SNV"] == "Sở Nội vụ"
    assert len(set(names.values())) == len(names)


def test_it_adds_the_code_when_the_parent_does_not_tell_them_apart(province_a):
    district = Agency.objects.create(
        province=province_a, code="91-H1", name="UBND huyện A", tier="district"
    )
    one, other = (
        Agency.objects.create(province=province_a, code=code, name="UBND xã B", tier="commune",
                              parent=district)
        for code in ("91-X1", "91-X2")
    )
    names = agency_display_names(province_a.pk)
    assert names[one.pk] == "UBND xã B – huyện A (91-X1)"
    assert names[other.pk] == "UBND xã B – huyện A (91-X2)"


def test_a_name_repeated_in_another_tier_or_province_stays_plain(province_a, province_b):
    mine = Agency.objects.create(province=province_a, code="91-D", name="Bình An", tier="district")
    Agency.objects.create(province=province_a, code="91-C", name="Bình An", tier="commune")
    Agency.objects.create(province=province_b, code="33-D", name="Bình An", tier="district")
    assert agency_display_names(province_a.pk)[mine.pk] == "Bình An"


def test_name_agencies_orders_by_the_names_shown(demo, django_assert_num_queries):
    communes = list(demo.agencies.filter(tier="commune"))
    with django_assert_num_queries(1):
        named = name_agencies(communes, province_id=demo.pk)
    shown = [agency.display_name for agency in named]
    assert shown == sorted_vietnamese(shown)
    assert shown.index("UBND xã Bình An – huyện Châu Thành") + 1 == shown.index(
        "UBND xã Bình An – huyện Kiên Lương"
    )


def test_the_grid_shows_the_namesakes_apart_in_vietnamese_order(client, demo):
    client.force_login(make_user("officer_kg", Profile.Role.OFFICER, [demo]))
    url = reverse("plans:entry_grid", args=["91", 2017, "commune"])
    # The demo's 143 communes come in two pages of the grid, in one order across them.
    pages = [client.get(url), client.get(url + "?page=2")]
    html = "".join(response.content.decode() for response in pages)
    assert "UBND xã Bình An – huyện Châu Thành" in html
    assert "UBND xã Bình An – huyện Kiên Lương" in html
    shown = [row.agency.display_name for response in pages
             for row, _html in response.context["rows"]]
    assert len(shown) == 143
    assert shown == sorted_vietnamese(shown)
    # The same order on SQLite and PostgreSQL: the database's own order plays no part.
    assert shown == sorted_vietnamese(
        (a.display_name for a in name_agencies(demo.agencies.filter(tier="commune")
                                               .filter(Agency.active_in(2017)),
                                               province_id=demo.pk)),
    )


def test_the_agency_page_names_the_agency_and_its_parent(client, demo):
    client.force_login(make_user("officer_kg", Profile.Role.OFFICER, [demo]))
    html = client.get(reverse("plans:entry_agency", args=["91", 2017, "91-X30898"])).content
    html = html.decode()
    assert "<h1>UBND xã Bình An – huyện Châu Thành: kết quả năm 2017</h1>" in html
    assert "trực thuộc UBND huyện Châu Thành" in html
    # Every agency page names its parent, a repeated name or not.
    html = client.get(reverse("plans:entry_agency", args=["91", 2017, "91-SNV"])).content
    assert "trực thuộc UBND tỉnh Kiên Giang" in html.decode()
