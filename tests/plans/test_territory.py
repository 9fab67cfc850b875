"""The 2025 merger: provinces.csv, territory figures over a merged province's predecessors, the
trend page and export_trend."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from plans.models import Agency, Plan, Programme, ProgrammeTarget, Province, Target
from plans.selectors import programmes
from plans.selectors.territory import territory_of, territory_series
from plans.services.imports import ImportRefused
from plans.services.imports.provinces import provinces_import
from tests.conftest import make_user
from tests.factories import csv_file, login, make_result

D = datetime.date


@pytest.fixture
def merged(province_a, agencies_a, indicator):
    """Kiên Giang (91) ends on 30 June 2025 and goes on as part of An Giang (89).

    Communes and their official e-mail (OFFICIAL_EMAIL, commune):
    - 2020: Kiên Giang 91-X30733 8/10, 91-X30736 6/10; An Giang 89-X1 30/40: 44/60, 73.3 %
      over 3 communes in scope (89-XN1 begins in 2025).
    - 2026: An Giang's new commune 89-XN1 45/50: 90 %, its own agencies only.
    """
    an_giang = Province.objects.create(code="89", name="An Giang", active_from=D(1976, 2, 20))
    province_a.active_from, province_a.active_to = D(1976, 2, 20), D(2025, 6, 30)
    province_a.successor = an_giang
    province_a.save()
    old = Agency.objects.create(province=an_giang, code="89-X1", name="UBND phường Mỹ Bình",
                                tier="commune", active_to=2025)
    new = Agency.objects.create(province=an_giang, code="89-XN1",
                                name="UBND phường Long Xuyên", tier="commune",
                                active_from=2025)
    email = indicator("OFFICIAL_EMAIL")
    make_result(agencies_a["91-X30733"], email, 2020, numerator=8, denominator=10)
    make_result(agencies_a["91-X30736"], email, 2020, numerator=6, denominator=10)
    make_result(old, email, 2020, numerator=30, denominator=40)
    make_result(new, email, 2026, numerator=45, denominator=50)
    plan = Plan.objects.create(province=an_giang, year=2026, status=Plan.Status.OPEN,
                               is_sample=True)
    Target.objects.create(plan=plan, indicator=email, tiers="commune", comparator=">=",
                          value=Decimal("95"), unit="percent")
    return an_giang


def test_it_sums_the_predecessors_agencies_before_the_merger(merged, indicator):
    series = territory_series(province=merged, indicator=indicator("OFFICIAL_EMAIL"),
                              tiers=["commune"])

    assert [(p.year, p.progress.numerator, p.progress.denominator, p.progress.agencies_reporting,
             p.progress.agencies_in_scope, p.source) for p in series] == [
        (2020, 44, 60, 3, 3, "predecessors"),
        (2026, 45, 50, 1, 1, "own"),
    ]
    # 44/60, not the average of 80 %, 60 % and 75 %.
    assert series[0].progress.achieved_rounded == Decimal("73.3")


def test_a_predecessor_ended_before_the_year_does_not_count(merged, province_a, indicator):
    province_a.active_to = D(2019, 12, 31)
    province_a.save()

    series = territory_series(province=merged, indicator=indicator("OFFICIAL_EMAIL"),
                              tiers=["commune"])

    assert [(p.year, p.progress.numerator, p.source) for p in series] == [
        (2020, 30, "own"), (2026, 45, "own"),
    ]


def test_it_follows_predecessors_of_predecessors(merged, province_b, agencies_b, indicator):
    province_b.active_from, province_b.active_to = D(1997, 1, 1), D(2019, 12, 31)
    province_b.successor = Province.objects.get(code="91")
    province_b.save()

    territory = territory_of(merged)

    assert territory.predecessor_ids == {Province.objects.get(code="91").pk, province_b.pk}
    assert territory.members(2019) == [merged.pk, *sorted(territory.predecessor_ids)]
    assert territory.members(2020) == [merged.pk, Province.objects.get(code="91").pk]


def test_the_province_itself_has_no_predecessors(province_a):
    assert not territory_of(province_a).has_predecessors


def test_the_forecast_reads_the_territory_figures(merged, indicator):
    programme = Programme.objects.create(province=merged, code="CDS-2021-2030",
                                         name="Chuyển đổi số", first_year=2021, last_year=2030)
    target = ProgrammeTarget.objects.create(
        programme=programme, indicator=indicator("OFFICIAL_EMAIL"), tiers="commune",
        value=Decimal("100"),
    )

    [item] = programmes.forecasts([target])

    baseline = item.points[0]
    assert (baseline.year, baseline.achieved, baseline.includes_predecessors) == (
        2020, Fraction(4400, 60), True
    )
    assert item.forecast.base_year == 2020 and item.forecast.latest_year == 2026


# The trend page and export_trend ---------------------------------------------------------------


def test_the_trend_page_shows_the_territory_back_before_the_merger(client, merged,
                                                                   django_assert_num_queries):
    leader = make_user("leader_ag", "leader", [merged])
    login(client, leader)
    url = reverse("plans:dashboard_trend", args=["89", "OFFICIAL_EMAIL"])

    # session, user, profile, province, indicator, targets, agency counts, result sums, the
    # provinces, the territory's years with results, its agency counts, its result sums
    with django_assert_num_queries(12):
        response = client.get(url)

    html = response.content.decode()
    assert "Trên địa bàn tỉnh An Giang hiện nay, qua các năm" in html
    assert html.count("gồm tỉnh cũ") == 2  # the note's words and the 2020 row's mark
    assert "73,3 %" in html and "44/60" in html
    assert "Kiên Giang" in html
    assert 'id="territory-title-1"' in html
    # More agencies of the predecessors, reporting in more years: the same queries.
    for number in range(15):
        agency = Agency.objects.create(province=Province.objects.get(code="91"),
                                       code=f"91-XX{number}", name=f"Xã {number}",
                                       tier="commune", active_to=2025)
        make_result(agency, Target.objects.get().indicator, 2016 + number % 9, numerator=1,
                    denominator=2)
    with django_assert_num_queries(12):
        client.get(url)


def test_the_trend_of_a_province_without_predecessors_has_no_territory_section(
    client, leader_a, plan_a, indicator
):
    Target.objects.create(plan=plan_a, indicator=indicator("OFFICIAL_EMAIL"), tiers="commune",
                          value=Decimal("90"))
    login(client, leader_a)

    response = client.get(reverse("plans:dashboard_trend", args=["91", "OFFICIAL_EMAIL"]))

    assert response.context["territory"] == []
    assert "gồm tỉnh cũ" not in response.content.decode()


TREND_HEADER = "year,achieved,numerator,denominator,agencies_reporting,agencies_in_scope,source\n"


def test_export_trend_writes_a_row_per_year_with_a_figure(merged, capsys):
    call_command("export_trend", "--province", "89", "--indicator", "OFFICIAL_EMAIL",
                 "--tiers", "commune")

    assert capsys.readouterr().out == TREND_HEADER + (
        "2020,73.3,44,60,3,3,predecessors\n"
        "2026,90.0,45,50,1,1,own\n"
    )


def test_export_trend_writes_counts_whole_and_no_denominator(merged, agencies_a, indicator,
                                                             tmp_path):
    from indicators.models import Indicator

    trained = Indicator.objects.create(code="TRAINED", name_vi="Số lượt tập huấn",
                                       name_en="Trainings", group="internal", kind="count")
    make_result(agencies_a["91-SNV"], trained, 2021, value=4)
    path = tmp_path / "trend.csv"

    call_command("export_trend", "--province", "89", "--indicator", "TRAINED", "--tiers",
                 "department+commune", "--output", str(path))

    assert path.read_text(encoding="utf-8") == TREND_HEADER + "2021,4,4,,1,5,predecessors\n"


def test_export_trend_refuses_unknown_codes_and_tiers(merged):
    with pytest.raises(CommandError, match="99"):
        call_command("export_trend", "--province", "99", "--indicator", "LAN", "--tiers", "all")
    with pytest.raises(CommandError, match="NOPE"):
        call_command("export_trend", "--province", "89", "--indicator", "NOPE", "--tiers",
                     "all")
    with pytest.raises(CommandError, match="county"):
        call_command("export_trend", "--province", "89", "--indicator", "LAN", "--tiers",
                     "county")


# provinces.csv -----------------------------------------------------------------------------------

HEADER = "province_code,province_name,active_from,active_to,successor_code"
MERGER = csv_file(
    HEADER,
    "91,Kiên Giang,1976-02-20,2025-06-30,89",
    "89,An Giang,1976-02-20,,",
    "34,Thái Bình,1997-01-01,2025-06-30,33",
    "33,Hưng Yên,1997-01-01,,",
)


def refused(source) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as excinfo:
        provinces_import(source=source)
    return [(error.line, error.message) for error in excinfo.value.report.errors]


def test_it_imports_provinces_and_links_successors_in_the_same_file(db):
    report = provinces_import(source=csv_file(
        HEADER,
        "91,Kiên Giang,1976-02-20,2025-06-30,89",
        "89,An Giang,1976-02-20,,",
    ))

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    kien_giang = Province.objects.get(code="91")
    assert (kien_giang.active_to, kien_giang.successor.code) == (D(2025, 6, 30), "89")
    assert list(Province.objects.get(code="89").predecessors.all()) == [kien_giang]


def test_it_changes_nothing_the_second_time_and_updates_an_existing_province(province_a):
    source = csv_file(HEADER, "91,Kiên Giang,1976-02-20,2025-06-30,89",
                      "89,An Giang,1976-02-20,,")
    assert provinces_import(source=source).created == 1  # 91 already exists: updated
    report = provinces_import(source=source)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_it_refuses_bad_rows_by_line_and_writes_nothing(db):
    errors = refused(csv_file(
        HEADER,
        "89,An Giang,1976-02-20,,",
        "91,Kiên Giang,1976-02-20,2025-06-30,77",
        "92,Cần Thơ,2004-01-01,2025-06-30,89",
        "93,Hậu Giang,2004-01-01,2025-06-30,",
        "94,Sóc Trăng,30/06/2025,,",
        "95,Bạc Liêu,2025-07-01,2025-06-30,",
        "96,Cà Mau,2004-01-01,,89",
        "97,Vĩnh Long,1992-01-01,2025-06-30,97",
        "89,An Giang mới,2025-07-01,,",
        "98,Tây Ninh,2030-01-01,,",
        "99,Long An,1976-01-01,2025-06-30,98",
    ))

    lines = dict(errors)
    assert sorted(lines) == [3, 6, 7, 8, 9, 10, 12]
    assert "77" in lines[3]
    assert "YYYY-MM-DD" in lines[6]
    assert "2025-07-01" in lines[7]
    assert "active_to" in lines[8]
    assert "chính nó" in lines[9]
    assert "dòng 2" in lines[10]
    assert "2025-07-01" in lines[12]
    assert not Province.objects.exists()


def test_it_refuses_a_name_that_another_province_holds(province_a):
    errors = refused(csv_file(HEADER, "90,Kiên Giang,1976-02-20,,"))

    assert errors == [(2, "Tên tỉnh “Kiên Giang” đã là tên của tỉnh mã 91.")]


def test_the_command_imports_the_merger(db, tmp_path, capsys):
    path = tmp_path / "provinces.csv"
    path.write_bytes(MERGER)

    call_command("import_provinces", str(path))

    assert "tạo 4" in capsys.readouterr().out
    assert Province.objects.get(code="34").successor == Province.objects.get(code="33")
    assert Province.objects.get(code="33").successor is None


def test_the_database_refuses_a_successor_without_an_end_and_a_province_its_own(merged):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Province.objects.create(code="80", name="Long An", successor=merged)
    with pytest.raises(IntegrityError), transaction.atomic():
        Province.objects.filter(code="89").update(active_to=D(2030, 1, 1),
                                                  successor=merged)
    with pytest.raises(IntegrityError), transaction.atomic():
        Province.objects.create(code="81", name="Tây Ninh", active_from=D(2026, 1, 1),
                                active_to=D(2025, 1, 1))
