"""The progress workbook: the summary equals progress.csv, and no text becomes a formula."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from plans import exports, selectors
from plans import workbook as reports
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
    assert cell.data_type == "s"
    assert not cell.quotePrefix


def test_it_writes_numbers_as_numbers_and_text_as_guarded_text():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("S")
    sheet.append(reports.row_cells(sheet, [3, Decimal("75.0"), "=2", None, "", Decimal("4")]))
    sheet.append(reports.row_cells(sheet, ["-1", 2.5], font=reports.BOLD))
    output = io.BytesIO()
    book.save(output)
    loaded = load_workbook(output)["S"]
    assert loaded["A1"].data_type == "n"
    assert loaded["A1"].value == 3
    assert loaded["B1"].data_type == "n"
    assert loaded["B1"].number_format == "0.0"
    assert loaded["C1"].data_type == "s"
    assert loaded["C1"].value == "=2"
    assert loaded["C1"].quotePrefix
    assert loaded["D1"].value is None
    assert loaded["E1"].value is None
    assert loaded["F1"].value == 4
    assert loaded["F1"].number_format == "General"
    assert loaded["A2"].value == "-1"
    assert loaded["A2"].data_type == "s"
    assert loaded["A2"].font.b
    assert loaded["B2"].value == 2.5
    assert loaded["B2"].font.b


def test_it_names_sheets_validly_and_uniquely():
    taken = set()
    assert reports.sheet_name(1, "OFFICIAL_EMAIL", taken) == "1 OFFICIAL_EMAIL"
    long = reports.sheet_name(12, "A_VERY_LONG_INDICATOR_CODE_FOR_EXCEL", taken)
    assert len(long) == 31
    again = reports.sheet_name(12, "A_VERY_LONG_INDICATOR_CODE_FOR_EXCEL", taken)
    assert again != long
    assert len(again) <= 31
    assert again.endswith("(2)")
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
                assert cell.value == text, column
                assert cell.data_type == "s", column
            else:
                # Numbers stay numbers in the workbook, equal to the CSV's figure.
                assert cell.data_type == "n"
                assert Decimal(str(cell.value)) == Decimal(text)
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
    assert codes[3] == "91-H900"
    assert rows[3][8] == "Chưa báo cáo"
    # Text from files stays text: no formula anywhere in the workbook.
    archive = zipfile.ZipFile(io.BytesIO(content))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert "<f>" not in archive.read(name).decode(), name
    snv = next(row for row in rows if row[0] == "91-SNV")
    assert snv[1] == '=HYPERLINK("http://evil","Sở")'
    l4 = book["2 PUBLIC_SERVICES_L4"]
    note_cell = next(row for row in l4.iter_rows(min_row=5) if row[0].value == "91-UBND")[9]
    assert note_cell.value == "=cmd|' /C calc'!A0"
    assert note_cell.data_type == "s"


def test_it_writes_the_header_alone_without_a_plan():
    book = load_workbook(io.BytesIO(reports.progress_xlsx(summary_rows=[], items=[], figures={})))
    assert [c.value for c in book.worksheets[0][1]] == list(exports.PROGRESS_COLUMNS)
    assert book.worksheets[0].max_row == 1
    assert len(book.worksheets) == 1


def test_it_styles_headers_sizes_columns_and_freezes_panes(workbook_plan, indicator):
    plan, _ = workbook_plan

    def indicator_name(code):
        return indicator(code).name_vi

    _content, book = build(plan)
    summary = book.worksheets[0]
    assert all(cell.font.b and cell.alignment.wrap_text for cell in summary[1])
    assert summary.freeze_panes == "A2"
    assert summary.column_dimensions["D"].width == 32
    sheet = book["3 SPECIALIZED_NETWORK"]
    assert sheet["A1"].value == indicator_name("SPECIALIZED_NETWORK")
    assert sheet["A1"].font.b
    assert sheet["A2"].value.startswith("Phạm vi: sở, ban, ngành tỉnh và UBND cấp huyện.")
    assert [cell.value for cell in sheet[4]][:3] == ["Mã đơn vị", "Tên đơn vị", "Cấp"]
    assert all(cell.font.b for cell in sheet[4])
    assert not sheet["A5"].font.b
    assert sheet.freeze_panes == "A5"
    assert sheet.column_dimensions["B"].width == 42


def fake_target_figures(count: int):
    """Return (items, figures) of one percent target with ``count`` agencies, no database."""
    from fractions import Fraction

    from indicators.models import Indicator

    indicator = Indicator(code="OFFICIAL_EMAIL", name_vi="Hộp thư công vụ", kind="ratio",
                          group="internal")
    target = Target(pk=1, indicator=indicator, tiers="department", comparator=">=",
                    value=Decimal("100"), unit="percent")
    prog = selectors.progress.compute(
        kind="ratio", unit="percent", comparator=">=", target=Decimal("100"),
        tally=selectors.progress.Tally(count, count, 0, 9 * count, 10 * count),
    )
    reported = [
        selectors.AgencyFigure(
            agency=Agency(code=f"91-A{i:05d}", name=f"=Đơn vị số {i}", tier="department"),
            result=Result(year=2017, numerator=9, denominator=10, note=f"-ghi chú {i}"),
            achieved=Fraction(90),
            lagging=True,
        )
        for i in range(count)
    ]
    return [selectors.TargetProgress(target, prog)], {1: (reported, [])}


def peak_memory(count: int) -> int:
    import tracemalloc

    items, figures = fake_target_figures(count)
    tracemalloc.start()
    try:
        reports.progress_xlsx(summary_rows=[], items=items, figures=figures)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_it_streams_the_workbook_in_memory_flat_in_the_number_of_agencies():
    # The rows go to a temporary file as they are written: ten times the agencies costs
    # no more than a few hundred kilobytes more (the compressed workbook itself grows).
    # An in-memory workbook grows by about 6 MiB here.
    small, large = peak_memory(200), peak_memory(2000)
    assert large - small < 1024 * 1024, (small, large)


def test_it_lists_untargeted_indicators_per_tier_on_a_last_sheet(workbook_plan, agencies_a,
                                                                indicator):
    plan, _ = workbook_plan
    for code, numerator, denominator in (("91-SNV", 10, 10), ("91-X30733", 3, 4)):
        Result.objects.create(year=2017, agency=agencies_a[code],
                              indicator=indicator("OFFICIAL_EMAIL"), numerator=numerator,
                              denominator=denominator)
    for code, value in (("91-UBND", 1), ("91-SNV", 1), ("91-STTTT", 0)):
        Result.objects.create(year=2017, agency=agencies_a[code],
                              indicator=indicator("DIGITAL_SIGNATURE"), value=value)
    items = selectors.plan_progress(plan)
    untargeted = selectors.untargeted_figures(
        province_id=plan.province_id, year=2017,
        exclude_indicator_ids={item.target.indicator_id for item in items},
    )
    content = reports.progress_xlsx(
        summary_rows=exports.progress_rows(plan), items=items,
        figures=selectors.scope_figures(plan, [item.target for item in items]),
        untargeted=untargeted,
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[-1] == "Ngoài kế hoạch"
    sheet = book["Ngoài kế hoạch"]
    assert [cell.value for cell in sheet[2]][:4] == [
        "Mã chỉ tiêu", "Chỉ tiêu", "Phạm vi", "Số đơn vị báo cáo",
    ]
    rows = [
        (row[0], row[2], row[3], row[4], row[5], row[6], row[7])
        for row in sheet.iter_rows(min_row=3, values_only=True)
    ]
    assert rows == [
        ("DIGITAL_SIGNATURE", "UBND tỉnh", 1, 1, 1, 100, "1/1 đơn vị có (100,0 %)"),
        ("DIGITAL_SIGNATURE", "sở, ban, ngành tỉnh", 2, 1, 2, 50, "1/2 đơn vị có (50,0 %)"),
        ("DIGITAL_SIGNATURE", "Cộng các cấp", 3, 2, None, 2, "2/3 đơn vị có"),
        ("OFFICIAL_EMAIL", "sở, ban, ngành tỉnh", 1, 10, 10, 100, "10/10 (100,0 %)"),
        ("OFFICIAL_EMAIL", "UBND cấp xã", 1, 3, 4, 75, "3/4 (75,0 %)"),
    ]
    total = next(row for row in sheet.iter_rows(min_row=3) if row[2].value == "Cộng các cấp")
    assert total[2].font.b
    # The summary stays progress.csv: no untargeted row there.
    assert "OFFICIAL_EMAIL" not in [row[2] for row in book.worksheets[0].iter_rows(
        values_only=True)]
