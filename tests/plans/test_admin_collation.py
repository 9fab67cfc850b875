"""The admin's lists in Vietnamese alphabetical order, ordered in SQL by the same collation on
SQLite (registered on each connection) and PostgreSQL (its ICU collation)."""

import re

from django.urls import reverse

from plans.models import Agency, Plan, Province
from plans.words.collation import collated

NAMES = ["Sở Khoa học và Công nghệ", "Sở Kế hoạch và Đầu tư", "Ân Thi", "An Minh", "Bình An",
         "Ba Tri", "Đông Hải", "Duyên Hải"]
IN_ORDER = ["An Minh", "Ân Thi", "Ba Tri", "Bình An", "Duyên Hải", "Đông Hải",
            "Sở Kế hoạch và Đầu tư", "Sở Khoa học và Công nghệ"]


def shown(html: str, names) -> list[str]:
    """Return ``names`` in the order they first appear in ``html``."""
    return sorted(names, key=lambda name: html.index(f">{name}<"))


def test_the_database_orders_by_the_vietnamese_collation(province_a):
    for number, name in enumerate(NAMES):
        Agency.objects.create(province=province_a, code=f"91-C{number}", name=name,
                              tier="commune")

    names = list(
        Agency.objects.filter(code__startswith="91-C").order_by(collated("name"))
        .values_list("name", flat=True)
    )

    assert names == IN_ORDER


def test_the_admin_lists_agencies_in_vietnamese_order(client, admin_user, province_a):
    for number, name in enumerate(NAMES):
        Agency.objects.create(province=province_a, code=f"91-C{number}", name=name,
                              tier="commune")
    client.force_login(admin_user)

    html = client.get(reverse("admin:plans_agency_changelist")).content.decode()

    assert shown(html, IN_ORDER) == IN_ORDER


def test_the_admin_lists_provinces_and_their_plans_in_vietnamese_order(client, admin_user):
    for number, name in enumerate(["Đồng Tháp", "Điện Biên", "Đắk Lắk", "Đà Nẵng", "Cà Mau"]):
        province = Province.objects.create(code=str(80 + number), name=name)
        Plan.objects.create(province=province, year=2017)
    client.force_login(admin_user)
    expected = ["Cà Mau", "Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Tháp"]

    provinces = client.get(reverse("admin:plans_province_changelist")).content.decode()
    plans = client.get(reverse("admin:plans_plan_changelist")).content.decode()

    assert shown(provinces, expected) == expected
    plan_order = sorted(expected, key=lambda name: re.search(
        rf"<td class=\"field-province[^\"]*\">{name}</td>", plans).start())
    assert plan_order == expected
