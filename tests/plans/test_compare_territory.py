"""The comparison page of a year before the 2025 merger: a merged province's column shows, under
its own figure, the figure of the territory it covers now, summed over its predecessors'
agencies too."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from plans.models import Agency, Plan, Province, Result, Target
from plans.services.figures import figures_changed
from tests.conftest import make_user
from tests.factories import login, make_result

D = datetime.date
MARK = "gồm số liệu của tỉnh trước sáp nhập"


@pytest.fixture
def merged_2020(province_a, agencies_a, indicator):
    """Kiên Giang (91) ends on 30 June 2025 and goes on as part of An Giang (89).

    Official e-mail (OFFICIAL_EMAIL) of the communes in 2020:
    - Kiên Giang: 91-X30733 8/10, 91-X30736 6/10, no target: 14/20, 70.0 %;
    - An Giang: 89-X1 30/40 against its own target of 95 %: 75.0 %, not met;
    - An Giang's territory of today: 44/60 over 3 communes, 73.3 % (not the average of 80 %,
      60 % and 75 %, nor of 70 % and 75 %).
    """
    an_giang = Province.objects.create(code="89", name="An Giang", active_from=D(1976, 2, 20))
    province_a.active_from, province_a.active_to = D(1976, 2, 20), D(2025, 6, 30)
    province_a.successor = an_giang
    province_a.save()
    commune = Agency.objects.create(province=an_giang, code="89-X1", name="UBND phường Mỹ Bình",
                                    tier="commune", active_to=2025)
    email = indicator("OFFICIAL_EMAIL")
    make_result(agencies_a["91-X30733"], email, 2020, numerator=8, denominator=10)
    make_result(agencies_a["91-X30736"], email, 2020, numerator=6, denominator=10)
    make_result(commune, email, 2020, numerator=30, denominator=40)
    plan = Plan.objects.create(province=an_giang, year=2020, status=Plan.Status.OPEN)
    Target.objects.create(plan=plan, indicator=email, tiers="commune", comparator=">=",
                          value=Decimal("95"), unit="percent")
    return an_giang


def compare(client, year=2020):
    response = client.get(reverse("plans:dashboard_compare", args=[year]))
    cells = {
        header["province"].code: cell
        for header, cell in zip(response.context["headers"],
                                response.context["table"][0]["cells"], strict=True)
    }
    return response, cells


def test_a_merged_province_shows_its_territory_under_its_own_figure(client, admin_user,
                                                                    merged_2020):
    login(client, admin_user)

    response, cells = compare(client)

    an_giang, kien_giang = cells["89"], cells["91"]
    # Its own figure, against its own target, stays as it was.
    assert (an_giang.achieved, an_giang.status) == ("75,0 %", "not_met")
    # The territory: the sum over both provinces' communes.
    assert an_giang.territory == "73,3 %"
    # A province without predecessors: unchanged, no territory figure.
    assert (kien_giang.achieved, kien_giang.territory) == ("70,0 %", "")
    assert response.context["territory_notes"] == [
        {"province": merged_2020, "predecessors": ["Kiên Giang"]}
    ]
    html = response.content.decode()
    assert "địa bàn hiện nay <strong>73,3 %</strong>" in html
    # The cell's mark (its title, its words for screen readers) and the legend naming Kiên Giang.
    assert html.count(MARK) == 3
    assert f'title="{MARK}" aria-hidden="true">†</sup>' in html
    assert f"{MARK} (Kiên Giang)" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("plans:dashboard_compare", args=[2020])).content.decode()
    assert "territory today <strong>73.3 %</strong>" in english
    assert "including the figures of the provinces before the merger (Kiên Giang)" in english


def test_the_territory_figure_of_a_province_without_a_target_sums_too(
    client, admin_user, merged_2020, province_b, agencies_b, indicator
):
    # A row An Giang does not target: Hưng Yên's, on departments and districts.
    lan = indicator("LAN")
    Target.objects.create(plan=Plan.objects.create(province=province_b, year=2020,
                                                   status=Plan.Status.OPEN),
                          indicator=lan, tiers="department+district", value=Decimal("50"))
    make_result(agencies_b["33-SNV"], lan, 2020, value=1)
    make_result(Agency.objects.get(code="91-SNV"), lan, 2020, value=1)
    login(client, admin_user)

    response = client.get(reverse("plans:dashboard_compare", args=[2020]))

    codes = [header["province"].code for header in response.context["headers"]]
    (lan_line,) = [line for line in response.context["table"]
                   if line["target"].indicator_id == lan.pk]
    cells = dict(zip(codes, lan_line["cells"], strict=True))
    # An Giang has no department or district: its own figure is empty, its territory's is
    # Kiên Giang's 1 of 4 departments and districts.
    assert (cells["89"].achieved, cells["89"].territory) == ("", "25,0 %")
    assert cells["33"].territory == ""


def test_after_the_merger_there_is_no_territory_figure(client, admin_user, merged_2020,
                                                       indicator):
    email = indicator("OFFICIAL_EMAIL")
    new = Agency.objects.create(province=merged_2020, code="89-XN1", name="UBND phường Long Xuyên",
                                tier="commune", active_from=2025)
    make_result(new, email, 2026, numerator=45, denominator=50)
    Target.objects.create(
        plan=Plan.objects.create(province=merged_2020, year=2026, status=Plan.Status.OPEN),
        indicator=email, tiers="commune", value=Decimal("95"),
    )
    login(client, admin_user)

    response, cells = compare(client, 2026)

    assert (cells["89"].achieved, cells["89"].territory) == ("90,0 %", "")
    assert response.context["territory_notes"] == []
    assert MARK not in response.content.decode()


def test_the_comparison_takes_the_same_queries_however_many_agencies(
    client, admin_user, merged_2020, province_a, indicator, django_assert_num_queries
):
    login(client, admin_user)
    url = reverse("plans:dashboard_compare", args=[2020])
    # session, user, provinces, targets of the year, agency counts, result sums, the provinces'
    # territories, the territories' agency counts and result sums
    with django_assert_num_queries(9):
        client.get(url)
    for number in range(15):
        agency = Agency.objects.create(province=province_a, code=f"91-XX{number}",
                                       name=f"Xã {number}", tier="commune", active_to=2025)
        make_result(agency, indicator("OFFICIAL_EMAIL"), 2020, numerator=1, denominator=2)
    with django_assert_num_queries(9):
        client.get(url)
    # 44 + 15 of 60 + 30 officials, over 18 communes.
    assert compare(client)[1]["89"].territory == "65,6 %"


def test_a_predecessors_write_reaches_the_kept_comparison(client, merged_2020, province_a,
                                                          figures_cache, agencies_a):
    # A leader of An Giang alone: Kiên Giang is no column of theirs, its figures are in An
    # Giang's territory all the same.
    login(client, make_user("leader_ag", "leader", [merged_2020]))
    assert compare(client)[1]["89"].territory == "73,3 %"
    # A result changed behind the services' back moves no version: the page is kept.
    Result.objects.filter(agency=agencies_a["91-X30736"], year=2020).update(numerator=0)
    assert compare(client)[1]["89"].territory == "73,3 %"
    # Kiên Giang's 2020 moves on, An Giang's does not: the merged column follows all the same.
    figures_changed(keys=[(province_a.pk, 2020)])

    assert compare(client)[1]["89"].territory == "63,3 %"
