import unicodedata
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import Indicator
from plans.models import Result, Target
from plans.services.imports import ImportRefused, indicators_import

HEADER = "code,name_vi,name_en,group,kind,numerator_label,denominator_label,position"
STANDARD = 14  # the catalogue the migration installs


def csv_file(*lines: str) -> bytes:
    return ("\n".join((HEADER, *lines)) + "\n").encode("utf-8")


def refused(**kwargs) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as excinfo:
        indicators_import(**kwargs)
    return [(error.line, error.message) for error in excinfo.value.report.errors]


def catalogue():
    return sorted(
        Indicator.objects.values_list(
            "code", "name_vi", "name_en", "group", "kind", "numerator_label",
            "denominator_label", "position",
        )
    )


ADDED = csv_file(
    "AI_SYSTEMS,Hệ thống ứng dụng trí tuệ nhân tạo,AI systems,services,count,"
    "\"Số hệ thống, đang chạy\",,40",
    "OPEN_DATA,Bộ dữ liệu mở được công bố,Open data sets published,Services,Ratio,"
    "Số bộ dữ liệu mở,Tổng số bộ dữ liệu,",
)


def test_it_adds_indicators_to_the_catalogue(db):
    report = indicators_import(source=ADDED)

    assert (report.kind, report.rows, report.created, report.updated) == ("indicators", 2, 2, 0)
    assert Indicator.objects.count() == STANDARD + 2
    added = Indicator.objects.get(code="AI_SYSTEMS")
    assert (added.name_vi, added.group, added.kind, added.numerator_label, added.position) == (
        "Hệ thống ứng dụng trí tuệ nhân tạo", "services", "count", "Số hệ thống, đang chạy", 40
    )
    # Choices are read in any case; a blank position is the model's default.
    open_data = Indicator.objects.get(code="OPEN_DATA")
    assert (open_data.group, open_data.kind, open_data.position) == ("services", "ratio", 0)


def test_it_changes_nothing_when_the_same_file_is_imported_again(db):
    indicators_import(source=ADDED)
    before = catalogue()

    report = indicators_import(source=ADDED)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert catalogue() == before


def test_it_updates_an_indicator_matched_on_its_code(db, indicator):
    lan = indicator("LAN")
    source = csv_file(
        f"LAN,Có mạng nội bộ (LAN) hoạt động,Has a working LAN,infrastructure,yes_no,,,"
        f"{lan.position}",
        "FIBRE,Có kết nối Internet cáp quang,Has fibre internet,infrastructure,yes_no,,,20",
    )

    report = indicators_import(source=source)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    lan.refresh_from_db()
    assert (lan.name_vi, lan.name_en) == ("Có mạng nội bộ (LAN) hoạt động", "Has a working LAN")
    assert Indicator.objects.count() == STANDARD


def test_it_reads_a_decomposed_vietnamese_name_in_nfc(db):
    name = unicodedata.normalize("NFD", "Ứng dụng số")
    indicators_import(source=csv_file(f"DIGITAL_APPS,{name},Digital apps,internal,count,,,"))
    assert Indicator.objects.get(code="DIGITAL_APPS").name_vi == "Ứng dụng số"


def test_it_refuses_the_whole_file_and_says_what_is_wrong_on_each_line(db):
    source = csv_file(
        "NEW_ONE,Chỉ tiêu mới,New one,services,count,,,1",
        "bad code,Tên,Name,services,count,,,",
        "NO_NAME,,Name,services,count,,,",
        "ODD_KIND,Tên,Name,services,percent,,,",
        "ODD_GROUP,Tên,Name,other,count,,,",
        "FAR,Tên,Name,services,count,,,40000",
        "NEW_ONE,Chỉ tiêu mới lần hai,New one again,services,count,,,",
        f"LONG,{'x' * 256},Name,services,count,,,",
    )

    errors = refused(source=source)

    assert [line for line, _message in errors] == [3, 4, 5, 6, 7, 8, 9]
    messages = dict(errors)
    assert "Cột code: “bad code” không hợp lệ" in messages[3]
    assert "chữ in hoa không dấu" in messages[3]
    assert messages[4] == "Cột name_vi không được để trống."
    assert messages[5].startswith("Cột kind: “percent” không hợp lệ; chỉ nhận yes_no, ratio")
    assert messages[6].startswith("Cột group: “other” không hợp lệ")
    assert "từ 0 đến 32767" in messages[7]
    assert messages[8] == "Mã chỉ tiêu NEW_ONE đã có ở dòng 2; mỗi chỉ tiêu chỉ ghi một dòng."
    assert messages[9] == "Cột name_vi dài 256 ký tự, tối đa 255."
    assert Indicator.objects.count() == STANDARD


def test_it_refuses_to_change_the_kind_of_an_indicator_in_use(plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("OFFICIAL_EMAIL"), tiers="department",
                          comparator=">=", value=Decimal(80), unit="percent")
    source = csv_file(
        "OFFICIAL_EMAIL,Cán bộ có hộp thư,Officials with e-mail,internal,count,,,8",
        # Unused: its kind may change, as in the admin.
        "ONLINE_MEETINGS,Cuộc họp trực tuyến,Meetings held online,internal,count,,,10",
    )

    assert refused(source=source) == [
        (2, "Chỉ tiêu OFFICIAL_EMAIL đã có chỉ tiêu kế hoạch hoặc kết quả: không thể đổi loại "
            "từ ratio sang count."),
    ]
    assert indicator("ONLINE_MEETINGS").kind == "ratio"


def test_a_result_also_makes_an_indicator_in_use(agencies_a, indicator):
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1)
    errors = refused(source=csv_file("LAN,Có mạng LAN,Has a LAN,infrastructure,count,,,1"))
    assert [line for line, _message in errors] == [2]


def test_a_dry_run_reports_and_writes_nothing(db):
    report = indicators_import(source=ADDED, dry_run=True)
    assert (report.created, report.dry_run) == (2, True)
    assert Indicator.objects.count() == STANDARD


def test_a_wrong_header_is_an_error_of_line_1(db):
    errors = refused(source=b"code,name\nX,Y\n")
    assert errors[0][0] == 1
    assert "thiếu cột" in errors[0][1]


def test_the_command_imports_a_file_and_reports(db, tmp_path, capsys):
    path = tmp_path / "indicators.csv"
    path.write_bytes(ADDED)
    call_command("import_indicators", str(path))
    assert "Đã nhập 2 dòng: tạo 2, sửa 0, giữ nguyên 0." in capsys.readouterr().out
    assert Indicator.objects.filter(code__in=["AI_SYSTEMS", "OPEN_DATA"]).count() == 2


def test_the_command_refuses_a_wrong_file_and_lists_the_errors(db, tmp_path, capsys):
    path = tmp_path / "indicators.csv"
    path.write_bytes(csv_file("AI_SYSTEMS,,AI,services,count,,,"))
    with pytest.raises(CommandError, match="1 lỗi, không có dữ liệu nào được ghi"):
        call_command("import_indicators", str(path))
    assert "dòng 2: Cột name_vi không được để trống." in capsys.readouterr().err
    assert not Indicator.objects.filter(code="AI_SYSTEMS").exists()
