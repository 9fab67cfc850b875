"""Files know their age: a template row made from an older version of a result than the stored
one is a conflict, listed with who changed it and when, and written only when ticked."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Change, Result
from plans.outputs.results_template import TEMPLATE_COLUMNS, template_file
from plans.services.imports import (
    NEWER_KEEP,
    NEWER_OVERWRITE,
    ImportRefused,
    results_import,
)
from tests.conftest import make_user
from tests.factories import csv_file, csv_upload

HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note,version"
PLAIN_HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note"
# 09:15 in Vietnam.
SAVED_AT = datetime(2017, 11, 30, 2, 15, tzinfo=UTC)


def upload_url():
    return reverse("plans:entry_upload", args=["91", 2017])


@pytest.fixture
def colleague(province_a):
    return make_user("canbo_khac", "officer", [province_a], first_name="Lan", last_name="Trần")


@pytest.fixture
def email(agencies_a, indicator, colleague):
    """Sở Nội vụ's e-mail figure at version 3, last saved by a colleague at 09:15."""
    result = Result.objects.create(
        year=2017, agency=agencies_a["91-SNV"], indicator=indicator("OFFICIAL_EMAIL"),
        numerator=22, denominator=50, version=3, updated_by=colleague,
    )
    Result.objects.filter(pk=result.pk).update(updated_at=SAVED_AT)
    return result


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


def test_the_template_carries_each_rows_version(plan_a, email, indicator, agencies_a):
    lines = template_file(plan_a, "csv").decode("utf-8-sig").splitlines()

    assert lines[0].split(",")[-1] == "version"
    rows = [line.split(",") for line in lines[1:]]
    versions = {(row[1], row[2]): row[-1] for row in rows}
    assert versions["91-SNV", "OFFICIAL_EMAIL"] == "3"
    # No stored result: version 0, as the grid's empty cells say.
    assert versions["91-STTTT", "OFFICIAL_EMAIL"] == "0"


def test_the_workbook_carries_the_versions_in_a_hidden_column(plan_a, email):
    sheet = load_workbook(io.BytesIO(template_file(plan_a, "xlsx")))["results"]

    header = [cell.value for cell in sheet[1]]
    assert header == list(TEMPLATE_COLUMNS)
    letter = sheet.cell(row=1, column=len(header)).column_letter
    assert sheet.column_dimensions[letter].hidden
    values = {(row[1], row[2]): row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["91-SNV", "OFFICIAL_EMAIL"] == 3


def test_an_unchanged_template_uploaded_again_writes_nothing(plan_a, email):
    report = results_import(source=template_file(plan_a, "csv"), newer=NEWER_KEEP)

    assert (report.created, report.updated, report.conflicts) == (0, 0, [])
    assert report.versioned


def test_a_row_from_an_older_version_is_refused_by_default(plan_a, email):
    source = csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,2")

    with pytest.raises(ImportRefused) as refused:
        results_import(source=source)

    [error] = refused.value.report.errors
    assert error.line == 2
    assert error.message == (
        "Kết quả OFFICIAL_EMAIL của 91-SNV đã được Lan Trần sửa lúc 09:15 30/11/2017, sau khi "
        "tệp được tải về: hiện là 22/50, tệp ghi 21/50. Dùng --overwrite-newer nếu vẫn muốn "
        "ghi đè."
    )
    email.refresh_from_db()
    assert (email.numerator, email.version) == (22, 3)


def test_a_row_of_the_stored_version_is_written(plan_a, email):
    report = results_import(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,3"))

    assert report.updated == 1
    email.refresh_from_db()
    assert (email.numerator, email.version) == (21, 4)


def test_a_row_made_when_there_was_no_result_conflicts_with_a_new_one(plan_a, email):
    with pytest.raises(ImportRefused) as refused:
        results_import(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,0"))

    assert "đã được Lan Trần sửa" in refused.value.report.errors[0].message


def test_a_row_whose_result_was_cleared_since_is_a_conflict(plan_a, agencies_a):
    with pytest.raises(ImportRefused) as refused:
        results_import(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,4"))

    assert "đã bị xoá sau khi tệp được tải về" in refused.value.report.errors[0].message
    assert not Result.objects.exists()


def test_overwrite_writes_the_conflicts(plan_a, email):
    report = results_import(
        source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,2"), newer=NEWER_OVERWRITE
    )

    assert (report.updated, report.overwritten) == (1, 1)
    email.refresh_from_db()
    assert email.numerator == 21


def test_keep_leaves_unticked_conflicts_and_writes_ticked_ones(plan_a, email, agencies_a,
                                                                indicator):
    lan = Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                                value=0, version=5)
    source = csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,2", "2017,91-SNV,LAN,có,,,,4")

    report = results_import(source=source, newer=NEWER_KEEP, overwrite_lines={3})

    assert [(c.line, c.overwritten) for c in report.conflicts] == [(2, False), (3, True)]
    assert (report.updated, report.overwritten) == (1, 1)
    email.refresh_from_db()
    lan.refresh_from_db()
    assert (email.numerator, lan.value) == (22, 1)


def test_a_file_without_versions_keeps_todays_behaviour(plan_a, email):
    report = results_import(source=csv_file(PLAIN_HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,"))

    assert (report.updated, report.versioned) == (1, False)


def test_a_blank_version_is_no_version(plan_a, email):
    report = results_import(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,"))

    assert report.updated == 1


def test_a_version_that_is_not_a_number_is_an_error(plan_a, email):
    with pytest.raises(ImportRefused) as refused:
        results_import(source=csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,ba"))

    assert refused.value.report.errors[0].message.startswith("Cột version: “ba” không phải")


def test_the_command_refuses_conflicts_unless_told_to_overwrite(plan_a, email, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(HEADER, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,2"))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_results", str(path), stderr=err)
    assert "Dùng --overwrite-newer" in err.getvalue()

    call_command("import_results", str(path), "--overwrite-newer", stdout=io.StringIO())
    email.refresh_from_db()
    assert email.numerator == 21


def preview(client, *rows, header=HEADER):
    response = client.post(upload_url(), {"file": csv_upload(header + "\r\n", *rows)})
    assert response.status_code == 200, response.context["report"].errors
    return response


def test_the_preview_lists_each_conflict_with_who_and_when(officer_client, plan_a, email):
    response = preview(officer_client, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,2",
                       "2017,91-STTTT,LAN,có,,,,0")

    [conflict] = response.context["conflicts"]
    assert (conflict["line"], conflict["agency"], conflict["current"], conflict["new"],
            conflict["who"], conflict["when"]) == (
        2, "Sở Nội vụ", "22/50", "21/50", "Lan Trần", "09:15 30/11/2017",
    )
    html = response.content.decode()
    assert "1 kết quả đã được người khác sửa sau khi tệp mẫu được tải về" in html
    assert 'name="overwrite" value="2"' in html
    assert "không phân biệt được" not in html
    # The conflict is not among the changes to be written.
    assert [g["name"] for g in response.context["change_groups"]] == [
        "Sở Thông tin và Truyền thông"
    ]


def confirm(client, response, **data):
    return client.post(
        upload_url(),
        {"confirm": "1", "sha256": response.context["confirm_sha256"], **data},
        follow=True,
    )


def test_the_confirm_leaves_unticked_conflicts_and_says_so(officer_client, plan_a, email):
    response = confirm(officer_client, preview(officer_client,
                                               "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,2",
                                               "2017,91-STTTT,LAN,có,,,,0"))

    html = response.content.decode()
    assert "1 kết quả được giữ nguyên vì người khác đã sửa" in html
    assert "dòng 2, Sở Nội vụ, " in html
    email.refresh_from_db()
    assert email.numerator == 22
    assert Result.objects.filter(agency__code="91-STTTT").exists()


def test_the_confirm_writes_a_ticked_conflict(officer_client, plan_a, email, officer_a):
    response = confirm(
        officer_client, preview(officer_client, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,2"),
        overwrite=["2", "x"],
    )

    assert "1 kết quả người khác sửa sau khi tải tệp mẫu đã được ghi đè" in (
        response.content.decode()
    )
    email.refresh_from_db()
    assert (email.numerator, email.updated_by) == (21, officer_a)
    assert Change.objects.filter(changed_by=officer_a).count() == 1


def test_the_confirm_writes_every_conflict_when_all_are_ticked(officer_client, plan_a, email):
    confirm(officer_client, preview(officer_client, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,,2"),
            overwrite_all="1")

    email.refresh_from_db()
    assert email.numerator == 21


def test_a_file_without_versions_is_said_to_be_blind(officer_client, plan_a, email):
    response = preview(officer_client, "2017,91-SNV,OFFICIAL_EMAIL,,21,50,", header=PLAIN_HEADER)

    assert response.context["conflicts"] == []
    assert "không phân biệt được kết quả người khác đã sửa" in response.content.decode()
