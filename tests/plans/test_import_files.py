"""How an import reads a file: encodings, header, CSV quoting, XLSX cells."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from plans.models import Agency, Province, Result, Target
from plans.services.imports import (
    ImportRefused,
    agencies_import,
    results_import,
    targets_import,
)
from plans.services.tables import csv_reader as _csv

RESULTS_HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note"
AGENCIES_HEADER = (
    "province_code,province_name,agency_code,agency_name,tier,parent_code,active_from,active_to"
)
AGENCY_ROW = "96,Cà Mau,96-UBND,UBND tỉnh Cà Mau,province,,,"
COLUMNS_MESSAGE = (
    "Các cột cần có: year,agency_code,indicator_code,value,numerator,denominator,note."
)


def refused(function, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as excinfo:
        function(**kwargs)
    return [(error.line, error.message) for error in excinfo.value.report.errors]


def xlsx(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    # A second sheet is ignored: only the first one is read.
    workbook.create_sheet("Ghi chú").append(["không đọc"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- encodings ---------------------------------------------------------------------------------


def test_it_accepts_a_byte_order_mark(db):
    source = b"\xef\xbb\xbf" + f"{AGENCIES_HEADER}\n{AGENCY_ROW}\n".encode()

    report = agencies_import(source=source)

    assert report.created == 1
    assert Province.objects.get().name == "Cà Mau"


def test_it_refuses_windows_1258_and_names_the_line(db):
    # What Excel writes with the Vietnamese code page: "à" is the single byte 0xE0.
    source = f"{AGENCIES_HEADER}\n96,Cà Mau,96-UBND,UBND Cà Mau,province,,,\n".encode("cp1258")

    errors = refused(agencies_import, source=source)

    assert errors == [(0, "Tệp không phải UTF-8 (dòng 2 không đọc được). Excel tiếng Việt "
                          "thường lưu bằng Windows-1258 hoặc TCVN3: hãy chọn “CSV UTF-8 (phân "
                          "tách bằng dấu phẩy)” khi lưu.")]
    assert not Province.objects.exists()


def test_it_refuses_windows_1258_after_many_good_lines(agencies_a, monkeypatch):
    monkeypatch.setattr(_csv, "READ_SIZE", 16)
    good = ["2017,91-SNV,LAN,có,,,"] + [f"{year},91-SNV,LAN,1,,," for year in range(2018, 2026)]
    source = "\n".join([RESULTS_HEADER, *good, ""]).encode()
    source += "2017,91-UBND,LAN,có,,,\n".encode("cp1258")

    errors = refused(results_import, source=source)

    assert [line for line, _message in errors] == [0]
    assert "dòng 11 không đọc được" in errors[0][1]
    assert not Result.objects.exists()


def test_it_refuses_utf16_with_a_byte_order_mark(db):
    source = f"{AGENCIES_HEADER}\n{AGENCY_ROW}\n".encode("utf-16")

    errors = refused(agencies_import, source=source)

    assert errors == [(0, "Tệp được lưu bằng mã UTF-16 (“Unicode Text”), không phải UTF-8. Khi "
                          "lưu trong Excel, hãy chọn “CSV UTF-8 (phân tách bằng dấu phẩy)”.")]


def test_it_refuses_utf16_without_a_byte_order_mark(db):
    source = f"{AGENCIES_HEADER}\n{AGENCY_ROW}\n".encode("utf-16-le")

    errors = refused(agencies_import, source=source)

    assert errors == [(0, "Tệp không phải UTF-8 (dòng 1 có ký tự NUL, thường gặp khi tệp được "
                          "lưu bằng UTF-16). Khi lưu trong Excel, hãy chọn “CSV UTF-8 (phân tách "
                          "bằng dấu phẩy)”.")]


def test_it_reads_letters_split_across_reads(agencies_a, monkeypatch):
    monkeypatch.setattr(_csv, "READ_SIZE", 1)
    source = f"{RESULTS_HEADER}\n2017,91-SNV,LAN,không,,,Đã kiểm tra\n".encode()

    results_import(source=source)

    assert Result.objects.get().note == "Đã kiểm tra"


# --- header and empty files -----------------------------------------------------------------


@pytest.mark.parametrize("source", [b"", b"\xef\xbb\xbf"])
def test_it_refuses_an_empty_file(db, source):
    errors = refused(results_import, source=source)

    assert errors == [(0, "Tệp rỗng: không có dòng tiêu đề.")]


def test_it_refuses_a_file_without_a_header(agencies_a):
    errors = refused(results_import, source=b"2017,91-SNV,LAN,1,,,\n")

    # The header is line 1; the file's own spelling is quoted back.
    assert errors == [(1, "Dòng tiêu đề không đúng (thiếu cột: year, agency_code, "
                          "indicator_code, value, numerator, denominator, note; cột không hợp "
                          "lệ: 2017, 91-SNV, LAN, 1, (cột không tên), (cột không tên), (cột không "
                          f"tên)). {COLUMNS_MESSAGE}")]


def test_it_refuses_a_blank_first_line(agencies_a):
    errors = refused(results_import, source=f",,,\n{RESULTS_HEADER}\n".encode())

    assert errors == [(1, "Dòng 1 phải là dòng tiêu đề với các cột: year,agency_code,"
                          "indicator_code,value,numerator,denominator,note.")]


def test_it_names_missing_unknown_and_duplicated_columns(db):
    header = "year,agency,indicator_code,value,value,numerator,denominator"

    errors = refused(results_import, source=f"{header}\n".encode())

    assert errors == [(1, "Dòng tiêu đề không đúng (cột bị lặp: value; thiếu cột: agency_code, "
                          f"note; cột không hợp lệ: agency). {COLUMNS_MESSAGE}")]


def test_it_accepts_columns_in_any_order_with_spaces_and_capitals(agencies_a):
    header = " Note ,indicator_code,YEAR,value,agency_code,denominator,numerator"

    report = results_import(source=f"{header}\nghi chú,LAN,2017,1,91-SNV,,\n".encode())

    assert report.created == 1
    assert Result.objects.get().note == "ghi chú"


def test_it_accepts_a_header_alone(db):
    report = results_import(source=f"{RESULTS_HEADER}\n".encode())

    assert (report.rows, report.created, report.ok) == (0, 0, True)


# --- CSV ---------------------------------------------------------------------------------------


def test_it_reads_windows_line_endings(agencies_a):
    source = f"{RESULTS_HEADER}\r\n2017,91-SNV,LAN,1,,,\r\n2017,91-UBND,LAN,0,,,\r\n".encode()

    assert results_import(source=source).created == 2


def test_it_reads_a_last_line_without_a_newline(agencies_a):
    source = f"{RESULTS_HEADER}\n2017,91-SNV,LAN,1,,,".encode()

    assert results_import(source=source).created == 1


def test_it_reads_quoted_values_and_counts_physical_lines(agencies_a):
    source = (
        f"{RESULTS_HEADER}\n"
        '2017,91-SNV,OFFICIAL_EMAIL,,412,430,"Sở Nội vụ, phòng 2\nđủ hộp thư"\n'
        "\n"
        "2017,91-KHONGCO,LAN,1,,,\n"
    ).encode()

    errors = refused(results_import, source=source)

    # The quoted note spans lines 2-3, line 4 is blank (skipped): the wrong row is line 5.
    assert errors == [(5, "Không có đơn vị mã 91-KHONGCO trong hệ thống.")]


def test_it_keeps_a_quoted_note_with_a_comma_and_a_newline(agencies_a):
    source = (
        f"{RESULTS_HEADER}\n"
        '2017,91-SNV,OFFICIAL_EMAIL,,412,430,"Sở Nội vụ, phòng 2\nđủ hộp thư"\n'
    ).encode()

    results_import(source=source)

    assert Result.objects.get().note == "Sở Nội vụ, phòng 2\nđủ hộp thư"


def test_it_refuses_an_unclosed_quote(agencies_a):
    source = f'{RESULTS_HEADER}\n2017,91-SNV,LAN,1,,,"chưa đóng\n'.encode()

    errors = refused(results_import, source=source)

    assert errors == [(0, "Dòng 2 không đọc được như CSV: có thể thiếu dấu ngoặc kép đóng, hoặc "
                          "dấu ngoặc kép nằm giữa một giá trị không đặt trong ngoặc kép.")]


def test_it_reads_an_open_file(agencies_a, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(f"{RESULTS_HEADER}\n2017,91-SNV,LAN,1,,,\n".encode())

    with open(path, "rb") as source:
        assert results_import(source=source).created == 1


# --- XLSX --------------------------------------------------------------------------------------


def test_it_reads_an_xlsx_workbook_with_excel_numbers(agencies_a, indicator):
    source = xlsx(
        RESULTS_HEADER.split(","),
        [2017.0, "91-SNV", "OFFICIAL_EMAIL", None, 412.0, 430, "Theo báo cáo"],
        [2017, "91-STTTT", "LAN", True, None, None, None],
        [2017, "91-UBND", "LAN", "Không"],
        [None, None, None],
    )

    report = results_import(source=source)

    assert (report.rows, report.created) == (3, 3)
    email = Result.objects.get(indicator=indicator("OFFICIAL_EMAIL"))
    assert (email.year, email.numerator, email.denominator, email.note) == (
        2017, 412, 430, "Theo báo cáo"
    )
    assert dict(Result.objects.filter(indicator=indicator("LAN"))
                .values_list("agency__code", "value")) == {"91-STTTT": 1, "91-UBND": 0}


def test_it_changes_nothing_when_the_same_workbook_is_imported_again(agencies_a):
    source = xlsx(RESULTS_HEADER.split(","), [2017, "91-SNV", "LAN", 1])
    results_import(source=source)

    assert results_import(source=source).unchanged == 1


def test_it_refuses_a_fraction_where_excel_holds_a_whole_number(agencies_a):
    source = xlsx(
        RESULTS_HEADER.split(","),
        [2017, "91-SNV", "OFFICIAL_EMAIL", None, 2.5, 430],
        [2017.5, "91-UBND", "LAN", 1],
    )

    errors = refused(results_import, source=source)

    assert errors == [
        (2, "Cột numerator: “2.5” không phải số nguyên không âm: dấu chấm chỉ dùng để nhóm từng "
            "ba chữ số (1.000, 12.345); số nguyên không có phần thập phân."),
        (3, "Cột year: “2017.5” không phải năm; ghi bốn chữ số, ví dụ 2017."),
    ]
    assert not Result.objects.exists()


def test_it_reads_a_cell_formatted_as_a_percentage_as_the_percentage_shown(province_a):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append("province_code,year,indicator_code,tiers,comparator,value,unit,note".split(","))
    sheet.append(["91", 2017, "ONE_STOP_SHOP", "department", ">=", 0.5, "percent", "K3"])
    sheet.append(["91", 2017, "LAN", "department", ">=", 0.125, "percent", ""])
    sheet.append(["91", 2017, "FIBRE", "department", ">=", 0.1255, "percent", ""])
    for row in (2, 3, 4):
        sheet.cell(row=row, column=6).number_format = "0.0%"
    output = io.BytesIO()
    workbook.save(output)

    errors = refused(targets_import, source=output.getvalue())

    assert errors == [(4, "Chỉ tiêu phần trăm ghi tối đa một chữ số thập phân (nhận được "
                          "12.55).")]
    sheet.delete_rows(4)
    output = io.BytesIO()
    workbook.save(output)
    targets_import(source=output.getvalue())
    assert dict(Target.objects.values_list("indicator__code", "value")) == {
        "ONE_STOP_SHOP": Decimal("50.0"), "LAN": Decimal("12.5")
    }


def test_it_refuses_an_xlsx_row_wider_than_the_header(agencies_a):
    source = xlsx(RESULTS_HEADER.split(","), [2017, "91-SNV", "LAN", 1, None, None, None, "?"])

    errors = refused(results_import, source=source)

    assert [line for line, _message in errors] == [2]
    assert errors[0][1].startswith("Dòng có 8 trường nhưng tiêu đề có 7 cột.")


def test_it_reads_agencies_from_xlsx_with_codes_typed_as_numbers(db):
    source = xlsx(AGENCIES_HEADER.split(","), [96, "Cà Mau", "96-UBND", "UBND tỉnh", "province",
                                               None, 2000.0, None])

    agencies_import(source=source)

    agency = Agency.objects.get()
    assert (agency.province.code, agency.active_from) == ("96", 2000)


def test_it_reads_an_xlsx_stream_that_cannot_seek(agencies_a):
    class Stream(io.RawIOBase):
        def __init__(self, data):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    source = Stream(xlsx(RESULTS_HEADER.split(","), [2017, "91-SNV", "LAN", 1]))

    assert not source.seekable()
    assert results_import(source=source).created == 1


@pytest.mark.parametrize(
    "source",
    [b"PK\x03\x04 not really a zip", "zip without a workbook"],
)
def test_it_refuses_a_zip_that_is_not_a_workbook(db, source):
    if source == "zip without a workbook":
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as archive:
            archive.writestr("readme.txt", "không phải Excel")
        source = output.getvalue()

    errors = refused(results_import, source=source)

    assert errors == [(0, "Không đọc được tệp Excel: tệp hỏng hoặc không phải sổ làm việc .xlsx. "
                          "Hãy lưu lại bằng Excel dưới dạng .xlsx hoặc “CSV UTF-8”.")]


@pytest.mark.parametrize(
    "source, kind",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG (ảnh)"),
        (b"\xff\xd8\xff\xe0" + bytes(64), "JPEG (ảnh)"),
        (b"GIF89a" + bytes(64), "GIF (ảnh)"),
        (b"%PDF-1.4\n" + bytes(64), "PDF"),
    ],
)
def test_it_names_an_image_or_a_pdf_for_what_it_is(db, source, kind):
    errors = refused(results_import, source=source)

    assert errors == [(0, f"Tệp không phải UTF-8 mà là một tệp {kind}, không phải bảng số liệu. "
                          "Hãy tải lên bảng dưới dạng “CSV UTF-8 (phân tách bằng dấu phẩy)” "
                          "hoặc Excel .xlsx.")]


def test_it_refuses_a_formula_in_a_workbook_and_names_its_cells(agencies_a):
    source = xlsx(
        RESULTS_HEADER.split(","),
        [2017, "91-SNV", "LAN", 1],
        [2017, "91-UBND", "OFFICIAL_EMAIL", None, "=40+1", "=SUM(F1:F2)"],
        [2017, "91-STTTT", "LAN", '=HYPERLINK("http://x.example/","1")'],
    )

    errors = refused(results_import, source=source)

    assert errors == [
        (3, "Ô E3 (=40+1), F3 (=SUM(F1:F2)) chứa công thức, không phải giá trị. Hãy chép các ô "
            "đó và dán đặc biệt chỉ giá trị (Paste Special → Values), rồi tải lên lại."),
        (4, "Ô D4 (=HYPERLINK(\"http://x.example/\",\"1\")) chứa công thức, không phải giá trị. "
            "Hãy chép các ô đó và dán đặc biệt chỉ giá trị (Paste Special → Values), rồi tải "
            "lên lại."),
    ]
    assert not Result.objects.exists()


def test_it_refuses_an_old_xls_workbook(db):
    errors = refused(results_import, source=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)

    assert errors == [(0, "Tệp Excel 97–2003 (.xls) không được hỗ trợ. Hãy mở tệp trong Excel và "
                          "lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)” hoặc “CSV UTF-8”.")]
