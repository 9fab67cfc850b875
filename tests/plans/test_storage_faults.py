"""Storage faults: a full or unwritable evidence storage answers a clear page, leaves nothing
behind, and the next upload works once the storage is back; ``manage.py clean_files`` finds
what a killed worker left.

The storage is a real file system: a tmpfs of a few KB mounted for each test (as root, which
the CI container is; elsewhere the tests are skipped with the reason). Root ignores file
permissions, so EACCES alone is raised by a storage that refuses the way the kernel does.
"""

import errno
import io
import logging
import os
import subprocess
import time

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from plans.models import Change, Evidence
from plans.services.evidence import evidence_add
from tests import evidence_files as files
from tests.plans.test_evidence import post_file, stored_files


def mount(*options: str, target) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(target)],
                   check=True, capture_output=True)


@pytest.fixture
def small_media(settings, tmp_path):
    """Mount a 64 KB tmpfs as MEDIA_ROOT; return a function that remounts it with options."""
    media = tmp_path / "media"
    media.mkdir()
    try:
        mount("size=64k", target=media)
    except (subprocess.CalledProcessError, FileNotFoundError, PermissionError) as error:
        pytest.skip(f"mounting a tmpfs needs root and mount(8): {error}")
    settings.MEDIA_ROOT = media

    def remount(*options: str) -> None:
        mount("remount", *options, target=media)

    yield remount
    subprocess.run(["umount", "-l", str(media)], check=False)


@pytest.fixture
def officer_client(officer_a):
    client = Client(raise_request_exception=False)
    client.force_login(officer_a)
    return client


# 200 KB, three times what the storage holds.
LARGE_PDF = files.PDF + b"%" + b"x" * (200 * 1024) + b"\n"


def test_a_full_storage_answers_507_removes_what_it_wrote_and_recovers(
    officer_client, plan_a, agencies_a, small_media, settings, caplog
):
    changes = Change.objects.count()
    with caplog.at_level(logging.ERROR, logger="plans.services.evidence"):
        response = post_file(officer_client, LARGE_PDF, "báo cáo.pdf")

    assert response.status_code == 507
    page = response.content.decode()
    assert "Không lưu được tệp: chỗ lưu trữ tệp của máy chủ đã đầy. Chưa có gì được ghi." in page
    # The operator's line names the cause.
    [record] = [r for r in caplog.records if r.name == "plans.services.evidence"]
    assert "errno 28" in record.getMessage() and "No space left on device" in record.getMessage()
    assert not Evidence.objects.exists()
    assert Change.objects.count() == changes
    # Neither a partial nor an empty file is left.
    assert stored_files(settings.MEDIA_ROOT) == []

    small_media("size=1m")
    assert post_file(officer_client, LARGE_PDF, "báo cáo.pdf").status_code == 302
    evidence = Evidence.objects.get()
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == LARGE_PDF


def test_every_later_upload_fits_once_the_full_one_failed(officer_client, plan_a, agencies_a,
                                                         small_media):
    assert post_file(officer_client, LARGE_PDF, "lớn.pdf").status_code == 507
    # What the failed write took is free again: a small file still fits.
    assert post_file(officer_client, files.PDF, "nhỏ.pdf").status_code == 302


def test_a_read_only_storage_answers_503(officer_client, plan_a, agencies_a, small_media,
                                         settings, caplog):
    small_media("ro")
    with caplog.at_level(logging.ERROR, logger="plans.services.evidence"):
        response = post_file(officer_client, files.PDF, "báo cáo.pdf")
    assert response.status_code == 503
    assert "máy chủ không ghi được vào chỗ lưu trữ tệp" in response.content.decode()
    assert "errno 30" in caplog.text
    assert not Evidence.objects.exists()
    small_media("rw")
    assert post_file(officer_client, files.PDF, "báo cáo.pdf").status_code == 302


class RefusingStorage(FileSystemStorage):
    """Write ``limit`` bytes, then refuse with ``error`` as the kernel would."""

    def __init__(self, *args, error: int, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.error = error
        self.limit = limit

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content.read(self.limit))
            raise OSError(self.error, os.strerror(self.error), path)


@pytest.mark.parametrize("error,status", [(errno.EACCES, 503), (errno.ENOSPC, 507)])
def test_a_storage_that_fails_after_some_bytes_leaves_no_file(
    officer_client, plan_a, agencies_a, settings, tmp_path, monkeypatch, error, status
):
    settings.MEDIA_ROOT = tmp_path / "media"
    field = Evidence._meta.get_field("file")
    monkeypatch.setattr(field, "storage",
                        RefusingStorage(location=settings.MEDIA_ROOT, error=error, limit=10))
    response = post_file(officer_client, LARGE_PDF, "báo cáo.pdf")
    assert response.status_code == status
    assert stored_files(settings.MEDIA_ROOT) == []
    assert not Evidence.objects.exists()


def test_a_full_temporary_directory_answers_507_not_500(
    officer_client, plan_a, agencies_a, small_media, settings
):
    """An upload Django keeps in a temporary file fails before any view runs: the error page
    says what happened."""
    settings.FILE_UPLOAD_TEMP_DIR = settings.MEDIA_ROOT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    response = officer_client.post(
        reverse("plans:entry_upload", args=["91", 2017]),
        {"file": SimpleUploadedFile("ket-qua.csv", b"year\n" + b"2017\n" * 40_000)},
    )
    assert response.status_code == 507
    assert "Máy chủ hết chỗ lưu trữ (507)" in response.content.decode()
    # The partial temporary file is removed at once, not when the request is collected.
    assert stored_files(settings.MEDIA_ROOT) == []


# --- clean_files -----------------------------------------------------------------------------


def old(path, *, hours=2):
    stamp = time.time() - hours * 3600
    os.utime(path, (stamp, stamp))


def test_clean_files_lists_then_removes_files_without_a_row_and_reports_rows_without_a_file(
    officer_a, plan_a, agencies_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    kept = evidence_add(agency=agencies_a["91-SNV"], year=2017, indicator=None,
                        file=io.BytesIO(files.PDF), original_name="giữ.pdf", description="",
                        user=officer_a)
    gone = evidence_add(agency=agencies_a["91-SNV"], year=2017, indicator=None,
                        file=io.BytesIO(files.PNG), original_name="mất.png", description="",
                        user=officer_a)
    (settings.MEDIA_ROOT / gone.file.name).unlink()
    # A worker killed between storing and committing; another still uploading.
    orphan = settings.MEDIA_ROOT / "evidence/91/2017/0123456789abcdef0123456789abcdef.pdf"
    orphan.write_bytes(files.PDF)
    old(orphan)
    young = settings.MEDIA_ROOT / "evidence/91/2017/fedcba9876543210fedcba9876543210.pdf"
    young.write_bytes(files.PDF)
    old(settings.MEDIA_ROOT / kept.file.name)
    temporary = tmp_path / "uploads" / "tmpab12cd.upload.pdf"
    temporary.write_bytes(b"x" * 100)
    old(temporary, hours=3)

    output = io.StringIO()
    call_command("clean_files", "--dry-run", stdout=output)
    text = output.getvalue()
    assert ("Tệp không có dòng nào (sẽ xoá): "
            "evidence/91/2017/0123456789abcdef0123456789abcdef.pdf (77\xa0byte)") in text
    assert f"Tệp tạm của lần tải lên không xong (sẽ xoá): {temporary} (100\xa0byte)" in text
    assert (f"Dòng không có tệp: minh chứng số {gone.pk} của Sở Nội vụ năm 2017, “mất.png” "
            f"({gone.file.name}).") in text
    assert "Tệp không có dòng: 1; tệp tạm: 1 (sẽ xoá); dòng không có tệp: 1." in text
    assert "fedcba" not in text and kept.file.name not in text
    assert orphan.exists() and temporary.exists()

    output = io.StringIO()
    call_command("clean_files", stdout=output)
    assert "Tệp không có dòng: 1; tệp tạm: 1 (đã xoá); dòng không có tệp: 1." in output.getvalue()
    assert not orphan.exists() and not temporary.exists()
    assert young.exists() and (settings.MEDIA_ROOT / kept.file.name).exists()
    # Rows are reported, never deleted.
    assert Evidence.objects.count() == 2


def test_clean_files_with_nothing_to_clean(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    output = io.StringIO()
    call_command("clean_files", stdout=output)
    assert output.getvalue() == "Tệp không có dòng: 0; tệp tạm: 0 (đã xoá); dòng không có tệp: 0.\n"

