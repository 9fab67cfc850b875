"""The progress workbook: a report for people that prints, and no text becomes a formula."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from plans.models import Agency, Province, Result, Target
from plans.outputs import workbook as reports
from plans.selectors import figures as figure_reads
from plans.selectors import progress as selectors
from plans.selectors.figures import indicator_groups

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


def test_it_writes_numbers_with_their_format():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("S")
    sheet.append(reports.row_cells(sheet, [reports.Number(Decimal("0.75"), "0.0%"),
                                           reports.Number(3, "#,##0")]))
    output = io.BytesIO()
    book.save(output)
    loaded = load_workbook(output)["S"]
    assert loaded["A1"].value == 0.75
    assert loaded["A1"].number_format == "0.0%"
    assert loaded["B1"].value == 3
    assert loaded["B1"].number_format == "#,##0"


def test_it_names_sheets_validly_and_uniquely():
    taken = set()
    assert reports.sheet_name(1, "Có mạng nội bộ (LAN)", taken) == "1. Có mạng nội bộ (LAN)"
    long_title = ("Kết nối và sử dụng mạng truyền số liệu chuyên dùng của các cơ quan Đảng và "
                  "Nhà nước")
    long = reports.sheet_name(2, long_title, taken)
    assert len(long) <= 31
    assert long.startswith("2. Kết nối và sử dụng mạng")
    assert long.endswith("…")
    # A bracketed part goes first, then whole words.
    assert reports.sheet_name(3, "Dịch vụ công trực tuyến (Nghị định 42/2022)", taken) == (
        "3. Dịch vụ công trực tuyến"
    )
    assert reports.sheet_name(4, "Cổng/trang thông tin: [mới]?", taken) == (
        "4. Cổng-trang thông tin mới"
    )
    again = reports.sheet_name(2, long_title, taken)
    assert again != long
    assert len(again) <= 31
    assert again.endswith("(2)")
    for name in (long, again):
        assert not set("[]:*?/\\") & set(name)


EXPORTED_AT = timezone.make_aware(datetime.datetime(2018, 1, 20, 10, 15))


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
    Result.objects.update(updated_at=timezone.make_aware(datetime.datetime(2018, 1, 15, 9, 0)))
    return plan_a, k1


def build(plan, untargeted=()):
    items = sorted(selectors.plan_progress(plan), key=selectors.display_order)
    content = reports.progress_xlsx(
        province=plan.province, year=plan.year, plan=plan, groups=indicator_groups(items),
        figures=figure_reads.scope_figures(plan, [item.target for item in items]),
        untargeted=untargeted,
        as_of=figure_reads.figures_as_of(province_id=plan.province_id, year=plan.year, plan=plan,
                                      targets=[item.target for item in items]),
        exported_at=EXPORTED_AT,
    )
    return content, load_workbook(io.BytesIO(content))


def values(sheet, row):
    return [cell.value for cell in sheet[row]]


def test_it_titles_the_summary_with_province_plan_year_and_times(workbook_plan):
    plan, _ = workbook_plan
    _content, book = build(plan)
    summary = book.worksheets[0]
    assert summary.title == "Tổng hợp"
    assert summary["A1"].value == (
        "Kết quả thực hiện Kế hoạch ứng dụng CNTT năm 2017 – tỉnh Kiên Giang"
    )
    assert summary["A1"].font.b
    assert summary["A2"].value == "Kế hoạch ứng dụng CNTT năm 2017, số 123/KH-UBND"
    assert summary["A3"].value == (
        "Số liệu đến: 09:00 15/01/2018. Số liệu tạm thời: còn 6 đơn vị chưa báo cáo."
    )
    assert summary["A4"].value == "Lập lúc: 10:15 20/01/2018."
    assert summary["A5"].value == "Đến thời điểm báo cáo, 1/3 chỉ tiêu đã đạt."
    assert values(summary, 7) == [
        "STT", "Chỉ tiêu", "Phạm vi", "Chỉ tiêu kế hoạch", "Mức kế hoạch", "Đạt được",
        "Tử số", "Mẫu số", "Đơn vị đã báo cáo", "Đơn vị trong phạm vi", "Đánh giá", "Ghi chú",
    ]
    assert all(cell.font.b for cell in summary[7])
    assert summary.freeze_panes == "A8"


def test_it_lists_targets_under_the_dashboards_groups_in_words_and_numbers(workbook_plan,
                                                                           indicator):
    plan, _ = workbook_plan
    _content, book = build(plan)
    summary = book.worksheets[0]
    rows = list(summary.iter_rows(min_row=8))
    # Infrastructure, internal, services: the dashboard's groups and order.
    assert [row[1].value for row in rows] == [
        "Hạ tầng kỹ thuật: 0/1 chỉ tiêu đạt.",
        indicator("SPECIALIZED_NETWORK").name_vi,
        "Ứng dụng CNTT trong nội bộ cơ quan nhà nước: 0/1 chỉ tiêu đạt.",
        indicator("ONLINE_MEETINGS").name_vi,
        "Ứng dụng CNTT phục vụ người dân và doanh nghiệp: 1/1 chỉ tiêu đạt.",
        indicator("PUBLIC_SERVICES_L4").name_vi,
    ]
    headings = [row for row in rows if row[0].value is None]
    assert len(headings) == 3
    assert all(row[1].font.b for row in headings)
    network, meetings, services = [row for row in rows if row[0].value is not None]
    assert [cell.value for cell in network[:4]] == [
        1, indicator("SPECIALIZED_NETWORK").name_vi,
        "sở, ban, ngành tỉnh và UBND cấp huyện", "trên 80 %",
    ]
    # Percentages are fractions Excel computes with, shown as percentages; the target beside.
    assert network[4].value == 0.8
    assert network[4].number_format == "0%"
    assert network[5].value == 0.5
    assert network[5].number_format == "0.0%"
    assert [cell.value for cell in network[6:]] == [2, 4, 3, 4, "Chưa đạt", "tạm tính"]
    assert meetings[4].value == 0.125
    assert meetings[4].number_format == "0.0%"
    assert meetings[5].value is None
    assert [cell.value for cell in meetings[8:12]] == [0, 1, "Chưa có số liệu", "tạm tính"]
    assert services[3].value.startswith("từ 3 ")
    assert services[4].value == 3
    assert services[4].number_format == "#,##0"
    assert services[5].value == 4
    assert services[5].number_format == "#,##0"
    assert services[7].value is None  # no denominator for a count
    assert services[10].value == "Đạt"


def test_it_names_sheets_in_vietnamese_and_sets_every_sheet_up_to_print(workbook_plan,
                                                                          indicator):
    plan, _ = workbook_plan
    _content, book = build(plan)
    assert book.sheetnames == [
        "Tổng hợp", "1. Kết nối và sử dụng mạng…", "2. Cuộc họp được tổ chức trực…",
        "3. Dịch vụ công trực tuyến mức…",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert len({name.lower() for name in book.sheetnames}) == len(book.sheetnames)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == 9, sheet.title  # A4
        assert sheet.page_setup.fitToWidth == 1, sheet.title
        assert sheet.page_setup.fitToHeight == 0, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        header = int(sheet.freeze_panes[1:]) - 1
        assert sheet.print_title_rows == f"${header}:${header}", sheet.title
        assert sheet.page_margins.left == 0.5, sheet.title
        assert sheet.page_margins.top == 0.75, sheet.title
        # Titled with the province and the year.
        assert "Kiên Giang" in sheet["A1"].value and "2017" in sheet["A1"].value, sheet.title


def test_it_writes_one_sheet_per_target_with_agencies_in_scope(workbook_plan, indicator):
    plan, _ = workbook_plan
    content, book = build(plan)
    sheet = book.worksheets[1]
    assert sheet["A1"].value == (
        f"{indicator('SPECIALIZED_NETWORK').name_vi} – tỉnh Kiên Giang, năm 2017"
    )
    assert sheet["A2"].value.startswith("Phạm vi: sở, ban, ngành tỉnh và UBND cấp huyện.")
    assert sheet["A3"].value.startswith("Số liệu đến: 09:00 15/01/2018.")
    assert values(sheet, 5)[:3] == ["Tên đơn vị", "Cấp", "Số liệu báo cáo"]
    assert sheet.freeze_panes == "A6"
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    codes = [row[9] for row in rows]
    # Lagging (H899 said no) first, then those meeting it, then the one that did not report.
    assert codes[0] == "91-H899"
    assert set(codes[1:3]) == {"91-SNV", "91-STTTT"}
    assert codes[3] == "91-H900"
    assert rows[3][7] == "Chưa báo cáo"
    lagging = next(sheet.iter_rows(min_row=6, max_row=6))
    assert lagging[6].value == 0
    assert lagging[6].number_format == "0.0%"
    # Text from files stays text: no formula anywhere in the workbook.
    archive = zipfile.ZipFile(io.BytesIO(content))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert "<f>" not in archive.read(name).decode(), name
    snv = next(row for row in rows if row[9] == "91-SNV")
    assert snv[0] == '=HYPERLINK("http://evil","Sở")'
    services = book.worksheets[3]
    note_cell = next(row for row in services.iter_rows(min_row=6) if row[9].value == "91-UBND")[8]
    assert note_cell.value == "=cmd|' /C calc'!A0"
    assert note_cell.data_type == "s"


def test_it_writes_the_title_and_header_alone_without_a_plan(province_a):
    content = reports.progress_xlsx(
        province=province_a, year=2019, plan=None, groups=[], figures={},
        as_of=figure_reads.FiguresAsOf(changed_at=None, agencies_missing=0),
        exported_at=EXPORTED_AT,
    )
    book = load_workbook(io.BytesIO(content))
    summary = book.worksheets[0]
    assert summary["A2"].value == "Tỉnh chưa nhập kế hoạch năm 2019; chỉ có số liệu báo cáo."
    assert summary["A3"].value == "Chưa có số liệu nào được nhập."
    assert values(summary, 6)[0] == "STT"
    assert summary.max_row == 6
    assert len(book.worksheets) == 1


def fake_target_figures(count: int):
    """Return (groups, figures) of one percent target with ``count`` agencies, no database."""
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
        figure_reads.AgencyFigure(
            agency=Agency(code=f"91-A{i:05d}", name=f"=Đơn vị số {i}", tier="department"),
            result=Result(year=2017, numerator=9, denominator=10, note=f"-ghi chú {i}"),
            achieved=Fraction(90),
            lagging=True,
        )
        for i in range(count)
    ]
    groups = [{"label": "Nội bộ", "rows": [selectors.TargetProgress(target, prog)], "met": 0,
               "total": 1}]
    return groups, {1: (reported, [])}


def peak_memory(count: int) -> int:
    import tracemalloc

    groups, figures = fake_target_figures(count)
    tracemalloc.start()
    try:
        reports.progress_xlsx(
            province=Province(code="91", name="Kiên Giang"), year=2017, plan=None,
            groups=groups, figures=figures,
            as_of=figure_reads.FiguresAsOf(changed_at=None, agencies_missing=0),
            exported_at=EXPORTED_AT,
        )
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
    untargeted = figure_reads.untargeted_figures(
        province_id=plan.province_id, year=2017,
        exclude_indicator_ids=set(plan.targets.values_list("indicator_id", flat=True)),
    )
    _content, book = build(plan, untargeted=untargeted)
    assert book.sheetnames[-1] == "Ngoài kế hoạch"
    sheet = book["Ngoài kế hoạch"]
    assert sheet["A1"].value == (
        "Chỉ tiêu có số liệu nhưng không có trong kế hoạch – tỉnh Kiên Giang, năm 2017"
    )
    assert values(sheet, 5) == [
        "Chỉ tiêu", "Phạm vi", "Số đơn vị báo cáo", "Tử số", "Mẫu số", "Tỉ lệ", "Số lượng",
        "Số liệu các đơn vị đã báo cáo",
    ]
    signature, email = indicator("DIGITAL_SIGNATURE").name_vi, indicator("OFFICIAL_EMAIL").name_vi
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    # Shares and counts in columns of their own.
    assert rows == [
        (signature, "UBND tỉnh", 1, 1, 1, 1, None, "1/1 đơn vị có (100,0 %)"),
        (signature, "sở, ban, ngành tỉnh", 2, 1, 2, 0.5, None, "1/2 đơn vị có (50,0 %)"),
        (signature, "Cộng các cấp", 3, 2, None, None, 2, "2/3 đơn vị có"),
        (email, "sở, ban, ngành tỉnh", 1, 10, 10, 1, None, "10/10 (100,0 %)"),
        (email, "UBND cấp xã", 1, 3, 4, 0.75, None, "3/4 (75,0 %)"),
    ]
    cells = list(sheet.iter_rows(min_row=6))
    assert cells[1][5].number_format == "0.0%"
    assert cells[2][6].number_format == "#,##0"
    total = next(row for row in cells if row[1].value == "Cộng các cấp")
    assert total[1].font.b
