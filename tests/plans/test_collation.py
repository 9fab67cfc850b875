"""Vietnamese alphabetical order (plans.words.collation) and where people read it."""

import pytest
from django.urls import reverse

from plans.forms.admin_choices import VietnameseModelChoiceField
from plans.models import Profile, Province
from plans.words.collation import sorted_vietnamese, vietnamese_key
from tests.conftest import make_user


def test_it_orders_the_vietnamese_letters_after_their_base_letters():
    words = ["ư", "u", "ơ", "ô", "o", "ê", "e", "đ", "d", "â", "ă", "a"]
    assert sorted_vietnamese(words) == ["a", "ă", "â", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư"]


def test_it_puts_a_letter_before_a_later_letter_whatever_the_tones():
    # Tones come after letters: "bá" sorts with "ba", before "bă" and "bi".
    assert sorted_vietnamese(["bi", "bă", "bá", "ba"]) == ["ba", "bá", "bă", "bi"]
    assert vietnamese_key("Bà") < vietnamese_key("Bả") < vietnamese_key("Bá")


def test_it_sorts_departments_as_a_vietnamese_reader_expects():
    names = ["Sở Khoa học và Công nghệ", "Sở Kế hoạch và Đầu tư"]
    assert sorted_vietnamese(names) == ["Sở Kế hoạch và Đầu tư", "Sở Khoa học và Công nghệ"]


def test_it_keeps_an_among_the_a_names():
    names = ["Yên Mỹ", "Văn Lâm", "Bình An", "Ân Thi", "Khoái Châu", "An Biên", "Đông Hải"]
    assert sorted_vietnamese(names) == [
        "An Biên", "Ân Thi", "Bình An", "Đông Hải", "Khoái Châu", "Văn Lâm", "Yên Mỹ",
    ]


def test_it_sorts_by_a_key_and_keeps_ties_in_their_order():
    rows = [("b", 1), ("a", 2), ("b", 0)]
    assert sorted_vietnamese(rows, key=lambda row: row[0]) == [("a", 2), ("b", 1), ("b", 0)]


@pytest.fixture
def provinces(db):
    # Inserted out of order: the pages' order comes from the collation, not from the database
    # (SQLite's binary order and PostgreSQL's C.UTF-8 would both put "Ân Thi" after "Yên Bái").
    return [
        Province.objects.create(code=code, name=name)
        for code, name in [("15", "Yên Bái"), ("90", "Ân Thi"), ("11", "Điện Biên"),
                           ("01", "Hà Nội"), ("92", "Đắk Lắk"), ("89", "An Giang")]
    ]


EXPECTED = ["An Giang", "Ân Thi", "Đắk Lắk", "Điện Biên", "Hà Nội", "Yên Bái"]


def test_the_home_page_lists_provinces_in_vietnamese_order(client, provinces):
    user = make_user("reader", Profile.Role.LEADER, provinces)
    client.force_login(user)
    response = client.get(reverse("plans:home"))
    assert [s["province"].name for s in response.context["sections"]] == EXPECTED


def test_the_dashboard_index_lists_provinces_in_vietnamese_order(client, provinces):
    client.force_login(make_user("reader", Profile.Role.LEADER, provinces))
    response = client.get(reverse("plans:dashboard_index"))
    assert [e["province"].name for e in response.context["entries"]] == EXPECTED


def test_the_admin_offers_provinces_in_vietnamese_order(provinces):
    field = VietnameseModelChoiceField(queryset=Province.objects.order_by("code"))
    assert [label for _, label in field.choices][1:] == EXPECTED
