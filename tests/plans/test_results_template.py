"""The results template of /entry/<province>/<year>/template.<csv|xlsx>: names for people, a
workbook to fill safely, and an untouched template that changes nothing when uploaded."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Change, Plan, Profile, Result
from plans.outputs.results_template import TEMPLATE_COLUMNS
from plans.services.imports import results_import
from tests.conftest import make_user

CONTRACT_COLUMNS = ("year", "agency_code", "indicator_code", "value", "numerator",
                    "denominator", "note")
NAME_COLUMNS = (
    "agency_name", "parent_name", "indicator_name", "what_to_count", "definition",
)


def template_url(file_format, province="91", year=2017):
    return reverse("plans:entry_template", args=[province, year, file_format])


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


def test_the_template_has_the_contract_columns_then_the_names(officer_client, plan_a,
                                                               agencies_a):
    text = officer_client.get(template_url("csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert tuple(rows[0]) == TEMPLATE_COLUMNS == CONTRACT_COLUMNS + NAME_COLUMNS + ("version",)
    by_key = {(row["agency_code"], row["indicator_code"]): row for row in rows}
    email = by_key["91-SNV", "OFFICIAL_EMAIL"]
    assert email["agency_name"] == "Sở Nội vụ"
    assert email["parent_name"] == "UBND tỉnh Kiên Giang"
    assert email["indicator_name"] == "Cán bộ, công chức có hộp thư điện tử công vụ"
    assert email["what_to_count"] == (
        "numerator: Số cán bộ có hộp thư công vụ; denominator: Tổng số cán bộ, công chức"
    )
    assert by_key["91-SNV", "LAN"]["what_to_count"] == "value: có hoặc không"
    assert by_key["91-UBND", "LAN"]["parent_name"] == ""
    # The full address of the indicator's definitions page, on the host it was downloaded from.
    assert email["definition"] == "http://testserver/indicators/OFFICIAL_EMAIL/"


def test_the_template_guards_names_against_formulas(officer_client, plan_a, agencies_a):
    agencies_a["91-SNV"].name = "=HYPERLINK(\"http://x\")"
    agencies_a["91-SNV"].save()

    text = officer_client.get(template_url("csv")).content.decode("utf-8-sig")
    names = {row["agency_name"] for row in csv.DictReader(io.StringIO(text))}
    sheet = load_workbook(io.BytesIO(officer_client.get(template_url("xlsx")).content)).active
    cells = [row[7] for row in sheet.iter_rows(min_row=2)]

    assert "'=HYPERLINK(\"http://x\")" in names
    assert all(cell.data_type == "s" for cell in cells)
    assert "=HYPERLINK(\"http://x\")" in {cell.value for cell in cells}


def test_the_workbook_freezes_the_header_offers_yes_no_and_protects_the_codes(
    officer_client, plan_a, agencies_a, indicator
):
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1)
    sheet = load_workbook(io.BytesIO(officer_client.get(template_url("xlsx")).content)).active
    header = [cell.value for cell in sheet[1]]
    column = {name: index for index, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2))

    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["K"].width == 60
    assert sheet.protection.sheet and not sheet.protection.password
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"có,không"'
    yes_no_cells = {
        f"D{row[0].row}" for row in rows if row[column["indicator_code"]].value in {
            "LAN", "FIBRE", "SPECIALIZED_NETWORK", "WEB_PORTAL", "ONE_STOP_SHOP",
            "DOC_MANAGEMENT", "DIGITAL_SIGNATURE",
        }
    }
    assert {str(cell) for rng in validation.sqref.ranges for cell in [rng]} == yes_no_cells
    snv_lan = next(row for row in rows if (row[1].value, row[2].value) == ("91-SNV", "LAN"))
    assert snv_lan[column["value"]].value == "có"
    for row in rows[:20]:
        for name, cell in zip(header, row, strict=True):
            assert cell.protection.locked == (name not in ("value", "numerator", "denominator",
                                                           "note")), (name, cell.coordinate)


def test_the_importer_ignores_the_name_columns_and_refuses_other_extras(plan_a, agencies_a):
    named = (
        "year,agency_code,indicator_code,value,numerator,denominator,note,agency_name,"
        "parent_name,indicator_name,what_to_count\r\n"
        "2017,91-SNV,LAN,có,,,,Sở Nội vụ,UBND tỉnh,Có mạng LAN,value: có hoặc không\r\n"
    )
    report = results_import(source=named.encode(), dry_run=True)
    assert (report.created, report.errors) == (1, [])

    other = (
        "year,agency_code,indicator_code,value,numerator,denominator,note,agency_name,comment\r\n"
        "2017,91-SNV,LAN,có,,,,Sở Nội vụ,x\r\n"
    )
    with pytest.raises(Exception) as refused:
        results_import(source=other.encode(), dry_run=True)
    (error,) = refused.value.report.errors
    assert error.line == 1
    assert "cột không hợp lệ: comment" in error.message


@pytest.fixture
def demo_officer(db, client):
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    # The demo's plan with the most sample results.
    plan = max(
        Plan.objects.select_related("province"),
        key=lambda plan: Result.objects.filter(
            year=plan.year, agency__province=plan.province, is_sample=True
        ).count(),
    )
    officer = make_user("demo_officer", Profile.Role.OFFICER, [plan.province])
    client.force_login(officer)
    return client, plan


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_untouched_demo_template_uploaded_changes_nothing(demo_officer, file_format):
    client, plan = demo_officer
    url = template_url(file_format, plan.province.code, plan.year)
    stored = Result.objects.filter(year=plan.year, agency__province=plan.province)
    samples = stored.filter(is_sample=True).count()
    before = sorted(stored.values_list("pk", "version", "is_sample", "updated_at"))
    changes = Change.objects.count()
    assert samples > 100

    data = client.get(url).content
    upload_url = reverse("plans:entry_upload", args=[plan.province.code, plan.year])
    preview = client.post(upload_url, {"file": SimpleUploadedFile(f"t.{file_format}", data)})
    assert preview.status_code == 200, preview.context["report"].errors
    report = preview.context["report"]
    assert (report.created, report.updated, report.unchanged) == (0, 0, stored.count())
    client.post(upload_url, {"confirm": "1", "sha256": preview.context["confirm_sha256"]})

    assert sorted(stored.values_list("pk", "version", "is_sample", "updated_at")) == before
    assert Change.objects.count() == changes
