import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Indicator
from plans.models import Change, Plan, Result
from plans.services.history import result_snapshot_json
from plans.services.imports import ImportRefused, results_import, rows
from plans.services.imports import results as imports
from tests.factories import csv_file

HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note"


def refused(**kwargs) -> list[tuple[int, str]]:
    """Run the import expecting a refusal; return its (line, message) pairs."""
    with pytest.raises(ImportRefused) as excinfo:
        results_import(**kwargs)
    return [(error.line, error.message) for error in excinfo.value.report.errors]


@pytest.fixture
def count_indicator(db):
    return Indicator.objects.create(
        code="SERVICES_COUNT", name_vi="Số dịch vụ công mức độ 4", name_en="Level-4 services",
        group="services", kind="count",
    )


@pytest.fixture
def good_file(agencies_a):
    return csv_file(
        HEADER,
        "2017,91-SNV,LAN,1,,,",
        "2017,91-STTTT,LAN,không,,,",
        "2017,91-SNV,OFFICIAL_EMAIL,,412,430,Theo báo cáo quý IV",
        "2017,91-H899,ONE_STOP_SHOP,yes,,,",
    )


def test_it_creates_results_with_a_change_each(good_file, officer_a, indicator):
    report = results_import(source=good_file, user=officer_a, channel="upload")

    assert (report.rows, report.created, report.updated, report.unchanged) == (4, 4, 0, 0)
    assert report.ok
    assert not report.dry_run
    email = Result.objects.get(agency__code="91-SNV", indicator=indicator("OFFICIAL_EMAIL"))
    assert (email.numerator, email.denominator, email.value) == (412, 430, None)
    assert email.note == "Theo báo cáo quý IV"
    assert (email.version, email.updated_by, email.is_sample) == (1, officer_a, False)
    lan = Result.objects.get(agency__code="91-STTTT", indicator=indicator("LAN"))
    assert lan.value == 0
    change = Change.objects.get(result=email)
    assert change.old is None
    assert change.new == {"value": None, "numerator": 412, "denominator": 430,
                          "note": "Theo báo cáo quý IV"}
    assert (change.changed_by, change.channel) == (officer_a, "upload")
    assert Change.objects.filter(result__isnull=False).count() == 4


def test_it_changes_nothing_when_the_same_file_is_imported_again(good_file, officer_a):
    results_import(source=good_file, user=officer_a)
    changes = Change.objects.count()

    report = results_import(source=good_file, user=officer_a)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert Change.objects.count() == changes
    assert set(Result.objects.values_list("version", flat=True)) == {1}


def test_it_updates_a_changed_row_with_a_new_version_and_its_old_figures(
    good_file, officer_a, admin_user, indicator
):
    results_import(source=good_file, user=officer_a)
    first_saved = Result.objects.get(agency__code="91-SNV", indicator__code="OFFICIAL_EMAIL")
    changed = csv_file(
        HEADER,
        "2017,91-SNV,LAN,1,,,",
        "2017,91-STTTT,LAN,không,,,",
        "2017,91-SNV,OFFICIAL_EMAIL,,420,430,Đã cấp thêm",
        "2017,91-H899,ONE_STOP_SHOP,yes,,,",
    )

    report = results_import(source=changed, user=admin_user, channel="admin")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    email = Result.objects.get(agency__code="91-SNV", indicator=indicator("OFFICIAL_EMAIL"))
    assert (email.numerator, email.version, email.updated_by) == (420, 2, admin_user)
    assert email.updated_at > first_saved.updated_at
    change = Change.objects.filter(result=email).first()
    assert change.old == {"value": None, "numerator": 412, "denominator": 430,
                          "note": "Theo báo cáo quý IV"}
    assert change.new == {"value": None, "numerator": 420, "denominator": 430,
                          "note": "Đã cấp thêm"}
    assert (change.changed_by, change.channel) == (admin_user, "admin")
    assert Result.objects.exclude(pk=email.pk).filter(version=1).count() == 3


def test_it_marks_sample_results_and_unmarks_them_when_real_figures_arrive(good_file):
    results_import(source=good_file, is_sample=True)
    assert set(Result.objects.values_list("is_sample", flat=True)) == {True}

    report = results_import(source=csv_file(
        HEADER, "2017,91-SNV,LAN,0,,,", "2017,91-SNV,OFFICIAL_EMAIL,,413,430,Theo báo cáo quý IV",
    ), is_sample=False)

    assert (report.updated, report.unchanged) == (2, 0)
    assert set(Result.objects.values_list("indicator__code", "agency__code", "is_sample",
                                          "version")) == {
        ("LAN", "91-SNV", False, 2), ("OFFICIAL_EMAIL", "91-SNV", False, 2),
        ("LAN", "91-STTTT", True, 1), ("ONE_STOP_SHOP", "91-H899", True, 1),
    }


def test_the_same_figures_leave_a_sample_result_as_it_is(good_file):
    results_import(source=good_file, is_sample=True)
    changes = Change.objects.count()

    report = results_import(source=good_file, is_sample=False)

    # Equal figures and note are no change, whether the stored result is sample data or not.
    assert (report.updated, report.unchanged) == (0, 4)
    assert set(Result.objects.values_list("is_sample", "version")) == {(True, 1)}
    assert Change.objects.count() == changes


@pytest.mark.parametrize(
    "word, expected",
    [("1", 1), ("0", 0), ("yes", 1), ("NO", 0), ("Có", 1), ("KHÔNG", 0), ("True", 1),
     ("false", 0), (" có ", 1), ("co\u0301", 1), ("kho\u0302ng", 0)],
)
def test_it_reads_every_spelling_of_yes_and_no(agencies_a, indicator, word, expected):
    results_import(source=csv_file(HEADER, f"2017,91-SNV,LAN,{word},,,"))

    assert Result.objects.get(indicator=indicator("LAN")).value == expected


def test_it_refuses_an_unknown_yes_no_word(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017,91-SNV,LAN,ok,,,"))

    assert errors == [(2, "Cột value: “ok” không phải câu trả lời có/không; ghi 1, 0, yes, no, "
                          "có, không, true hoặc false.")]
    assert not Result.objects.exists()


def test_it_accepts_a_count_with_surrounding_spaces(agencies_a, count_indicator):
    results_import(source=csv_file(HEADER, "2017,91-SNV,SERVICES_COUNT, 3 ,,,"))

    assert Result.objects.get(indicator=count_indicator).value == 3


DIGITS_ONLY = "chỉ ghi chữ số 0–9, ví dụ 12 hoặc 1.000"
DOTS_GROUP = (
    "dấu chấm chỉ dùng để nhóm từng ba chữ số (1.000, 12.345); số nguyên không có phần thập phân"
)
SPACE = (
    "có dấu cách giữa các chữ số; hãy ghi liền (1000) hoặc nhóm ba chữ số bằng dấu chấm (1.000)"
)


@pytest.mark.parametrize(
    "text, reason",
    [("+3", DIGITS_ONLY), ("3.0", DOTS_GROUP), ("1e3", DIGITS_ONLY), ("-1", DIGITS_ONLY),
     ("2.5", DOTS_GROUP), ("3 4", SPACE), ("ba", DIGITS_ONLY)],
)
def test_it_refuses_a_whole_number_not_written_as_digits(
    agencies_a, count_indicator, text, reason
):
    errors = refused(source=csv_file(HEADER, f"2017,91-SNV,SERVICES_COUNT,{text},,,"))

    assert errors == [(2, f"Cột value: “{text}” không phải số nguyên không âm: {reason}.")]
    assert not Result.objects.exists()


def test_it_refuses_a_number_too_large_to_store(agencies_a, count_indicator):
    errors = refused(source=csv_file(HEADER, "2017,91-SNV,SERVICES_COUNT,9999999999999999999,,,"))

    assert errors == [(2, "Cột value: “9999999999999999999” không phải số nguyên không âm: số "
                          "quá lớn (tối đa 18 chữ số).")]


def test_it_refuses_numerator_above_denominator(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,31,30,"))

    assert errors == [(2, "Tử số (31) không được lớn hơn mẫu số (30).")]
    assert not Result.objects.exists()


def test_it_refuses_a_ratio_without_its_denominator(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,31,,"))

    assert errors == [(2, "Chưa nhập mẫu số.")]


def test_it_refuses_a_yes_no_with_a_note_but_no_value(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017,91-SNV,LAN,,,,chưa xác minh"))

    assert errors == [(2, "Cột value không được để trống.")]


def test_it_skips_rows_with_no_figures_and_no_note(agencies_a, count_indicator):
    report = results_import(source=csv_file(
        HEADER,
        "2017,91-SNV,LAN,,,,",
        "2017,91-SNV,OFFICIAL_EMAIL,,,,",
        "2017,91-SNV,SERVICES_COUNT, , ,,",
        "2017,91-STTTT,LAN,1,,,",
    ))

    assert (report.rows, report.created, report.skipped_blank) == (4, 1, 3)
    assert list(Result.objects.values_list("agency__code", "indicator__code")) == [
        ("91-STTTT", "LAN")
    ]


def test_a_blank_row_leaves_the_stored_result_as_it_is(agencies_a, indicator):
    results_import(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,3,4,"))

    report = results_import(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,,,"))

    assert (report.created, report.updated, report.unchanged, report.skipped_blank) == (
        0, 0, 0, 1
    )
    assert Result.objects.get().numerator == 3


def test_a_row_with_some_figures_but_not_all_is_still_an_error(agencies_a):
    errors = refused(source=csv_file(
        HEADER,
        "2017,91-SNV,OFFICIAL_EMAIL,,,5,",
        "2017,91-SNV,ONLINE_MEETINGS,,,,họp trực tuyến chưa thống kê",
        "2017,91-SNV,LAN,,,,",
    ))

    assert errors == [(2, "Chưa nhập tử số."), (3, "Chưa nhập tử số."),
                      (3, "Chưa nhập mẫu số.")]


def test_it_refuses_rows_of_another_year_when_years_are_restricted(agencies_a):
    errors = refused(
        source=csv_file(HEADER,
                        "2017,91-SNV,LAN,1,,,", "2018,91-SNV,LAN,1,,,", "2018,91-SNV,FIBRE,,,,"),
        years=[2017],
    )

    assert errors == [
        (3, "Năm 2018 không phải năm 2017 đang nhập ở đây; hãy tải dòng này lên ở trang của "
            "năm 2018."),
    ]
    assert not Result.objects.exists()


def test_it_accepts_any_year_without_a_restriction(agencies_a):
    report = results_import(source=csv_file(HEADER, "2017,91-SNV,LAN,1,,,", "2018,91-SNV,LAN,1,,,"))

    assert report.created == 2


def test_it_refuses_a_column_that_must_be_blank(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,1,31,40,",
                                     "2017,91-SNV,LAN,1,1,,"))

    assert errors == [
        (2, "Cột value phải để trống với chỉ tiêu OFFICIAL_EMAIL (loại Tỉ lệ (tử số/mẫu số)), "
            "nhận được “1”."),
        (3, "Cột numerator phải để trống với chỉ tiêu LAN (loại Có/không), nhận được “1”."),
    ]
    assert not Result.objects.exists()


def test_it_refuses_an_unknown_agency(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017,91-KHONGCO,LAN,1,,,"))

    assert errors == [(2, "Không có đơn vị mã 91-KHONGCO trong hệ thống.")]


def test_it_refuses_a_result_of_an_agency_not_active_that_year(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017,91-X30736,LAN,1,,,", "2021,91-H900,LAN,1,,,"))

    assert errors == [
        (2, "Đơn vị 91-X30736 (UBND phường Vĩnh Quang) không hoạt động trong năm 2017 (hoạt "
            "động 2018–2025)."),
        (3, "Đơn vị 91-H900 (UBND thị xã Hà Tiên) không hoạt động trong năm 2021 (hoạt động "
            "…–2020)."),
    ]
    assert not Result.objects.exists()


def test_it_refuses_an_unknown_indicator(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017,91-SNV,WIFI,1,,,"))

    assert errors == [(2, "Không có chỉ tiêu mã “WIFI” trong danh mục.")]


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_it_refuses_a_year_out_of_range(agencies_a, year):
    errors = refused(source=csv_file(HEADER, f"{year},91-SNV,LAN,1,,,"))

    assert errors == [(2, f"Cột year: năm {year} nằm ngoài khoảng 2000–2100.")]


def test_it_refuses_a_year_not_written_as_digits(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017.0,91-SNV,LAN,1,,,"))

    assert errors == [(2, "Cột year: “2017.0” không phải năm; ghi bốn chữ số, ví dụ 2017.")]


def test_it_refuses_results_of_a_closed_plan(agencies_a, plan_a):
    plan_a.status = Plan.Status.CLOSED
    plan_a.save()

    errors = refused(source=csv_file(HEADER, "2017,91-SNV,LAN,1,,,", "2018,91-SNV,LAN,1,,,"))

    assert errors == [
        (2, "Kế hoạch năm 2017 của tỉnh Kiên Giang đã tổng kết, không thể sửa kết quả."),
    ]
    assert not Result.objects.exists()


def test_it_refuses_a_row_of_a_province_the_caller_may_not_write(
    agencies_a, agencies_b, province_a
):
    source = csv_file(HEADER, "2017,91-SNV,LAN,1,,,", "2017,33-SNV,LAN,1,,,")

    errors = refused(source=source, provinces=[province_a.pk])

    assert errors == [
        (3, "Đơn vị mã 33-SNV không có trong hệ thống hoặc không thuộc tỉnh bạn được phân "
            "quyền."),
    ]
    assert not Result.objects.exists()


def test_it_accepts_rows_of_the_callers_provinces(agencies_a, agencies_b, province_a, province_b):
    source = csv_file(HEADER, "2017,91-SNV,LAN,1,,,", "2017,33-SNV,LAN,1,,,")

    report = results_import(source=source, provinces=[province_a.pk, province_b.pk])

    assert report.created == 2


def test_it_refuses_the_same_key_twice(agencies_a):
    source = csv_file(HEADER,
                      "2017,91-SNV,LAN,1,,,", "2018,91-SNV,LAN,1,,,", " 2017 ,91-SNV,LAN,0,,,")

    errors = refused(source=source)

    assert errors == [
        (4, "Kết quả năm 2017 của đơn vị 91-SNV (Sở Nội vụ), chỉ tiêu LAN đã có ở một dòng "
            "trước trong tệp; mỗi kết quả chỉ ghi một dòng."),
    ]
    assert not Result.objects.exists()


def test_it_finds_the_same_key_in_different_chunks(agencies_a, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_SIZE", 2)
    source = csv_file(HEADER,
                      "2017,91-SNV,LAN,1,,,", "2017,91-STTTT,LAN,1,,,", "2017,91-UBND,LAN,1,,,",
                      "2017,91-SNV,LAN,1,,,")

    errors = refused(source=source)

    assert [line for line, _message in errors] == [5]
    assert not Result.objects.exists()


def test_it_rolls_back_chunks_already_written_when_a_later_row_is_wrong(
    agencies_a, monkeypatch
):
    monkeypatch.setattr(imports, "CHUNK_SIZE", 2)
    source = csv_file(HEADER,
                      "2017,91-SNV,LAN,1,,,", "2017,91-STTTT,LAN,1,,,", "2017,91-UBND,LAN,1,,,",
                      "2017,91-H899,LAN,2,,,")

    errors = refused(source=source)

    assert errors == [(5, "Cột value: “2” không phải câu trả lời có/không; ghi 1, 0, yes, no, "
                          "có, không, true hoặc false.")]
    assert not Result.objects.exists()
    assert not Change.objects.exists()


def test_it_refuses_a_row_with_more_or_fewer_fields_than_the_header(agencies_a):
    source = csv_file(HEADER, "2017,91-SNV,LAN,1,,", "2017,91-STTTT,LAN,1,,,,")

    errors = refused(source=source)

    assert errors == [
        (2, "Dòng có 6 trường nhưng tiêu đề có 7 cột. Kiểm tra dấu phẩy thừa hoặc thiếu (một "
            "giá trị có dấu phẩy phải đặt trong ngoặc kép)."),
        (3, "Dòng có 8 trường nhưng tiêu đề có 7 cột. Kiểm tra dấu phẩy thừa hoặc thiếu (một "
            "giá trị có dấu phẩy phải đặt trong ngoặc kép)."),
    ]


def test_it_reports_every_wrong_row_with_its_line_number(agencies_a, plan_a):
    source = csv_file(
        HEADER,
        "2017,91-SNV,LAN,1,,,",
        "2017,91-KHONGCO,LAN,1,,,",
        "2017,91-STTTT,OFFICIAL_EMAIL,,50,40,",
        "2017,91-UBND,LAN,1,,,",
        "20x7,,LAN,1,,,",
    )

    errors = refused(source=source)

    assert errors == [
        (3, "Không có đơn vị mã 91-KHONGCO trong hệ thống."),
        (4, "Tử số (50) không được lớn hơn mẫu số (40)."),
        (6, "Cột year: “20x7” không phải năm; ghi bốn chữ số, ví dụ 2017."),
        (6, "Cột agency_code không được để trống."),
    ]
    assert not Result.objects.exists()


def test_it_lists_a_thousand_errors_and_counts_the_rest(agencies_a, monkeypatch):
    monkeypatch.setattr(rows, "MAX_ERRORS", 3)
    source = csv_file(HEADER, *[f"2017,91-SNV,LAN,{n},,," for n in range(2, 7)])

    errors = refused(source=source)

    assert [line for line, _message in errors] == [2, 3, 4, 0]
    assert errors[-1][1] == ("Còn 2 lỗi khác không liệt kê. Hãy sửa các lỗi trên rồi nhập lại để "
                             "xem tiếp.")


def test_it_counts_but_writes_nothing_in_a_dry_run(good_file):
    report = results_import(source=good_file, dry_run=True)

    assert report.dry_run
    assert report.ok
    assert (report.rows, report.created) == (4, 4)
    assert not Result.objects.exists()
    assert not Change.objects.exists()


def test_it_refuses_in_a_dry_run_too(agencies_a):
    errors = refused(source=csv_file(HEADER, "2017,91-KHONGCO,LAN,1,,,"), dry_run=True)

    assert errors == [(2, "Không có đơn vị mã 91-KHONGCO trong hệ thống.")]


def test_it_reports_counts_of_an_update_in_a_dry_run_without_writing(good_file):
    results_import(source=good_file)
    changed = good_file.replace(b"412,430", b"413,430")

    report = results_import(source=changed, dry_run=True)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert set(Result.objects.values_list("version", flat=True)) == {1}


def test_it_refuses_an_unknown_change_channel(good_file):
    with pytest.raises(ValueError):
        results_import(source=good_file, channel="fax")


def test_it_queries_a_constant_number_of_times_per_chunk(
    agencies_a, django_assert_max_num_queries
):
    lines = [f"2017,{code},{ind},1,,," for code in ("91-SNV", "91-STTTT", "91-UBND")
             for ind in ("LAN", "FIBRE", "WEB_PORTAL", "DOC_MANAGEMENT")]
    # Indicators, agencies, closed plans, existing results, insert of results, insert of
    # changes, the figures versions of the chunk's years (their plans, made if missing, moved
    # on: plans.services.figures), and the savepoint around them: whatever the number of rows
    # in the chunk.
    with django_assert_max_num_queries(11):
        report = results_import(source=csv_file(HEADER, *lines))
    assert report.created == 12


def test_the_command_imports_and_prints_a_summary(good_file, tmp_path, capsys):
    path = tmp_path / "results.csv"
    path.write_bytes(good_file)

    call_command("import_results", str(path))

    assert capsys.readouterr().out == "Đã nhập 4 dòng: tạo 4, sửa 0, giữ nguyên 0.\n"
    assert Result.objects.count() == 4
    assert set(Change.objects.values_list("channel", flat=True)) == {"command"}


def test_the_command_counts_the_blank_rows_it_skips(agencies_a, tmp_path, capsys):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(HEADER, "2017,91-SNV,LAN,1,,,", "2017,91-SNV,FIBRE,,,,",
                              "2017,91-SNV,OFFICIAL_EMAIL,,,,"))

    call_command("import_results", str(path))

    assert capsys.readouterr().out == (
        "Đã nhập 3 dòng: tạo 1, sửa 0, giữ nguyên 0. Bỏ qua 2 dòng trống (không có value, "
        "numerator, denominator, note).\n"
    )
    assert Result.objects.count() == 1


def test_the_command_marks_sample_data(good_file, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(good_file)

    call_command("import_results", str(path), "--sample")

    assert set(Result.objects.values_list("is_sample", flat=True)) == {True}


def test_the_command_dry_run_writes_nothing(good_file, tmp_path, capsys):
    path = tmp_path / "results.csv"
    path.write_bytes(good_file)

    call_command("import_results", str(path), "--dry-run")

    assert capsys.readouterr().out == (
        "Kiểm tra 4 dòng (chạy thử, không ghi gì): sẽ tạo 4, sửa 0, giữ nguyên 0.\n"
    )
    assert not Result.objects.exists()


def test_the_command_prints_every_error_and_fails(agencies_a, tmp_path, capsys):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(HEADER, "2017,91-SNV,LAN,1,,,", "2017,91-KHONGCO,LAN,1,,,",
                              "2017,91-SNV,OFFICIAL_EMAIL,,5,4,"))

    with pytest.raises(CommandError) as excinfo:
        call_command("import_results", str(path))

    assert str(excinfo.value) == (
        f"Tệp {path} bị từ chối: 2 lỗi, không có dữ liệu nào được ghi."
    )
    assert capsys.readouterr().err.splitlines() == [
        "dòng 3: Không có đơn vị mã 91-KHONGCO trong hệ thống.",
        "dòng 4: Tử số (5) không được lớn hơn mẫu số (4).",
    ]
    assert not Result.objects.exists()


def test_the_command_explains_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("import_results", str(tmp_path / "khong-co.csv"))

    assert str(excinfo.value) == (
        f"Không mở được tệp {tmp_path / 'khong-co.csv'}: No such file or directory."
    )


def test_it_stores_notes_and_their_history_exactly_whatever_the_characters(
    agencies_a, officer_a, indicator
):
    note = 'Sở "A", dòng một\ndòng hai \\ tab\t; =1+1 ""'
    quoted = '"' + note.replace('"', '""') + '"'
    source = csv_file(HEADER, f"2017,91-SNV,OFFICIAL_EMAIL,,0,0,{quoted}", "2017,91-STTTT,LAN,1,,,")

    results_import(source=source, user=officer_a)

    email = Result.objects.get(indicator=indicator("OFFICIAL_EMAIL"))
    assert (email.note, email.value, email.numerator, email.denominator) == (note, None, 0, 0)
    assert Change.objects.get(result=email).new == {
        "value": None, "numerator": 0, "denominator": 0, "note": note
    }
    lan = Result.objects.get(indicator=indicator("LAN"))
    assert (lan.note, lan.numerator, lan.denominator) == ("", None, None)
    assert lan.updated_at is not None
    assert lan.updated_by == officer_a
    assert Change.objects.get(result=lan).changed_at is not None


def test_it_leaves_the_author_empty_when_no_user_is_given(good_file):
    results_import(source=good_file)

    assert set(Result.objects.values_list("updated_by", flat=True)) == {None}
    assert set(Change.objects.values_list("changed_by", flat=True)) == {None}


@given(
    value=st.none() | st.integers(min_value=0, max_value=2**63 - 1),
    numerator=st.none() | st.integers(min_value=0, max_value=2**63 - 1),
    denominator=st.none() | st.integers(min_value=0, max_value=2**63 - 1),
    note=st.text(max_size=40),
)
def test_the_history_json_is_what_json_dumps_writes(value, numerator, denominator, note):
    figures = (value, numerator, denominator, note)
    result = Result(value=value, numerator=numerator, denominator=denominator, note=note)

    assert result_snapshot_json(figures) == json.dumps(result.as_dict())


def statistics_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].strip().upper() == "ANALYZE"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner statistics")
def test_a_big_import_gathers_sqlite_planner_statistics(agencies_a, monkeypatch):
    monkeypatch.setattr(imports, "ANALYZE_AFTER_ROWS", 2)
    lines = [f"2017,91-SNV,{code},1,,," for code in ("LAN", "FIBRE", "WEB_PORTAL")]

    with CaptureQueriesContext(connection) as queries:
        results_import(source=csv_file(HEADER, *lines))

    assert statistics_queries(queries) == ["ANALYZE"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s",
                       [Result._meta.db_table])
        assert cursor.fetchone()[0] > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner statistics")
def test_a_small_import_or_a_dry_run_leaves_the_statistics_alone(agencies_a, monkeypatch):
    monkeypatch.setattr(imports, "ANALYZE_AFTER_ROWS", 2)
    lines = [f"2017,91-SNV,{code},1,,," for code in ("LAN", "FIBRE", "WEB_PORTAL")]

    with CaptureQueriesContext(connection) as queries:
        results_import(source=csv_file(HEADER, *lines), dry_run=True)
        results_import(source=csv_file(HEADER, *lines[:2]))

    assert statistics_queries(queries) == []


def test_other_databases_are_left_to_their_own_statistics(db, monkeypatch):
    # PostgreSQL's autovacuum analyses a table after many rows change.
    monkeypatch.setattr(connection, "vendor", "postgresql")

    with CaptureQueriesContext(connection) as queries:
        imports._gather_statistics(Result)

    assert len(queries) == 0
