"""import_programmes: programmes.csv in, all or nothing, every wrong row named by its line."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.models import Programme, ProgrammeTarget
from plans.services.imports import ImportRefused
from plans.services.imports.programmes import programmes_import
from tests.factories import csv_file

HEADER = ("province_code,programme_code,programme_name,first_year,last_year,indicator_code,"
          "tiers,comparator,value,unit")
GOOD = csv_file(
    HEADER,
    "91,KH-2021-2025,Kế hoạch chuyển đổi số 2021–2025,2021,2025,PUBLIC_SERVICES_FULL,all,>=,"
    "80,percent",
    "91,KH-2021-2025,Kế hoạch chuyển đổi số 2021–2025,2021,2025,OFFICIAL_EMAIL,"
    "district+department,>=,100,percent",
    "91,KH-2021-2025,Kế hoạch chuyển đổi số 2021–2025,2021,2025,PUBLIC_SERVICES_L4,all,>=,30,"
    "count",
)


def state():
    return sorted(
        ProgrammeTarget.objects.values_list(
            "programme__province__code", "programme__code", "programme__name",
            "programme__first_year", "programme__last_year", "indicator__code", "tiers",
            "comparator", "value", "unit",
        )
    )


def refused(source) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as excinfo:
        programmes_import(source=source)
    return [(error.line, error.message) for error in excinfo.value.report.errors]


def test_it_creates_programmes_and_their_targets(province_a):
    report = programmes_import(source=GOOD)

    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert Programme.objects.get().name == "Kế hoạch chuyển đổi số 2021–2025"
    assert state()[0][5:] == (
        "OFFICIAL_EMAIL", "department+district", ">=", Decimal("100.0"), "percent"
    )


def test_it_changes_nothing_when_the_same_file_comes_again(province_a):
    programmes_import(source=GOOD)

    report = programmes_import(source=GOOD)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Programme.objects.count() == 1 and ProgrammeTarget.objects.count() == 3


def test_it_updates_a_targets_value_and_a_programmes_name(province_a):
    programmes_import(source=GOOD)

    report = programmes_import(source=csv_file(
        HEADER,
        "91,KH-2021-2025,Chuyển đổi số 2021–2025,2021,2025,PUBLIC_SERVICES_FULL,"
        "province+department+district+commune,>=,90,percent",
    ))

    assert (report.created, report.updated) == (0, 1)
    programme = Programme.objects.get()
    assert programme.name == "Chuyển đổi số 2021–2025"
    assert programme.targets.get(indicator__code="PUBLIC_SERVICES_FULL").value == Decimal("90")


def test_it_refuses_bad_rows_by_line_and_writes_nothing(province_a):
    errors = refused(csv_file(
        HEADER,
        "91,KH-1,Một,2021,2025,LAN,department,>=,80,percent",
        "91,KH-1,Một,2021,2025,NOPE,department,>=,80,percent",
        "91,KH-2,Hai,2026,2025,LAN,department,>=,80,percent",
        "91,KH-1,Một,2021,2025,LAN,department,>=,120,percent",
        "91,KH-1,Một,2021,2025,PUBLIC_SERVICES_L4,department,>=,2.5,count",
        "91,KH 1,Một,2021,2025,FIBRE,department,>=,80,percent",
        "91,KH-1,Một khác,2021,2030,FIBRE,department,>=,80,percent",
        "91,KH-1,Một,2021,2025,LAN,department,>=,90,percent",
        "91,KH-1,Một,2021,2025,WEB_PORTAL,county,>=,90,percent",
        "91,KH-1,Một,1999,2025,ONE_STOP_SHOP,department,>=,90,percent",
        "91,KH-1,Một,2021,2025,ONE_STOP_SHOP,department,=,90,points",
    ))

    lines = [line for line, _message in errors]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12]
    messages = dict(errors)
    assert "NOPE" in messages[3]
    assert "2026" in messages[4] and "2025" in messages[4]
    assert "0–100" in messages[5]
    assert "số nguyên" in messages[6]
    assert "programme_code" in messages[7]
    assert "dòng 2" in messages[8]
    assert "dòng 2" in messages[9]
    assert "county" in messages[10]
    assert Programme.objects.count() == 0 and ProgrammeTarget.objects.count() == 0


def test_it_refuses_an_unknown_province_and_keeps_the_others_unwritten(province_a):
    errors = refused(csv_file(
        HEADER,
        "91,KH-1,Một,2021,2025,LAN,department,>=,80,percent",
        "99,KH-1,Một,2021,2025,LAN,department,>=,80,percent",
    ))

    assert [line for line, _message in errors] == [3]
    assert Programme.objects.count() == 0


def test_it_refuses_a_count_indicator_in_percent(province_a, indicator):
    from indicators.models import Indicator

    Indicator.objects.create(code="TRAINED", name_vi="Số lượt tập huấn", name_en="Trainings",
                             group="internal", kind="count")

    errors = refused(csv_file(HEADER, "91,KH-1,Một,2021,2025,TRAINED,all,>=,50,percent"))

    assert errors[0][0] == 2 and "TRAINED" in errors[0][1]


def test_it_refuses_a_wrong_header(province_a):
    errors = refused(csv_file("province_code,programme_code,year", "91,KH-1,2021"))

    assert errors and errors[0][0] in (0, 1)


def test_the_command_imports_and_refuses_with_line_numbers(province_a, tmp_path, capsys):
    good = tmp_path / "programmes.csv"
    good.write_bytes(GOOD)
    call_command("import_programmes", str(good))
    assert "tạo 3" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file(HEADER, "91,KH-9,Chín,2025,2021,LAN,department,>=,80,percent"))
    with pytest.raises(CommandError):
        call_command("import_programmes", str(bad))
    assert "dòng 2:" in capsys.readouterr().err
    assert not Programme.objects.filter(code="KH-9").exists()
