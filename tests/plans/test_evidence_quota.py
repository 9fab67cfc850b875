"""Quotas of evidence storage: an agency's year, a province, an account's last hour.

Over a quota an upload is refused in Vietnamese, naming what is used and what is allowed in
Vietnamese number format, and nothing is stored; the agency page shows the usage.
"""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import Change, Evidence
from plans.services.evidence import EvidenceRefused, evidence_add, evidence_usage
from tests import evidence_files as files
from tests.plans.test_evidence import post_file, stored_files

PDF_SIZE = len(files.PDF)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer_client(officer_a):
    client = Client()
    client.force_login(officer_a)
    return client


def add(agency, user, data=files.PDF, name="a.pdf"):
    return evidence_add(agency=agency, year=2017, indicator=None, file=io.BytesIO(data),
                        original_name=name, description="", user=user)


def test_it_refuses_a_file_past_the_agencys_year_quota_naming_used_and_allowed(
    officer_client, officer_a, plan_a, agencies_a, settings, media
):
    settings.EVIDENCE_QUOTA_AGENCY_YEAR_BYTES = 1536
    add(agencies_a["91-SNV"], officer_a, data=files.PDF + b"%" * (1024 - PDF_SIZE))
    changes = Change.objects.count()

    response = post_file(officer_client, files.PDF + b"%" * (600 - PDF_SIZE), "thêm.pdf")

    assert response.status_code == 400
    assert (
        "Không đính kèm được tệp thêm.pdf (600\xa0byte): tài liệu minh chứng năm 2017 của Sở Nội "
        "vụ đã dùng 1,0\xa0KB, hạn mức là 1,5\xa0KB."
    ) in response.content.decode()
    assert Evidence.objects.count() == 1
    assert Change.objects.count() == changes
    assert len(stored_files(media)) == 1


def test_a_file_that_fills_the_quota_exactly_is_attached(officer_a, plan_a, agencies_a,
                                                         settings):
    settings.EVIDENCE_QUOTA_AGENCY_YEAR_BYTES = 2 * PDF_SIZE
    add(agencies_a["91-SNV"], officer_a)
    add(agencies_a["91-SNV"], officer_a)
    with pytest.raises(EvidenceRefused):
        add(agencies_a["91-SNV"], officer_a)


def test_other_years_and_agencies_do_not_count_against_an_agencys_year(
    officer_a, plan_a, agencies_a, settings
):
    settings.EVIDENCE_QUOTA_AGENCY_YEAR_BYTES = PDF_SIZE
    Evidence.objects.create(agency=agencies_a["91-SNV"], year=2016, original_name="cũ.pdf",
                            content_type="application/pdf", size=10**6, sha256="0" * 64,
                            file="evidence/91/2016/x.pdf")
    add(agencies_a["91-STTTT"], officer_a)
    assert add(agencies_a["91-SNV"], officer_a).size == PDF_SIZE


def test_it_refuses_a_file_past_the_provinces_quota(officer_a, plan_a, agencies_a, settings):
    settings.EVIDENCE_QUOTA_PROVINCE_BYTES = 3 * 1024 * 1024
    Evidence.objects.create(agency=agencies_a["91-STTTT"], year=2016, original_name="cũ.pdf",
                            content_type="application/pdf", size=3 * 1024 * 1024 - 10,
                            sha256="0" * 64, file="evidence/91/2016/x.pdf")
    with pytest.raises(EvidenceRefused) as refused:
        add(agencies_a["91-SNV"], officer_a, name="báo cáo.pdf")
    assert refused.value.message == (
        f"Không đính kèm được tệp báo cáo.pdf ({PDF_SIZE}\xa0byte): tài liệu minh chứng của tỉnh "
        "Kiên Giang đã dùng 3,0\xa0MB, hạn mức là 3,0\xa0MB. Hãy nhờ quản trị viên tăng hạn mức."
    )


def test_another_provinces_files_do_not_count(officer_a, plan_a, agencies_a, agencies_b,
                                              settings):
    settings.EVIDENCE_QUOTA_PROVINCE_BYTES = PDF_SIZE
    Evidence.objects.create(agency=next(iter(agencies_b.values())), year=2017,
                            original_name="b.pdf", content_type="application/pdf", size=10**6,
                            sha256="0" * 64, file="evidence/33/2017/x.pdf")
    assert add(agencies_a["91-SNV"], officer_a).size == PDF_SIZE


def test_it_refuses_an_account_past_its_hourly_quota_until_the_hour_has_passed(
    officer_a, plan_a, agencies_a, settings
):
    settings.EVIDENCE_QUOTA_ACCOUNT_HOUR_BYTES = 2 * PDF_SIZE
    first = add(agencies_a["91-SNV"], officer_a)
    add(agencies_a["91-STTTT"], officer_a)
    with pytest.raises(EvidenceRefused) as refused:
        add(agencies_a["91-UBND"], officer_a, name="ba.pdf")
    assert refused.value.message == (
        f"Không đính kèm được tệp ba.pdf ({PDF_SIZE}\xa0byte): trong một giờ qua bạn đã tải lên "
        f"{2 * PDF_SIZE}\xa0byte, tối đa {2 * PDF_SIZE}\xa0byte mỗi giờ. Hãy thử lại sau."
    )
    Evidence.objects.filter(pk=first.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(hours=1, seconds=1)
    )
    assert add(agencies_a["91-UBND"], officer_a).size == PDF_SIZE


def test_another_accounts_uploads_do_not_count_against_the_hour(
    officer_a, reporter_a, plan_a, agencies_a, settings
):
    settings.EVIDENCE_QUOTA_ACCOUNT_HOUR_BYTES = PDF_SIZE
    add(agencies_a["91-SNV"], reporter_a)
    assert add(agencies_a["91-SNV"], officer_a).size == PDF_SIZE


def test_the_agency_page_shows_the_usage_and_the_quotas(officer_client, officer_a, plan_a,
                                                        agencies_a, settings):
    settings.EVIDENCE_QUOTA_AGENCY_YEAR_BYTES = 2 * 1024 * 1024
    add(agencies_a["91-SNV"], officer_a, data=files.PDF + b"%" * (1536 - PDF_SIZE))
    add(agencies_a["91-STTTT"], officer_a)
    url = reverse("plans:entry_agency", args=["91", 2017, "91-SNV"])
    page = officer_client.get(url).content.decode()
    assert (
        "Đã dùng 1,5\xa0KB trong hạn mức 2,0\xa0MB cho tài liệu minh chứng năm 2017 của đơn "
        "vị; cả tỉnh Kiên Giang: 1,6\xa0KB trong 50,0\xa0GB."
    ) in page


def test_the_usage_is_one_query(officer_a, plan_a, agencies_a, django_assert_num_queries):
    add(agencies_a["91-SNV"], officer_a)
    add(agencies_a["91-STTTT"], officer_a)
    # The sums of the province, the agency's year and the account's hour, in one aggregate.
    with django_assert_num_queries(1):
        usage = evidence_usage(agency=agencies_a["91-SNV"], year=2017, user=officer_a)
    assert (usage.agency_year, usage.province, usage.account_hour) == (
        PDF_SIZE, 2 * PDF_SIZE, 2 * PDF_SIZE
    )


def test_the_agency_page_runs_in_constant_queries_whatever_the_files(
    officer_client, officer_a, plan_a, agencies_a, django_assert_max_num_queries
):
    url = reverse("plans:entry_agency", args=["91", 2017, "91-SNV"])
    add(agencies_a["91-SNV"], officer_a)
    with django_assert_max_num_queries(100) as one_file:
        officer_client.get(url)
    for _ in range(3):
        add(agencies_a["91-SNV"], officer_a)
    with django_assert_max_num_queries(len(one_file)):
        officer_client.get(url)
