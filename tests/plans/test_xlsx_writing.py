"""The streaming workbook writer: what it writes reads back in openpyxl as it was meant."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from plans.files.xlsx_writing import PageSetup, Style, WorkbookWriter, xml_text
from plans.outputs.workbook import Number

CREATED = datetime.datetime(2018, 1, 20, 3, 15, tzinfo=datetime.UTC)
FORMULA_LIKE = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")',
                "＝1+1", "＋1", "－1", "＠SUM(A1)"]


def written(rows, *, name="Tổng hợp", **sheet) -> tuple[bytes, object]:
    book = WorkbookWriter(created=CREATED)
    page = book.add_sheet(name, **sheet)
    for values, style in rows:
        page.append(values, style)
    content = book.close()
    return content, load_workbook(io.BytesIO(content))[name]


def test_it_keeps_values_and_their_types():
    _content, sheet = written([
        ([3, Decimal("75.0"), Decimal("4"), 2.5, "Sở Nội vụ", None, "", True], Style()),
        ([Number(Decimal("0.75"), "0.0%"), Number(3, "#,##0"), Number(Decimal("0.8"), "0%"),
          Number(Decimal("1.25"), "0.0")], Style()),
    ])
    first = sheet[1]
    assert [cell.value for cell in first[:5]] == [3, 75.0, 4, 2.5, "Sở Nội vụ"]
    assert [cell.data_type for cell in first[:5]] == ["n", "n", "n", "n", "s"]
    assert first[1].number_format == "0.0"  # a Decimal with decimals shows one
    assert first[2].number_format == "General"
    assert first[5].value is None and first[6].value is None
    assert first[7].value == "True" and first[7].data_type == "s"
    second = sheet[2]
    assert [(cell.value, cell.number_format) for cell in second[:4]] == [
        (0.75, "0.0%"), (3, "#,##0"), (0.8, "0%"), (1.25, "0.0"),
    ]


def test_it_styles_cells_bold_titled_and_wrapped():
    _content, sheet = written([
        (["Tiêu đề"], Style(bold=True, size=14)),
        (["STT", "Chỉ tiêu"], Style(bold=True, wrap=True)),
        (["thường", 5], Style()),
        (["ngắt dòng", Number(1, "0%")], Style(wrap=True)),
    ])
    title, header, plain, wrapped = sheet["A1"], sheet["B2"], sheet["A3"], sheet["B4"]
    assert title.font.b and title.font.sz == 14
    assert header.font.b and header.font.sz == 11
    assert header.alignment.wrap_text and header.alignment.vertical == "top"
    assert not plain.font.b and not plain.alignment.wrap_text
    assert not sheet["B3"].font.b
    assert wrapped.alignment.wrap_text and wrapped.number_format == "0%"


def test_it_sets_widths_frozen_rows_print_titles_and_page_set_up():
    margins = {"left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.75, "header": 0.3,
               "footer": 0.3}
    _content, sheet = written([(["a"], Style())], widths=[6, 46.5], frozen_rows=7,
                              print_title_row=7, page=PageSetup(margins=margins))
    assert sheet.column_dimensions["A"].width == 6
    assert sheet.column_dimensions["B"].width == 46.5
    assert sheet.freeze_panes == "A8"
    assert sheet.print_title_rows == "$7:$7"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_margins.left == 0.5 and sheet.page_margins.top == 0.75


def test_it_writes_several_sheets_in_order_with_print_titles_of_their_own():
    book = WorkbookWriter(created=CREATED)
    for number, name in enumerate(["Tổng hợp", "1. O'Brien & <Co>", "Ngoài kế hoạch"], 1):
        book.add_sheet(name, frozen_rows=number, print_title_row=number).append([name])
    loaded = load_workbook(io.BytesIO(book.close()))
    assert loaded.sheetnames == ["Tổng hợp", "1. O'Brien & <Co>", "Ngoài kế hoạch"]
    assert [sheet.print_title_rows for sheet in loaded.worksheets] == ["$1:$1", "$2:$2",
                                                                       "$3:$3"]
    assert loaded.worksheets[1]["A1"].value == "1. O'Brien & <Co>"
    assert loaded.properties.created == CREATED.replace(tzinfo=None)


@pytest.mark.parametrize("name", ["", "a" * 32, "a/b", "[x]", "'quoted'", "TỔNG HỢP"])
def test_it_refuses_a_sheet_name_excel_would_refuse(name):
    with pytest.raises(ValueError), WorkbookWriter() as book:
        book.add_sheet("Tổng hợp")
        book.add_sheet(name)


def test_it_escapes_markup_and_keeps_vietnamese_and_spaces():
    texts = ["<b>Sở</b> & \"Ban\" 'x'", "Ủy ban nhân dân xã Đắk Lắk", "  lề  ", "a\nb", "a\rb"]
    content, sheet = written([(texts, Style())])
    assert [cell.value for cell in sheet[1]] == texts
    part = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<b>" not in part and "&lt;b&gt;" in part


def test_it_drops_characters_xml_cannot_hold():
    _content, sheet = written([(["a\x00b\x01c\x0bd\x1fe\ufffef\ud800g", "\x07"], Style())])
    assert sheet["A1"].value == "abcdefg"
    assert sheet["B1"].value is None
    assert xml_text("tab\tkept") == "tab\tkept"


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_it_writes_formula_looking_text_as_quoted_text(text):
    content, sheet = written([([text, "Sở " + text], Style(bold=True))])
    assert sheet["A1"].value == text
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].quotePrefix is True
    assert sheet["A1"].font.b
    assert not sheet["B1"].quotePrefix  # only a text that starts like a formula
    part = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in part


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN"),
                                   Number(Decimal("Infinity"), "0%")])
def test_it_refuses_a_number_a_cell_cannot_hold(value):
    with pytest.raises(ValueError), WorkbookWriter() as book:
        book.add_sheet("S").append([value])


def test_it_streams_long_sheets_in_memory_flat_in_their_rows():
    import tracemalloc

    def peak(rows: int) -> int:
        tracemalloc.start()
        try:
            book = WorkbookWriter()
            sheet = book.add_sheet("S", widths=[40, 10])
            for number in range(rows):
                sheet.append([f"=Đơn vị số {number}", number, Number(Decimal("0.5"), "0.0%"),
                              "-ghi chú"], Style())
            book.close()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(1000), peak(10000)
    # The compressed workbook itself grows (about 10 bytes a row); the rows do not stay.
    assert large - small < 512 * 1024, (small, large)
