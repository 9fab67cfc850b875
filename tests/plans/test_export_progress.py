from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.files.csv_writing import csv_safe
from plans.models import Result, Target
from plans.outputs.exports import progress_csv, progress_rows

HEADER = (
    "province_code,year,indicator_code,tiers,comparator,target,unit,achieved,numerator,"
    "denominator,agencies_reporting,agencies_in_scope,status\n"
)

# Kiên Giang 2017 (agencies_a): in scope for province+department+district are 91-UBND, 91-SNV,
# 91-STTTT, 91-H899, 91-H900 (five); 91-X30736 only exists from 2018.
EXPECTED = HEADER + (
    "91,2017,DIGITAL_SIGNATURE,province+department+district+commune,>=,3,count,3,3,,4,6,met\n"
    "91,2017,OFFICIAL_EMAIL,department,>=,12.5,percent,6.3,1,16,1,2,not_met\n"
    "91,2017,ONLINE_MEETINGS,province,>=,60,percent,,,,0,1,no_data\n"
    "91,2017,SPECIALIZED_NETWORK,province+department+district,>,80,percent,80.0,4,5,4,5,"
    "not_met\n"
    "91,2017,WEB_PORTAL,department,>=,100,percent,100.0,2,2,2,2,met\n"
    "91,2017,WEB_PORTAL,province+department+district,>=,80,percent,80.0,4,5,5,5,met\n"
)


@pytest.fixture
def progress_plan(plan_a, agencies_a, indicator):
    """The targets of EXPECTED, stored out of order, and the results behind them."""
    targets = [
        ("WEB_PORTAL", "province+department+district", ">=", "80", "percent"),
        ("SPECIALIZED_NETWORK", "province+department+district", ">", "80", "percent"),
        ("ONLINE_MEETINGS", "province", ">=", "60", "percent"),
        ("OFFICIAL_EMAIL", "department", ">=", "12.5", "percent"),
        ("WEB_PORTAL", "department", ">=", "100", "percent"),
        ("DIGITAL_SIGNATURE", "all", ">=", "3", "count"),
    ]
    for position, (code, tiers, comparator, value, unit) in enumerate(targets):
        Target.objects.create(plan=plan_a, indicator=indicator(code), tiers=tiers,
                              comparator=comparator, value=Decimal(value), unit=unit,
                              position=position)

    def report(code, agency, **figures):
        Result.objects.create(year=2017, agency=agencies_a[agency], indicator=indicator(code),
                              **figures)

    # 4 of 5 at "> 80": exactly at the threshold, not met; 4 of 5 at ">= 80": met.
    for agency in ("91-UBND", "91-SNV", "91-STTTT", "91-H899"):
        report("SPECIALIZED_NETWORK", agency, value=1)
        report("WEB_PORTAL", agency, value=1)
    report("WEB_PORTAL", "91-H900", value=0)
    # 3 agencies said yes, one said no: the count is 3 and four reported.
    for agency, value in (("91-UBND", 1), ("91-SNV", 1), ("91-H899", 1), ("91-X30733", 0)):
        report("DIGITAL_SIGNATURE", agency, value=value)
    # 1 of 16 is 6.25 %, shown as 6.3.
    report("OFFICIAL_EMAIL", "91-SNV", numerator=1, denominator=16)
    # A result of another year does not count.
    Result.objects.create(year=2018, agency=agencies_a["91-UBND"],
                          indicator=indicator("ONLINE_MEETINGS"), numerator=5, denominator=10)
    return plan_a


def test_it_exports_the_progress_of_every_target_byte_for_byte(progress_plan, province_a):
    assert progress_csv(province=province_a, year=2017) == EXPECTED


def test_it_runs_four_queries_whatever_the_size_of_the_plan(
    progress_plan, province_a, django_assert_num_queries
):
    # The plan, its targets with indicators, agency counts, result sums.
    with django_assert_num_queries(4):
        progress_csv(province=province_a, year=2017)


def test_it_gives_the_header_alone_for_a_year_without_a_plan(progress_plan, province_a):
    assert progress_csv(province=province_a, year=2018) == HEADER


def test_it_keeps_numbers_typed_for_spreadsheets(progress_plan):
    rows = progress_rows(progress_plan)

    email = rows[1]
    assert email["target"] == Decimal("12.5")
    assert email["achieved"] == Decimal("6.3")
    assert (email["numerator"], email["denominator"]) == (1, 16)
    meetings = rows[2]
    assert (meetings["achieved"], meetings["numerator"], meetings["denominator"]) == (
        None, None, None
    )
    assert str(rows[0]["target"]) == "3"
    assert str(rows[0]["achieved"]) == "3"


def test_it_writes_a_whole_target_of_100_plainly(plan_a, agencies_a, indicator, province_a):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="province", value=100)

    assert progress_csv(province=province_a, year=2017).splitlines()[1] == (
        "91,2017,LAN,province,>=,100,percent,,,,0,1,no_data"
    )


def test_the_command_writes_to_stdout(progress_plan, capsys):
    call_command("export_progress", "--province", "91", "--year", "2017")

    assert capsys.readouterr().out == EXPECTED


def test_the_command_writes_a_file_in_utf8_without_bom(progress_plan, tmp_path):
    path = tmp_path / "progress.csv"

    call_command("export_progress", "--province", "91", "--year", "2017", "--output", str(path))

    assert path.read_bytes() == EXPECTED.encode("utf-8")


def test_the_command_refuses_an_unknown_province(province_a):
    with pytest.raises(CommandError) as excinfo:
        call_command("export_progress", "--province", "99", "--year", "2017")

    assert str(excinfo.value) == "Không có tỉnh mã 99."


def test_the_command_refuses_a_year_out_of_range(province_a):
    with pytest.raises(CommandError) as excinfo:
        call_command("export_progress", "--province", "91", "--year", "1999")

    assert str(excinfo.value) == "Năm 1999 nằm ngoài khoảng 2000–2100."


def test_the_command_explains_an_unwritable_output(province_a, tmp_path):
    path = tmp_path / "khong-co" / "progress.csv"

    with pytest.raises(CommandError) as excinfo:
        call_command("export_progress", "--province", "91", "--year", "2017",
                     "--output", str(path))

    assert str(excinfo.value) == f"Không ghi được tệp {path}: No such file or directory."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+84 297 3862 000", "'+84 297 3862 000"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("\t=1+1", "'\t=1+1"),
        ("\r@SUM(A1)", "'\r@SUM(A1)"),
        ("＝HYPERLINK(\"http://x\")", "'＝HYPERLINK(\"http://x\")"),
        ("＋84 297", "'＋84 297"),
        ("－1＋1", "'－1＋1"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("UBND ＝ tỉnh", "UBND ＝ tỉnh"),
        ("Sở Nội vụ", "Sở Nội vụ"),
        ("UBND = tỉnh", "UBND = tỉnh"),
        ("", ""),
    ],
)
def test_csv_safe_defuses_formulas_in_text_cells(text, expected):
    assert csv_safe(text) == expected
