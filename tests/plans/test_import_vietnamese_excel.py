"""Files as Excel writes them under Vietnamese regional settings: separators, digit groups,
sheets, and the messages that quote the file back."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from indicators.models import Indicator
from plans.files.columns import AGENCY_COLUMNS, RESULT_COLUMNS
from plans.forms.grid import parse_whole
from plans.models import Result
from plans.rules.parsing import parse_whole_number
from plans.services.imports import ImportRefused, agencies_import, results_import
from plans.services.tables.csv_reader import separator

HEADER = ",".join(RESULT_COLUMNS)


def refused(function=results_import, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as excinfo:
        function(**kwargs)
    return [(error.line, error.message) for error in excinfo.value.report.errors]


def workbook(**sheets) -> bytes:
    """Return an .xlsx of the given sheets (name → rows), in that order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name.replace("_", " "))
        for row in rows:
            sheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


@pytest.fixture
def count_indicator(db):
    return Indicator.objects.create(
        code="SERVICES_COUNT", name_vi="Số dịch vụ công mức độ 4", name_en="Level-4 services",
        group="services", kind="count",
    )


# --- separators --------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_it_reads_a_file_separated_by_semicolons_tabs_or_commas(agencies_a, indicator, sep):
    rows = [HEADER, "2017,91-SNV,LAN,1,,,", "2017,91-SNV,OFFICIAL_EMAIL,,412,430,ghi chú"]
    source = "\r\n".join(row.replace(",", sep) for row in rows).encode("utf-8-sig")

    report = results_import(source=source)

    assert (report.rows, report.created) == (2, 2)
    email = Result.objects.get(indicator=indicator("OFFICIAL_EMAIL"))
    assert (email.numerator, email.denominator, email.note) == (412, 430, "ghi chú")


def test_a_semicolon_file_keeps_commas_inside_its_values(agencies_a, indicator):
    source = f"{HEADER.replace(',', ';')}\n2017;91-SNV;LAN;1;;;có LAN, có wifi\n".encode()

    results_import(source=source)

    assert Result.objects.get(indicator=indicator("LAN")).note == "có LAN, có wifi"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("year;agency_code;indicator_code;value;numerator;denominator;note", ";"),
        ("year\tagency_code\tindicator_code\tvalue\tnumerator\tdenominator\tnote", "\t"),
        (HEADER, ","),
        # A header naming a column with a comma in it is still told by the most columns found.
        ('year;agency_code;indicator_code;value;numerator;denominator;"note, ghi chú"', ";"),
        # Nothing recognised: the comma, as before.
        ("a;b;c", ","),
    ],
)
def test_the_separator_is_the_one_that_splits_the_header_into_the_columns(header, expected):
    assert separator(header, RESULT_COLUMNS) == expected


def test_a_semicolon_header_with_a_wrong_column_names_it(db):
    header = "year;agency;indicator_code;value;numerator;denominator;note"

    errors = refused(source=f"{header}\n".encode())

    assert errors == [(1, "Dòng tiêu đề không đúng (thiếu cột: agency_code; cột không hợp lệ: "
                          "agency). Các cột cần có: year,agency_code,indicator_code,value,"
                          "numerator,denominator,note.")]


# --- digit groups ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number",
    [("1.000", 1000), ("12.345", 12345), ("1.234.567", 1234567), ("999", 999), ("0", 0)],
)
def test_digit_groups_of_three_with_dots_are_whole_numbers(text, number):
    assert parse_whole_number(text) == number
    assert parse_whole(text) == number


@pytest.mark.parametrize(
    "text", ["1.00", "1,5", "4 7", "1.0000", ".100", "100.", "1..000", "1.000,5", "1,000"]
)
def test_anything_else_with_dots_commas_or_spaces_is_not(text):
    assert parse_whole_number(text) is None


def test_a_results_file_reads_digit_groups(agencies_a, indicator, count_indicator):
    source = (f"{HEADER.replace(',', ';')}\n2017;91-SNV;OFFICIAL_EMAIL;;1.000;12.345;\n"
              "2017;91-STTTT;SERVICES_COUNT;1.000;;;\n").encode()

    results_import(source=source)

    email = Result.objects.get(indicator=indicator("OFFICIAL_EMAIL"))
    assert (email.numerator, email.denominator) == (1000, 12345)
    assert Result.objects.get(indicator=count_indicator).value == 1000


@pytest.mark.parametrize(
    "text, reason",
    [
        ("4 7", "có dấu cách giữa các chữ số; hãy ghi liền (1000) hoặc nhóm ba chữ số bằng dấu "
                "chấm (1.000)"),
        ("1.00", "dấu chấm chỉ dùng để nhóm từng ba chữ số (1.000, 12.345); số nguyên không có "
                 "phần thập phân"),
        ("1,5", "dấu phẩy ghi phần thập phân, mà ở đây cần số nguyên; để nhóm hàng nghìn hãy "
                "dùng dấu chấm (1.000)"),
    ],
)
def test_a_whole_number_refused_says_why(agencies_a, count_indicator, text, reason):
    source = f"{HEADER.replace(',', ';')}\n2017;91-SNV;SERVICES_COUNT;{text};;;\n".encode()

    errors = refused(source=source)

    assert errors == [(2, f"Cột value: “{text}” không phải số nguyên không âm: {reason}.")]
    assert not Result.objects.exists()


def test_a_grid_cell_refusing_a_fraction_says_why():
    with pytest.raises(ValueError, match="số nguyên không có phần thập phân"):
        parse_whole("1.00")


def test_the_year_does_not_take_digit_groups(agencies_a, indicator):
    errors = refused(source=f"{HEADER}\n2.017,91-SNV,LAN,1,,,\n".encode())

    assert errors == [(2, "Cột year: “2.017” không phải năm; ghi bốn chữ số, ví dụ 2017.")]


# --- messages about the file -------------------------------------------------------------------


def test_a_header_error_is_line_1_and_quotes_the_names_as_written(db):
    errors = refused(source=b"Year,Agency,Indicator_Code,Value,Numerator,Denominator,Note\n")

    assert errors == [(1, "Dòng tiêu đề không đúng (thiếu cột: agency_code; cột không hợp lệ: "
                          "Agency). Các cột cần có: year,agency_code,indicator_code,value,"
                          "numerator,denominator,note.")]


def test_a_duplicated_column_is_quoted_as_written(db):
    errors = refused(source=f"{HEADER},NOTE\n".encode())

    assert "cột bị lặp: NOTE, note" in errors[0][1]


def test_the_command_names_the_header_as_line_1(db, tmp_path, capsys):
    path = tmp_path / "agencies.csv"
    path.write_bytes(b"province_code;Province_Name;agency\n")

    with pytest.raises(CommandError):
        call_command("import_agencies", str(path))

    err = capsys.readouterr().err
    assert err.startswith("dòng 1: Dòng tiêu đề không đúng (")
    assert "cột không hợp lệ: agency" in err
    assert "dòng 0" not in err


def test_the_upload_page_names_the_header_as_line_1(client, officer_a, plan_a, agencies_a):
    client.force_login(officer_a)
    upload = io.BytesIO(b"year;agency;indicator_code;value;numerator;denominator;note\n")
    upload.name = "ket-qua.csv"

    response = client.post(
        reverse("plans:entry_upload", args=["91", 2017]), {"file": upload}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert '<td class="num">1</td><td>Dòng tiêu đề không đúng' in page
    assert '<td class="num">0</td>' not in page


def test_the_upload_page_says_whole_file_for_an_error_without_a_line(client, officer_a, plan_a):
    client.force_login(officer_a)
    upload = io.BytesIO(b"")
    upload.name = "ket-qua.csv"

    response = client.post(reverse("plans:entry_upload", args=["91", 2017]), {"file": upload})

    assert '<td class="num">cả tệp</td><td>Tệp rỗng: không có dòng tiêu đề.</td>' in (
        response.content.decode()
    )


# --- sheets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Kết quả", "KET QUA", "results", "Results", "kết quả "])
def test_a_sheet_named_for_results_is_read_and_named(agencies_a, indicator, name):
    source = workbook(
        Hướng_dẫn=[["Điền số liệu vào trang Kết quả"]],
        **{name: [RESULT_COLUMNS, [2017, "91-SNV", "LAN", 1]]},
    )

    report = results_import(source=source)

    assert report.created == 1
    assert report.sheet == name.strip()


def test_without_a_results_sheet_the_first_is_read_and_named(agencies_a, indicator):
    source = workbook(Số_liệu=[RESULT_COLUMNS, [2017, "91-SNV", "LAN", 1]], Ghi_chú=[["x"]])

    report = results_import(source=source)

    assert (report.created, report.sheet) == (1, "Số liệu")


def test_a_single_sheet_is_not_named(agencies_a, indicator):
    report = results_import(source=workbook(Trang1=[RESULT_COLUMNS, [2017, "91-SNV", "LAN", 1]]))

    assert (report.created, report.sheet) == (1, "")


def test_a_refusal_names_the_sheet_read(agencies_a):
    source = workbook(Ghi_chú=[["x"]], Kết_quả=[RESULT_COLUMNS, [2017, "91-SNV", "LAN", "ok"]])

    with pytest.raises(ImportRefused) as excinfo:
        results_import(source=source)

    assert excinfo.value.report.sheet == "Kết quả"
    assert excinfo.value.report.errors[0].line == 2


def test_an_agencies_import_reads_the_first_sheet(db):
    source = workbook(
        Đơn_vị=[AGENCY_COLUMNS, ["96", "Cà Mau", "96-UBND", "UBND tỉnh", "province"]],
        Kết_quả=[["không đọc"]],
    )

    report = agencies_import(source=source)

    assert (report.created, report.sheet) == (1, "Đơn vị")


def test_the_upload_page_and_the_command_say_which_sheet_was_read(
    client, officer_a, plan_a, agencies_a, indicator, tmp_path, capsys
):
    data = workbook(Ghi_chú=[["x"]], Kết_quả=[RESULT_COLUMNS, [2017, "91-SNV", "LAN", 1]])
    client.force_login(officer_a)
    upload = io.BytesIO(data)
    upload.name = "ket-qua.xlsx"

    response = client.post(reverse("plans:entry_upload", args=["91", 2017]), {"file": upload})

    assert "đã đọc trang “Kết quả”" in response.content.decode()
    path = tmp_path / "results.xlsx"
    path.write_bytes(data)
    call_command("import_results", str(path), "--dry-run")
    assert "Đã đọc trang tính “Kết quả”." in capsys.readouterr().out
