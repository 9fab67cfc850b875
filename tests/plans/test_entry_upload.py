"""Uploading results and downloading the pre-filled template: /entry/<province>/<year>/upload/."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from plans.models import Change, Plan, Result
from plans.views.upload import UPLOAD_SESSION_KEY
from tests.factories import csv_upload

HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note\r\n"


def upload_url():
    return reverse("plans:entry_upload", args=["91", 2017])


def template_url(file_format):
    return reverse("plans:entry_template", args=["91", 2017, file_format])


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


def test_it_previews_a_good_file_without_writing(officer_client, plan_a, agencies_a):
    response = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER,
        "2017,91-SNV,LAN,có,,,", "2017,91-STTTT,OFFICIAL_EMAIL,,412,430,theo báo cáo",
    )})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp hợp lệ: 2 dòng — 2 kết quả mới" in html
    assert "Xác nhận ghi tất cả" in html
    assert not Result.objects.exists()
    assert officer_client.session[UPLOAD_SESSION_KEY]["name"] == "results.csv"


def test_it_writes_the_previewed_file_on_confirm(officer_client, plan_a, agencies_a, officer_a):
    preview = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER, "2017,91-SNV,LAN,1,,,"
    )})
    sha = preview.context["confirm_sha256"]
    response = officer_client.post(upload_url(), {"confirm": "1", "sha256": sha}, follow=True)
    assert "Đã nhập tệp results.csv: 1 kết quả mới" in response.content.decode()
    result = Result.objects.get()
    assert result.value == 1
    assert result.updated_by == officer_a
    assert Change.objects.get(result=result).channel == "upload"
    assert UPLOAD_SESSION_KEY not in officer_client.session


def test_it_lists_every_bad_row_with_its_line_and_writes_nothing(officer_client, plan_a,
                                                                  agencies_a):
    response = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER,
        "2017,91-SNV,LAN,1,,,",
        "2017,91-STTTT,OFFICIAL_EMAIL,,431,430,",
        "2017,91-KHONG,LAN,1,,,",
    )})
    assert response.status_code == 400
    errors = {error.line: error.message for error in response.context["report"].errors}
    assert set(errors) == {3, 4}
    html = response.content.decode()
    assert "Tệp có 2 lỗi nên chưa ghi gì" in html
    assert "Xác nhận ghi tất cả" not in html
    assert not Result.objects.exists()
    assert UPLOAD_SESSION_KEY not in officer_client.session


def test_it_refuses_another_provinces_agencies(officer_client, plan_a, agencies_a, agencies_b):
    response = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER, "2017,33-SNV,LAN,1,,,"
    )})
    assert response.status_code == 400
    assert "không thuộc tỉnh bạn được phân quyền" in response.content.decode()


def test_it_accepts_excel(officer_client, plan_a, agencies_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["year", "agency_code", "indicator_code", "value", "numerator", "denominator",
                  "note"])
    sheet.append([2017, "91-SNV", "FIBRE", "không", None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("ket-qua.xlsx", buffer.getvalue())
    preview = officer_client.post(upload_url(), {"file": upload})
    assert preview.status_code == 200, preview.context["report"].errors
    officer_client.post(upload_url(), {"confirm": "1",
                                       "sha256": preview.context["confirm_sha256"]})
    assert Result.objects.get().value == 0


def test_confirm_without_a_preview_is_refused(officer_client, plan_a):
    response = officer_client.post(upload_url(), {"confirm": "1", "sha256": "abc"})
    assert response.status_code == 400
    assert "Không tìm thấy tệp đã xem trước" in response.content.decode()


def test_confirm_checks_the_file_again(officer_client, plan_a, agencies_a):
    preview = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER, "2017,91-SNV,LAN,1,,,"
    )})
    # The plan is closed between the preview and the confirm.
    Plan.objects.filter(pk=plan_a.pk).update(status="closed")
    response = officer_client.post(upload_url(), {"confirm": "1",
                                                  "sha256": preview.context["confirm_sha256"]})
    assert response.status_code == 400
    assert not Result.objects.exists()


def test_it_refuses_a_missing_or_oversized_file(officer_client, plan_a, settings):
    assert officer_client.post(upload_url()).status_code == 400
    settings.UPLOAD_MAX_BYTES = 10
    response = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER, "2017,91-SNV,LAN,1,,,"
    )})
    assert response.status_code == 400
    assert "quá lớn" in response.content.decode()


def test_the_csv_template_lists_every_active_agency_and_indicator(officer_client, plan_a,
                                                                  agencies_a, indicator):
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"],
                          indicator=indicator("OFFICIAL_EMAIL"), numerator=3, denominator=4)
    response = officer_client.get(template_url("csv"))
    assert response["Content-Disposition"] == 'attachment; filename="results-91-2017.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    # 6 agencies active in 2017 (Vĩnh Quang starts in 2018) x 14 indicators.
    assert len(rows) == 6 * 14
    assert {row["agency_code"] for row in rows} == {
        "91-UBND", "91-SNV", "91-STTTT", "91-H899", "91-H900", "91-X30733"
    }
    filled = [row for row in rows if row["numerator"]]
    assert filled == [{"year": "2017", "agency_code": "91-SNV",
                       "indicator_code": "OFFICIAL_EMAIL", "value": "", "numerator": "3",
                       "denominator": "4", "note": "", "agency_name": "Sở Nội vụ",
                       "parent_name": "UBND tỉnh Kiên Giang",
                       "indicator_name": "Cán bộ, công chức có hộp thư điện tử công vụ",
                       "what_to_count": "numerator: Số cán bộ có hộp thư công vụ; "
                                        "denominator: Tổng số cán bộ, công chức",
                       "definition": "http://testserver/indicators/OFFICIAL_EMAIL/",
                       "version": "1"}]


def test_the_xlsx_template_has_the_same_columns(officer_client, plan_a, agencies_a):
    response = officer_client.get(template_url("xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("year", "agency_code", "indicator_code", "value", "numerator",
                       "denominator", "note", "agency_name", "parent_name", "indicator_name",
                       "what_to_count", "definition", "version")
    assert len(rows) == 1 + 6 * 14


# 6 agencies active in 2017 x 14 indicators, of which the tests fill 2.
TEMPLATE_ROWS = 6 * 14


def filled_csv_template(officer_client) -> SimpleUploadedFile:
    """Download the CSV template and fill two of its rows, as a person would in a spreadsheet."""
    text = officer_client.get(template_url("csv")).content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        if (row["agency_code"], row["indicator_code"]) == ("91-SNV", "LAN"):
            row["value"] = "có"
        elif (row["agency_code"], row["indicator_code"]) == ("91-STTTT", "OFFICIAL_EMAIL"):
            row["numerator"], row["denominator"] = "412", "430"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("results-91-2017.csv", ("\ufeff" + buffer.getvalue()).encode())


def filled_xlsx_template(officer_client) -> SimpleUploadedFile:
    """Download the XLSX template and fill two of its rows."""
    workbook = load_workbook(io.BytesIO(officer_client.get(template_url("xlsx")).content))
    sheet = workbook.active
    columns = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(columns, row, strict=True))
        key = (cells["agency_code"].value, cells["indicator_code"].value)
        if key == ("91-SNV", "LAN"):
            cells["value"].value = "có"
        elif key == ("91-STTTT", "OFFICIAL_EMAIL"):
            cells["numerator"].value, cells["denominator"].value = 412, 430
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("results-91-2017.xlsx", buffer.getvalue())


@pytest.mark.parametrize("fill", [filled_csv_template, filled_xlsx_template])
def test_a_downloaded_template_with_two_rows_filled_writes_those_two(
    officer_client, plan_a, agencies_a, fill
):
    preview = officer_client.post(upload_url(), {"file": fill(officer_client)})

    assert preview.status_code == 200, preview.context["report"].errors
    report = preview.context["report"]
    assert (report.rows, report.created, report.skipped_blank) == (
        TEMPLATE_ROWS, 2, TEMPLATE_ROWS - 2
    )
    assert (
        f"Tệp hợp lệ: {TEMPLATE_ROWS} dòng — 2 kết quả mới, 0 kết quả sẽ được sửa, 0 không "
        f"đổi, {TEMPLATE_ROWS - 2} dòng trống bỏ qua."
    ) in preview.content.decode()
    assert not Result.objects.exists()

    response = officer_client.post(
        upload_url(), {"confirm": "1", "sha256": preview.context["confirm_sha256"]}, follow=True
    )

    assert (
        f"2 kết quả mới, 0 kết quả được sửa, 0 không đổi, {TEMPLATE_ROWS - 2} dòng trống bỏ qua."
    ) in response.content.decode()
    assert sorted(
        Result.objects.values_list("agency__code", "indicator__code", "value", "numerator",
                                   "denominator")
    ) == [("91-SNV", "LAN", 1, None, None), ("91-STTTT", "OFFICIAL_EMAIL", None, 412, 430)]


def test_the_page_no_longer_asks_to_delete_unfilled_rows(officer_client, plan_a):
    html = officer_client.get(upload_url()).content.decode()

    assert "xoá các dòng" not in html
    assert "được bỏ qua" in html


def test_it_refuses_a_row_of_another_year_with_its_line(officer_client, plan_a, agencies_a):
    response = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER,
        "2017,91-SNV,LAN,1,,,", "2018,91-SNV,LAN,1,,,",
    )})

    assert response.status_code == 400
    errors = [(error.line, error.message) for error in response.context["report"].errors]
    assert errors == [
        (3, "Năm 2018 không phải năm 2017 đang nhập ở đây; hãy tải dòng này lên ở trang của "
            "năm 2018.")
    ]
    assert "Năm 2018 không phải năm 2017" in response.content.decode()
    assert not Result.objects.exists()


def test_an_unknown_template_format_is_404(officer_client, plan_a):
    assert officer_client.get(template_url("pdf")).status_code == 404
