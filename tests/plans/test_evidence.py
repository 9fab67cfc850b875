"""Evidence files behind an agency's figures: attaching, checking by contents, limits, deleting,
and the history of both."""

import hashlib
import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import Client, RequestFactory
from django.urls import reverse

from plans.files.filetypes import ZIP_MAX_PART_BYTES, FileTypeRefused, detect_type
from plans.files.uploads import SizeLimitedUploadHandler
from plans.models import Change, Evidence, Plan, Result
from plans.services.evidence import EvidenceRefused, evidence_add, evidence_delete, evidence_name
from tests import evidence_files as files


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Store files in a temporary directory, never in the repository's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer_client(officer_a):
    client = Client()
    client.force_login(officer_a)
    return client


def add_url(agency="91-SNV", year=2017):
    return reverse("plans:entry_evidence_add", args=["91", year, agency])


def agency_url(agency="91-SNV"):
    return reverse("plans:entry_agency", args=["91", 2017, agency])


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def post_file(client, data: bytes, name: str, **fields):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(add_url(), {"file": upload, "indicator": "", "description": "",
                                   **fields})


ALLOWED = [
    (files.PDF, "báo cáo.pdf", "application/pdf", ".pdf"),
    (files.JPEG, "ảnh.jpg", "image/jpeg", ".jpg"),
    (files.PNG, "scan.png", "image/png", ".png"),
    (files.DOCX, "quyết định.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    (files.XLSX, "số liệu.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    (files.ODT, "văn bản.odt", "application/vnd.oasis.opendocument.text", ".odt"),
    (files.ODS, "bảng.ods", "application/vnd.oasis.opendocument.spreadsheet", ".ods"),
]


@pytest.mark.parametrize("data,name,content_type,extension", ALLOWED,
                         ids=[row[3] for row in ALLOWED])
def test_it_attaches_each_allowed_kind_by_its_contents(
    officer_client, officer_a, plan_a, agencies_a, media, data, name, content_type, extension
):
    response = post_file(officer_client, data, name, description="  Biên bản kiểm tra  ")

    assert response.status_code == 302
    assert response["Location"] == agency_url() + "#evidence"
    evidence = Evidence.objects.get()
    assert evidence.content_type == content_type
    assert evidence.original_name == name
    assert evidence.size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.description == "Biên bản kiểm tra"
    assert evidence.uploaded_by == officer_a
    assert evidence.indicator is None
    # Stored under a name the server made: evidence/<province>/<year>/<hex><detected ext>.
    folder, _, stored = evidence.file.name.rpartition("/")
    assert folder == "evidence/91/2017"
    assert stored.endswith(extension) and len(stored) == 32 + len(extension)
    assert (media / evidence.file.name).read_bytes() == data


def test_it_takes_the_extension_from_the_contents_not_the_name(officer_client, plan_a,
                                                               agencies_a):
    post_file(officer_client, files.PNG, "thật ra là ảnh.pdf")
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/png"
    assert evidence.file.name.endswith(".png")
    assert evidence.original_name == "thật ra là ảnh.pdf"


def test_it_attaches_a_file_to_an_indicator(officer_client, plan_a, agencies_a, indicator):
    response = post_file(officer_client, files.PDF, "email.pdf", indicator="OFFICIAL_EMAIL")
    assert response.status_code == 302
    assert Evidence.objects.get().indicator == indicator("OFFICIAL_EMAIL")


def test_it_refuses_an_unknown_indicator(officer_client, plan_a, agencies_a, media):
    response = post_file(officer_client, files.PDF, "email.pdf", indicator="NOPE")
    assert response.status_code == 400
    assert "Không có chỉ tiêu mã NOPE" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not stored_files(media)


REFUSED = [
    (files.EXE, "báo cáo.pdf", "là một chương trình"),
    (files.ELF, "scan.png", "là một chương trình"),
    (files.SCRIPT, "scan.pdf", "là một chương trình"),
    (files.HTML, "báo cáo.pdf", "là một trang web"),
    (files.HTML_BOM, "ảnh.png", "là một trang web"),
    (files.SCRIPT_TAG, "ảnh.png", "là một trang web"),
    (files.SVG, "logo.png", "là một trang web"),
    (files.PLAIN_ZIP, "báo cáo.docx", "là tệp nén nhưng không phải"),
    (files.DOCM, "báo cáo.docx", "là tệp nén nhưng không phải"),
    (files.ODP, "trình chiếu.odt", "là tệp nén nhưng không phải"),
    (files.PDF[:0], "trống.pdf", "trống"),
    (files.TEXT, "ghi chú.pdf", "không thuộc loại được nhận"),
    (b"PK\x03\x04" + b"\x00" * 40, "hỏng.docx", "là tệp nén nhưng không phải"),
    (files.SVG, "logo.svg", "là một trang web"),
    (files.SVG_AFTER_COMMENT, "logo.svg", "không thuộc loại được nhận"),
    (files.PDF_JAVASCRIPT, "báo cáo.pdf", "tệp đính kèm bên trong (/JavaScript)"),
    (files.PDF_HEX_JAVASCRIPT, "báo cáo.pdf", "tệp đính kèm bên trong (/JavaScript)"),
    (files.PDF_LAUNCH, "báo cáo.pdf", "tệp đính kèm bên trong (/Launch)"),
    (files.PDF_EMBEDDED_FILE, "báo cáo.pdf", "tệp đính kèm bên trong (/EmbeddedFile)"),
    (files.PDF_LAUNCH_IN_OBJECT_STREAM, "báo cáo.pdf", "tệp đính kèm bên trong (/Launch)"),
    (files.PNG_THEN_ZIP, "ảnh.png", "có dữ liệu khác nối sau phần cuối của ảnh"),
    (files.JPEG_THEN_PROGRAM, "ảnh.jpg", "có dữ liệu khác nối sau phần cuối của ảnh"),
    (files.CUT_PNG, "ảnh.png", "là ảnh hỏng hoặc bị cắt cụt"),
    (files.JPEG[:-2], "ảnh.jpg", "là ảnh hỏng hoặc bị cắt cụt"),
]


@pytest.mark.parametrize("data,name,reason", REFUSED, ids=[f"{r[1]}-{r[2]}" for r in REFUSED])
def test_it_refuses_a_file_of_another_kind_whatever_its_name(
    officer_client, plan_a, agencies_a, media, data, name, reason
):
    changes = Change.objects.count()
    response = post_file(officer_client, data, name)

    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
    assert name in page
    assert not Evidence.objects.exists()
    assert Change.objects.count() == changes
    assert not stored_files(media)


def test_a_pdf_whose_stream_data_holds_the_letters_of_a_name_is_attached(
    officer_client, plan_a, agencies_a
):
    assert post_file(officer_client, files.PDF_JS_LETTERS_IN_STREAM, "a.pdf").status_code == 302


def test_a_jpeg_padded_with_zero_bytes_is_attached(officer_client, plan_a, agencies_a):
    assert post_file(officer_client, files.JPEG + b"\x00" * 100, "a.jpg").status_code == 302


def test_a_pdf_check_reads_the_whole_file_within_a_few_reads(officer_client, plan_a,
                                                             agencies_a):
    """An action far past the first read, and one cut across two reads, are both found."""
    padding = b"% " + b"x" * (1024 * 1024 - 5) + b"\n"
    for data in (files.PDF + padding * 3 + b"<< /S /Launch >>",
                 files.PDF + b"%" + b"x" * (1024 * 1024 - len(files.PDF) - 6) + b"\n /JavaScript"):
        response = post_file(officer_client, data, "dài.pdf")
        assert response.status_code == 400
        assert "là PDF có chứa mã chạy được" in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_reads_a_zip_within_its_budget():
    """A [Content_Types].xml past the part budget is not read to its end."""
    huge = b"<Types>" + b" " * (ZIP_MAX_PART_BYTES + 10) + b"</Types>"
    data = files.zip_of([("[Content_Types].xml", huge), ("word/document.xml", b"<d/>")])
    with pytest.raises(FileTypeRefused):
        detect_type(io.BytesIO(data), name="bom.docx")


def test_it_refuses_a_content_types_part_with_a_document_type():
    xml = (b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]>'
           b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    data = files.zip_of([("[Content_Types].xml", xml), ("word/document.xml", b"<d/>")])
    with pytest.raises(FileTypeRefused):
        detect_type(io.BytesIO(data), name="dtd.docx")


def test_it_refuses_a_docx_whose_declared_main_part_is_missing():
    data = files.zip_of([
        ("[Content_Types].xml", files.CONTENT_TYPES.format(
            part="/word/document.xml", content_type=files.WORD_MAIN).encode()),
    ])
    with pytest.raises(FileTypeRefused):
        detect_type(io.BytesIO(data), name="rỗng.docx")


def test_it_refuses_a_file_over_the_limit_while_it_streams_in(
    officer_client, plan_a, agencies_a, media, settings
):
    settings.EVIDENCE_MAX_BYTES = 1000
    data = files.PDF + b"0" * 5000
    response = post_file(officer_client, data, "quá lớn.pdf")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Tệp quá lớn.pdf quá lớn" in page
    assert "tối đa 1000" in page  # filesizeformat: "1000 byte"
    assert not Evidence.objects.exists()
    assert not stored_files(media)


def test_the_size_limited_handler_skips_an_evidence_file_at_the_evidence_limit(settings):
    """The check runs on each chunk as it arrives, with the limit of the view addressed."""
    settings.EVIDENCE_MAX_BYTES = 100
    settings.UPLOAD_MAX_BYTES = 50_000
    request = RequestFactory().post(add_url())
    handler = SizeLimitedUploadHandler(request)
    handler.new_file("file", "a.pdf", "application/pdf", 0)
    assert handler.limit == 100
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert handler.skipped["file"][0] == "a.pdf"


def test_the_results_upload_keeps_its_own_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 50_000
    settings.UPLOAD_MAX_BYTES = 100
    results_upload = RequestFactory().post(reverse("plans:entry_upload", args=["91", 2017]))
    assert SizeLimitedUploadHandler(results_upload).limit == 100
    assert SizeLimitedUploadHandler(RequestFactory().post("/nowhere/")).limit == 100
    assert SizeLimitedUploadHandler(RequestFactory().post(add_url())).limit == 50_000


def test_an_evidence_file_may_be_larger_than_a_results_upload(
    officer_client, plan_a, agencies_a, settings
):
    settings.UPLOAD_MAX_BYTES = 1000
    settings.EVIDENCE_MAX_BYTES = 100_000
    response = post_file(officer_client, files.PDF + b"0" * 20_000, "lớn.pdf")
    assert response.status_code == 302
    assert Evidence.objects.get().size == len(files.PDF) + 20_000


def test_it_refuses_a_post_without_a_file(officer_client, plan_a, agencies_a):
    response = officer_client.post(add_url(), {"indicator": ""})
    assert response.status_code == 400
    assert "Chưa chọn tệp" in response.content.decode()


def test_it_refuses_a_description_too_long(officer_client, plan_a, agencies_a, media):
    response = post_file(officer_client, files.PDF, "a.pdf", description="x" * 501)
    assert response.status_code == 400
    assert "tối đa 500" in response.content.decode()
    assert not stored_files(media)


def test_it_refuses_files_in_a_closed_plan(officer_client, plan_a, agencies_a, media):
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.CLOSED)
    response = post_file(officer_client, files.PDF, "a.pdf")
    assert response.status_code == 409
    assert "đã tổng kết" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not stored_files(media)


def test_it_refuses_files_in_a_draft_plan_to_an_officer(officer_client, plan_a, agencies_a):
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.DRAFT)
    response = post_file(officer_client, files.PDF, "a.pdf")
    assert response.status_code == 409
    assert "dự thảo" in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_keeps_the_persons_file_name_as_metadata_only():
    assert evidence_name("C:\\Users\\cb\\Bao cao.pdf") == "Bao cao.pdf"
    assert evidence_name("../../etc/passwd") == "passwd"
    assert evidence_name("  ba\u0301o\tcáo\r\n.pdf ") == "báocáo.pdf"
    long = evidence_name("a" * 300 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")


def test_it_records_the_upload_and_the_deletion_in_the_history(
    officer_a, plan_a, agencies_a, indicator, media, django_capture_on_commit_callbacks
):
    evidence = evidence_add(
        agency=agencies_a["91-SNV"], year=2017, indicator=indicator("LAN"),
        file=io.BytesIO(files.PDF), original_name="lan.pdf", description="Sơ đồ mạng",
        user=officer_a,
    )
    snapshot = {
        "evidence": "lan.pdf", "agency": "91-SNV", "year": 2017, "indicator": "LAN",
        "size": len(files.PDF), "sha256": hashlib.sha256(files.PDF).hexdigest(),
        "description": "Sơ đồ mạng",
    }
    added = Change.objects.get()
    assert (added.plan, added.result, added.target) == (plan_a, None, None)
    assert (added.old, added.new, added.changed_by) == (None, snapshot, officer_a)
    assert added.channel == Change.Channel.AGENCY
    path = media / evidence.file.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_delete(evidence=evidence, user=officer_a)
    # The file stays until the deletion has committed.
    assert path.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert not path.exists()
    assert not Evidence.objects.exists()
    deleted = Change.objects.latest("pk")
    assert (deleted.plan, deleted.old, deleted.new) == (plan_a, snapshot, None)


def test_a_rolled_back_upload_leaves_no_file(officer_a, plan_a, agencies_a, media, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("plans.services.evidence.change_record", fail)
    with pytest.raises(RuntimeError):
        evidence_add(agency=agencies_a["91-SNV"], year=2017, indicator=None,
                     file=io.BytesIO(files.PDF), original_name="a.pdf", description="",
                     user=officer_a)
    assert not Evidence.objects.exists()
    assert not stored_files(media)


def test_the_service_refuses_a_closed_plan(officer_a, plan_a, agencies_a, media):
    evidence = evidence_add(agency=agencies_a["91-SNV"], year=2017, indicator=None,
                            file=io.BytesIO(files.PDF), original_name="a.pdf", description="",
                            user=officer_a)
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.CLOSED)
    with pytest.raises(EvidenceRefused):
        evidence_delete(evidence=evidence, user=officer_a)
    with pytest.raises(EvidenceRefused):
        evidence_add(agency=agencies_a["91-SNV"], year=2017, indicator=None,
                     file=io.BytesIO(files.PDF), original_name="b.pdf", description="",
                     user=officer_a)
    assert Evidence.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_deleting_through_the_page_asks_first_then_removes_file_and_row(
    officer_client, officer_a, plan_a, agencies_a, media, django_capture_on_commit_callbacks
):
    post_file(officer_client, files.PDF, "xoá tôi.pdf")
    evidence = Evidence.objects.get()
    url = reverse("plans:entry_evidence_delete", args=["91", 2017, "91-SNV", evidence.pk])

    page = officer_client.get(url)
    assert page.status_code == 200
    assert "Xoá tệp xoá tôi.pdf?" in page.content.decode()
    assert Evidence.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == agency_url() + "#evidence"
    assert not Evidence.objects.exists()
    assert not stored_files(media)
    assert Change.objects.filter(
        plan=plan_a, new__isnull=True, old__evidence="xoá tôi.pdf"
    ).exists()


def test_the_agency_page_lists_the_files_and_offers_the_form(
    officer_client, officer_a, plan_a, agencies_a, indicator
):
    post_file(officer_client, files.PDF, "Báo cáo tổng hợp.pdf", indicator="LAN",
              description="Bản ký số")
    post_file(officer_client, files.PNG, "ảnh chụp.png")
    page = officer_client.get(agency_url()).content.decode()
    assert "Báo cáo tổng hợp.pdf" in page and "ảnh chụp.png" in page
    assert "Bản ký số" in page
    assert indicator("LAN").name in page
    assert "Cả báo cáo năm" in page
    assert "officer_a" in page
    assert 'enctype="multipart/form-data"' in page
    for evidence in Evidence.objects.all():
        assert reverse("plans:entry_evidence",
                       args=["91", 2017, "91-SNV", evidence.pk]) in page


def test_the_agency_page_shows_upload_times_in_vietnam_time(
    officer_client, plan_a, agencies_a
):
    import datetime

    post_file(officer_client, files.PDF, "a.pdf")
    Evidence.objects.update(
        uploaded_at=datetime.datetime(2017, 3, 1, 23, 30, tzinfo=datetime.UTC)
    )
    page = officer_client.get(agency_url()).content.decode()
    assert "06:30 02/03/2017" in page


def test_the_agency_page_hides_the_form_and_delete_links_when_closed(
    officer_client, plan_a, agencies_a
):
    post_file(officer_client, files.PDF, "a.pdf")
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.CLOSED)
    page = officer_client.get(agency_url()).content.decode()
    assert "a.pdf" in page
    assert 'enctype="multipart/form-data"' not in page
    assert "/delete/" not in page


def test_the_agency_history_still_reads_after_an_evidence_file_is_deleted(
    officer_client, officer_a, plan_a, agencies_a
):
    """A deleted file's entry names the agency on the plan, as a cleared result's does."""
    evidence = evidence_add(agency=agencies_a["91-SNV"], year=2017, indicator=None,
                            file=io.BytesIO(files.PDF), original_name="a.pdf", description="",
                            user=officer_a)
    evidence_delete(evidence=evidence, user=officer_a)
    url = reverse("plans:entry_history", args=["91", 2017, "91-SNV"])
    assert officer_client.get(url).status_code == 200
    assert officer_client.get(url + "?indicator=LAN").status_code == 200


def test_the_download_sends_the_exact_bytes_as_an_attachment(officer_client, plan_a,
                                                             agencies_a):
    data = files.PDF + bytes(range(256)) * 100
    post_file(officer_client, data, "Báo cáo số 1.pdf")
    evidence = Evidence.objects.get()
    url = reverse("plans:entry_evidence", args=["91", 2017, "91-SNV", evidence.pk])

    response = officer_client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(data))
    # RFC 5987: the Vietnamese name in UTF-8, percent-encoded.
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20s%E1%BB%91%201.pdf"
    )
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name,data,downloaded,content_type", [
    ("chay.bat", files.PDF_THEN_BATCH, "chay.pdf", "application/pdf"),
    ("trang.html", files.PDF, "trang.pdf", "application/pdf"),
    ("ung-dung.hta", files.PNG, "ung-dung.png", "image/png"),
    ("logo.svg", files.PNG, "logo.png", "image/png"),
    ("cai-dat.exe", files.JPEG, "cai-dat.jpg", "image/jpeg"),
    ("ma.js", files.DOCX, "ma.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("không đuôi", files.ODS, "không đuôi.ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("ảnh.JPEG", files.JPEG, "ảnh.JPEG", "image/jpeg"),
    ("Báo cáo.PDF", files.PDF, "Báo cáo.PDF", "application/pdf"),
], ids=["bat", "html", "hta", "svg", "exe", "js", "no-extension", "jpeg-alias", "upper-case"])
def test_the_download_takes_the_extension_and_type_of_the_contents(
    officer_client, plan_a, agencies_a, media, name, data, downloaded, content_type
):
    post_file(officer_client, data, name)
    evidence = Evidence.objects.get()
    assert evidence.original_name == name
    assert evidence.file.name.endswith(downloaded.rpartition(".")[2].lower().replace("jpeg",
                                                                                      "jpg"))
    url = reverse("plans:entry_evidence", args=["91", 2017, "91-SNV", evidence.pk])

    response = officer_client.get(url)

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].endswith(
        "filename*=utf-8''" + quote(downloaded)
    ) or response["Content-Disposition"] == f'attachment; filename="{downloaded}"'
    assert b"".join(response.streaming_content) == data
    # The agency page links the safe name and shows the person's as data.
    page = officer_client.get(agency_url()).content.decode()
    assert f'download="{downloaded}">{downloaded}</a>' in page
    if downloaded != name:
        assert f"Tên tệp khi tải lên: {name}" in page
    else:
        assert "Tên tệp khi tải lên" not in page


def test_the_download_answers_404_when_the_file_is_gone_from_storage(
    officer_client, plan_a, agencies_a
):
    post_file(officer_client, files.PDF, "a.pdf")
    evidence = Evidence.objects.get()
    default_storage.delete(evidence.file.name)
    url = reverse("plans:entry_evidence", args=["91", 2017, "91-SNV", evidence.pk])
    assert officer_client.get(url).status_code == 404


def test_the_stored_file_is_a_valid_zip_for_office_documents(officer_client, plan_a,
                                                             agencies_a, media):
    post_file(officer_client, files.XLSX, "số liệu.xlsx")
    with zipfile.ZipFile(media / Evidence.objects.get().file.name) as archive:
        assert "xl/workbook.xml" in archive.namelist()


def test_a_result_is_not_needed_to_attach_evidence(officer_client, plan_a, agencies_a):
    assert not Result.objects.exists()
    assert post_file(officer_client, files.PDF, "a.pdf").status_code == 302


def _approve(plan, agency, officer):
    from plans.services.submissions import submission_approve, submission_submit

    submission = submission_submit(plan=plan, agency=agency, user=officer, expected_version=0)
    return submission_approve(plan=plan, agency=agency, user=officer,
                              expected_version=submission.version)


def test_an_approved_reports_files_are_neither_added_nor_deleted_until_reopened(
    officer_client, officer_a, plan_a, agencies_a, media
):
    """The figures and their proof are what was approved: both wait for a reopening."""
    from plans.services.submissions import submission_reopen

    snv = agencies_a["91-SNV"]
    post_file(officer_client, files.PDF, "trước khi duyệt.pdf")
    evidence = Evidence.objects.get()
    submission = _approve(plan_a, snv, officer_a)
    lock = f"Số liệu của {snv.name} năm 2017 đã được duyệt; cần mở lại trước khi sửa."

    response = post_file(officer_client, files.PNG, "sau khi duyệt.png")
    assert response.status_code == 400
    assert lock in response.content.decode()
    delete_url = reverse("plans:entry_evidence_delete", args=["91", 2017, "91-SNV", evidence.pk])
    response = officer_client.post(delete_url)
    assert response.status_code == 409
    assert lock in response.content.decode()
    with pytest.raises(EvidenceRefused, match="đã được duyệt"):
        evidence_delete(evidence=evidence, user=officer_a)
    assert list(Evidence.objects.values_list("original_name", flat=True)) == [
        "trước khi duyệt.pdf"
    ]
    assert len(stored_files(media)) == 1

    submission_reopen(plan=plan_a, agency=snv, user=officer_a,
                      expected_version=submission.version, reason="Bổ sung minh chứng")
    assert post_file(officer_client, files.PNG, "sau khi mở lại.png").status_code == 302
    assert officer_client.post(delete_url).status_code == 302
    assert list(Evidence.objects.values_list("original_name", flat=True)) == [
        "sau khi mở lại.png"
    ]


def test_another_agencys_approval_does_not_lock_this_agencys_files(
    officer_client, officer_a, plan_a, agencies_a
):
    _approve(plan_a, agencies_a["91-STTTT"], officer_a)
    assert post_file(officer_client, files.PDF, "a.pdf").status_code == 302
