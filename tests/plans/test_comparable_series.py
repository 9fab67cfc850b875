"""Comparable series: an indicator that replaced another (Decree 42/2022) is one series with a
break, on the trend page, and its predecessor travels in indicators.csv."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from indicators.models import Indicator
from plans.models import Plan, Target
from plans.selectors.comparable import comparable_series
from plans.services.imports import ImportRefused, indicators_import
from tests.factories import login, make_result

HEADER = ("code,name_vi,name_en,group,kind,numerator_label,denominator_label,position,"
          "predecessor_code,from_year")


def csv_file(*lines: str) -> bytes:
    return ("\n".join((HEADER, *lines)) + "\n").encode("utf-8")


def test_the_catalogue_links_the_decree_42_indicators_to_levels_3_and_4(db, indicator):
    full, partial = indicator("PUBLIC_SERVICES_FULL"), indicator("PUBLIC_SERVICES_PARTIAL")

    assert (full.predecessor.code, full.from_year) == ("PUBLIC_SERVICES_L4", 2022)
    assert (partial.predecessor.code, partial.from_year) == ("PUBLIC_SERVICES_L3", 2022)
    assert indicator("LAN").predecessor is None


def test_the_database_wants_a_predecessor_and_its_year_together(db, indicator):
    lan = indicator("LAN")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=lan.pk).update(from_year=2022)
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=lan.pk).update(predecessor=lan, from_year=2022)
    lan.predecessor = indicator("FIBRE")
    with pytest.raises(ValidationError):
        lan.full_clean()


@pytest.fixture
def services(plan_a, agencies_a, indicator):
    """Province A's communes: level 4 in 2020 and 2021, fully online from 2022, and 2023 with a
    target on fully online services (the page shows the series of the targets' scopes)."""
    level4, full = indicator("PUBLIC_SERVICES_L4"), indicator("PUBLIC_SERVICES_FULL")
    vinh_thanh, vinh_quang = agencies_a["91-X30733"], agencies_a["91-X30736"]
    for year, numerator in ((2020, 10), (2021, 20)):
        make_result(vinh_thanh, level4, year, numerator=numerator, denominator=100)
        make_result(vinh_quang, level4, year, numerator=numerator, denominator=100)
    # A level-4 figure after the change and a fully online one before it count nowhere.
    make_result(vinh_thanh, level4, 2022, numerator=99, denominator=100)
    make_result(vinh_thanh, full, 2021, numerator=99, denominator=100)
    make_result(vinh_thanh, full, 2022, numerator=30, denominator=100)
    make_result(vinh_quang, full, 2022, numerator=50, denominator=100)
    plan = Plan.objects.create(province=plan_a.province, year=2023, status=Plan.Status.OPEN)
    Target.objects.create(plan=plan, indicator=full, tiers="commune", value=Decimal("60"))
    return full


def test_it_reads_each_year_from_one_indicator_and_splits_at_the_change(services, province_a):
    full = Indicator.objects.select_related("predecessor").get(pk=services.pk)

    [series] = comparable_series(province=province_a, indicator=full,
                                 scopes=[(("commune",), "percent")])

    assert [(p.year, p.indicator.code, p.point.progress.numerator,
             p.point.progress.denominator) for p in series.before] == [
        (2020, "PUBLIC_SERVICES_L4", 20, 200), (2021, "PUBLIC_SERVICES_L4", 40, 200),
    ]
    assert [(p.year, p.indicator.code, p.point.progress.numerator) for p in series.after] == [
        (2022, "PUBLIC_SERVICES_FULL", 80),
    ]
    assert series.from_year == 2022


def test_an_indicator_without_a_predecessor_has_no_comparable_series(db, province_a, indicator,
                                                                      django_assert_num_queries):
    lan = indicator("LAN")
    with django_assert_num_queries(0):
        assert comparable_series(province=province_a, indicator=lan,
                                 scopes=[(("commune",), "percent")]) == []


def test_the_trend_page_shows_the_break_and_the_legal_note(client, leader_a, services,
                                                           django_assert_num_queries):
    login(client, leader_a)
    url = reverse("plans:dashboard_trend", args=["91", "PUBLIC_SERVICES_FULL"])

    # session, user, profile, province, indicator with its predecessor, targets, agency counts,
    # result sums; the comparable series: provinces, years, agency counts, result sums; the
    # territory: provinces (no predecessors)
    with django_assert_num_queries(13):
        response = client.get(url)

    html = response.content.decode()
    assert "Gián đoạn: đổi cách phân loại từ năm 2022" in html
    assert "Nghị định số 42/2022/NĐ-CP" in html
    assert html.count('class="before-break"') == 2 and html.count('class="after-break"') == 1
    assert "10,0 %" in html and "20,0 %" in html and "40,0 %" in html
    assert 'id="comparable-title-1"' in html


def test_indicators_csv_carries_the_predecessor_and_its_year(db):
    report = indicators_import(source=csv_file(
        "CLOUD,Hệ thống trên nền tảng điện toán đám mây,Cloud systems,services,count,,,50,,",
        "CLOUD_GOV,Hệ thống trên nền tảng đám mây Chính phủ,Government cloud systems,services,"
        "count,,,51,CLOUD,2024",
    ))

    assert report.created == 2
    cloud_gov = Indicator.objects.get(code="CLOUD_GOV")
    assert (cloud_gov.predecessor.code, cloud_gov.from_year) == ("CLOUD", 2024)
    again = indicators_import(source=csv_file(
        "CLOUD,Hệ thống trên nền tảng điện toán đám mây,Cloud systems,services,count,,,50,,",
        "CLOUD_GOV,Hệ thống trên nền tảng đám mây Chính phủ,Government cloud systems,services,"
        "count,,,51,CLOUD,2024",
    ))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_indicators_csv_refuses_a_broken_predecessor_by_line(db):
    with pytest.raises(ImportRefused) as excinfo:
        indicators_import(source=csv_file(
            "A_ONE,Một,One,services,count,,,1,NOPE,2024",
            "A_TWO,Hai,Two,services,count,,,2,A_ONE,",
            "A_THREE,Ba,Three,services,count,,,3,A_THREE,2024",
            "A_FOUR,Bốn,Four,services,count,,,4,A_ONE,1999",
        ))

    assert [error.line for error in excinfo.value.report.errors] == [2, 3, 4, 5]
    assert not Indicator.objects.filter(code__startswith="A_").exists()


def test_an_older_indicators_csv_without_the_two_columns_still_restores(db):
    old = ("code,name_vi,name_en,group,kind,numerator_label,denominator_label,position\n"
           "CLOUD,Điện toán đám mây,Cloud,services,count,,,50\n").encode()

    assert indicators_import(source=old).created == 1
