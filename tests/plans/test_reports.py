"""The progress workbook: the summary equals progress.csv, and no text becomes a formula."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from plans import exports, reports, selectors
from plans.models import Agency, Result, Target

DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_it_writes_formula_like_text_as_text(text):
    book = Workbook()
    cell = book.active["A1"]
    reports.write_text(cell, text)
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix is True
    output = io.BytesIO()
    book.save(output)
    sheet_xml = zipfile.ZipFile(output).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    assert load_workbook(output)["Sheet"]["A1"].data_type == "s"


def test_it_leaves_ordinary_text_without_quote_prefix():
    cell = Workbook().active["A1"]
    reports.write_text(cell, "Sở Nội vụ")
    assert cell.data_type == "s" and not cell.quotePrefix


def test_it_writes_numbers_as_numbers_and_text_as_guarded_text():
    sheet = Workbook().active
    reports.write_row(sheet, 1, [3, Decimal("75.0"), "=2", None, ""])
    assert sheet["A1"].data_type == "n" and sheet["A1"].value == 3
    assert sheet["B1"].data_type == "n" and sheet["B1"].number_format == "0.0"
    assert sheet["C1"].data_type == "s"
    assert sheet["D1"].value is None and sheet["E1"].value is None


def test_it_names_sheets_validly_and_uniquely():
    taken = set()
    assert reports.sheet_name(1, "OFFICIAL_EMAIL", taken) == "1 OFFICIAL_EMAIL"
    long = reports.sheet_name(12, "A_VERY_LONG_INDICATOR_CODE_FOR_EXCEL", taken)
    assert len(long) == 31
    again = reports.sheet_name(12, "A_VERY_LONG_INDICATOR_CODE_FOR_EXCEL", taken)
    assert again != long and len(again) <= 31 and again.endswith("(2)")
    assert reports.sheet_name(3, "A/B:C", taken) == "3 A B C"


@pytest.fixture
def workbook_plan(plan_a, agencies_a, indicator):
    """Plan A with a percent target, a count target and a target nobody reported."""
    k1 = Target.objects.create(
        plan=plan_a, indicator=indicator("SPECIALIZED_NETWORK"), tiers="department+district",
        comparator=">", value=Decimal("80"),
    )
    Target.objects.create(
        plan=plan_a, indicator=indicator("PUBLIC_SERVICES_L4"), tiers="all",
        value=Decimal("3"), unit="count",
    )
    Target.objects.create(
        plan=plan_a, indicator=indicator("ONLINE_MEETINGS"), tiers="province",
        value=Decimal("12.5"),
    )
    for code, value in (("91-SNV", 1), ("91-STTTT", 1), ("91-H899", 0)):
        Result.objects.create(year=2017, agency=agencies_a[code],
                              indicator=indicator("SPECIALIZED_NETWORK"), value=value)
    Result.objects.create(year=2017, agency=agencies_a["91-UBND"],
                          indicator=indicator("PUBLIC_SERVICES_L4"), numerator=4,
                          denominator=90, note="=cmd|' /C calc'!A0")
    Agency.objects.filter(code="91-SNV").update(name="=HYPERLINK(\"http://evil\",\"Sở\")")
    return plan_a, k1


def build(plan):
    items = selectors.plan_progress(plan)
    figures = selectors.scope_figures(plan, [item.target for item in items])
    content = reports.progress_xlsx(
        summary_rows=exports.progress_rows(plan), items=items, figures=figures
    )
    return content, load_workbook(io.BytesIO(content))


def test_it_writes_the_summary_exactly_as_progress_csv(workbook_plan):
    plan, _ = workbook_plan
    _content, book = build(plan)
    summary = book.worksheets[0]
    assert summary.title == "Tổng hợp"
    expected = list(
        csv.reader(io.StringIO(exports.progress_csv(province=plan.province, year=2017)))
    )
    rows = list(summary.iter_rows())
    assert [cell.value for cell in rows[0]] == expected[0]
    assert len(rows) == len(expected) == 4
    for cells, line in zip(rows[1:], expected[1:], strict=True):
        for column, cell, text in zip(expected[0], cells, line, strict=True):
            if text == "":
                assert cell.value is None, column
            elif column in exports.PROGRESS_TEXT_COLUMNS:
                assert cell.value == text and cell.data_type == "s", column
            else:
                # Numbers stay numbers in the workbook, equal to the CSV's figure.
                assert cell.data_type == "n" and Decimal(str(cell.value)) == Decimal(text)
    k1 = next(line for line in expected if line[2] == "SPECIALIZED_NETWORK")
    assert k1[7] == "50.0"
    k1_cells = next(cells for cells in rows if cells[2].value == "SPECIALIZED_NETWORK")
    assert k1_cells[7].number_format == "0.0"


def test_it_writes_one_sheet_per_target_with_agencies_in_scope(workbook_plan):
    plan, _ = workbook_plan
    content, book = build(plan)
    assert book.sheetnames == [
        "Tổng hợp", "1 ONLINE_MEETINGS", "2 PUBLIC_SERVICES_L4", "3 SPECIALIZED_NETWORK",
    ]
    sheet = book["3 SPECIALIZED_NETWORK"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    codes = [row[0] for row in rows]
    # Lagging (H899 said no) first, then those meeting it, then the one that did not report.
    assert codes[0] == "91-H899"
    assert set(codes[1:3]) == {"91-SNV", "91-STTTT"}
    assert codes[3] == "91-H900" and rows[3][8] == "Chưa báo cáo"
    # Text from files stays text: no formula anywhere in the workbook.
    archive = zipfile.ZipFile(io.BytesIO(content))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert "<f>" not in archive.read(name).decode(), name
    snv = next(row for row in rows if row[0] == "91-SNV")
    assert snv[1] == '=HYPERLINK("http://evil","Sở")'
    l4 = book["2 PUBLIC_SERVICES_L4"]
    note_cell = next(row for row in l4.iter_rows(min_row=5) if row[0].value == "91-UBND")[9]
    assert note_cell.value == "=cmd|' /C calc'!A0" and note_cell.data_type == "s"


def test_it_writes_the_header_alone_without_a_plan():
    book = load_workbook(io.BytesIO(reports.progress_xlsx(summary_rows=[], items=[], figures={})))
    assert [c.value for c in book.worksheets[0][1]] == list(exports.PROGRESS_COLUMNS)
    assert book.worksheets[0].max_row == 1
    assert len(book.worksheets) == 1
