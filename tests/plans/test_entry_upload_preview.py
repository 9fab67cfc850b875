"""The upload preview one can check: each result the file creates or changes, old → new, by
agency; the confirm writes exactly that or, if the stored results changed since, nothing."""

import pytest
from django.urls import reverse

from plans.models import Change, Result
from plans.services.imports import ChangesDiffer, results, results_import
from plans.views.upload import UPLOAD_SESSION_KEY
from tests.factories import csv_file, csv_upload

HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note\r\n"
ROWS = (
    "2017,91-SNV,LAN,có,,,",                           # changed: Không → Có
    "2017,91-SNV,OFFICIAL_EMAIL,,412,430,",            # unchanged
    "2017,91-STTTT,OFFICIAL_EMAIL,,1.200,1.250,quý IV",  # new
    "2017,91-SNV,FIBRE,,,,",                           # blank: skipped
)


def upload_url():
    return reverse("plans:entry_upload", args=["91", 2017])


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.fixture
def stored(agencies_a, indicator):
    snv = agencies_a["91-SNV"]
    return {
        "lan": Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=0),
        "email": Result.objects.create(year=2017, agency=snv,
                                       indicator=indicator("OFFICIAL_EMAIL"),
                                       numerator=412, denominator=430),
    }


def preview(officer_client):
    response = officer_client.post(upload_url(), {"file": csv_upload(HEADER, *ROWS)})
    assert response.status_code == 200, response.context["report"].errors
    return response


def confirm(officer_client, response, **kwargs):
    return officer_client.post(
        upload_url(), {"confirm": "1", "sha256": response.context["confirm_sha256"]}, **kwargs
    )


def test_the_preview_lists_each_change_old_to_new_by_agency(officer_client, plan_a, stored):
    response = preview(officer_client)

    groups = response.context["change_groups"]
    assert [(g["name"], g["created"], g["updated"]) for g in groups] == [
        ("Sở Nội vụ", 0, 1), ("Sở Thông tin và Truyền thông", 1, 0),
    ]
    assert [(row["line"], row["indicator"].code, row["old"], row["new"], row["is_new"])
            for group in groups for row in group["rows"]] == [
        (2, "LAN", "Không", "Có", False),
        (4, "OFFICIAL_EMAIL", "(chưa có)", "1200/1250 — ghi chú: quý IV", True),
    ]
    html = response.content.decode()
    assert "Những gì sẽ được ghi, theo đơn vị" in html
    assert "Sở Thông tin và Truyền thông <span class=\"upload-counts\">(1 mới, 0 sửa)" in html
    assert "1200/1250 — ghi chú: quý IV" in html
    # The unchanged result is counted, not listed; codes are not shown for agencies.
    assert "412/430" not in html
    assert "1 kết quả mới, 1 kết quả sẽ được sửa, 1 không đổi, 1 dòng trống bỏ qua" in html
    assert "91-STTTT" not in html


def test_the_confirm_writes_exactly_what_was_previewed(officer_client, plan_a, stored,
                                                       officer_a):
    response = confirm(officer_client, preview(officer_client), follow=True)

    assert "1 kết quả mới, 1 kết quả được sửa, 1 không đổi" in response.content.decode()
    stored["lan"].refresh_from_db()
    assert (stored["lan"].value, stored["lan"].version) == (1, 2)
    assert Result.objects.get(agency__code="91-STTTT").numerator == 1200
    assert Change.objects.filter(changed_by=officer_a).count() == 2


def test_a_result_changed_after_the_preview_stops_the_confirm(officer_client, plan_a, stored):
    first = preview(officer_client)
    # A colleague saves another figure for Sở Nội vụ's LAN in between.
    Result.objects.filter(pk=stored["lan"].pk).update(value=1, version=2)

    response = confirm(officer_client, first)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Kết quả đã thay đổi kể từ lúc bạn xem trước" in html
    assert not Result.objects.filter(agency__code="91-STTTT").exists()
    assert not Change.objects.exists()
    # The page now shows what the file would do: LAN is no change any more.
    assert [(g["name"], g["created"], g["updated"]) for g in response.context["change_groups"]] \
        == [("Sở Thông tin và Truyền thông", 1, 0)]

    # Confirming what is shown now writes it.
    again = confirm(officer_client, response, follow=True)
    assert "1 kết quả mới, 0 kết quả được sửa, 2 không đổi" in again.content.decode()
    assert Result.objects.filter(agency__code="91-STTTT").exists()
    assert UPLOAD_SESSION_KEY not in officer_client.session


def test_a_session_without_a_digest_is_previewed_again(officer_client, plan_a, stored):
    first = preview(officer_client)
    session = officer_client.session
    del session[UPLOAD_SESSION_KEY]["digest"]
    session.save()

    response = confirm(officer_client, first)

    assert response.status_code == 409
    assert not Change.objects.exists()


def test_the_preview_lists_at_most_the_limit_and_counts_the_rest(
    officer_client, plan_a, stored, monkeypatch
):
    monkeypatch.setattr(results, "MAX_CHANGES_LISTED", 1)

    response = preview(officer_client)

    report = response.context["report"]
    assert (len(report.changes), report.changes_unlisted) == (1, 1)
    assert "Còn 1 kết quả mới hoặc sửa khác không liệt kê ở đây" in response.content.decode()


def test_the_digest_is_the_same_for_the_preview_and_the_write(plan_a, stored):
    source = csv_file(HEADER.strip(), *ROWS)
    dry = results_import(source=source, dry_run=True, describe=True)

    written = results_import(source=source, expected_digest=dry.changes_digest)

    assert written.changes_digest == dry.changes_digest
    assert (written.created, written.updated) == (1, 1)


def test_an_import_that_differs_from_its_digest_writes_nothing(plan_a, stored):
    source = csv_file(HEADER.strip(), *ROWS)

    with pytest.raises(ChangesDiffer) as differ:
        results_import(source=source, expected_digest="0" * 64)

    assert (differ.value.report.created, differ.value.report.updated) == (1, 1)
    assert Result.objects.count() == 2
    assert not Change.objects.exists()
    stored["lan"].refresh_from_db()
    assert stored["lan"].value == 0


def test_the_preview_speaks_english(officer_client, plan_a, stored, settings):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = preview(officer_client).content.decode()

    assert "What will be written, by agency" in html
    assert "(1 new, 0 changed)" in html
    assert "→&nbsp;</span>Yes" in html
