"""Evidence files behind an agency's figures: adding and deleting them, with their history.

The file is checked before anything is written: its size against ``EVIDENCE_MAX_BYTES`` and its
kind by its contents (plans.files.filetypes), then against the quotas (``EVIDENCE_QUOTA_*``: the
agency's year, the province, the account's last hour) once the plan is locked. It is then stored
under a name made by the server
(plans.models.evidence_file_name) and its row and history entry written in one transaction; a
failed transaction removes the stored file again. A deleted file leaves storage only after the
deletion has committed, so a rolled-back deletion never loses it.
"""

import errno
import hashlib
import logging
import os
import posixpath
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.files.filetypes import FileTypeRefused, detect_type
from plans.models import Agency, Change, Evidence, Plan
from plans.services.conflicts import retry_on_conflict
from plans.services.history import change_record, evidence_snapshot
from plans.services.submissions import frozen_agencies_locked, frozen_message
from plans.words.messages import plan_closed_message

# The lengths of the model's fields (Evidence.original_name, Evidence.description).
ORIGINAL_NAME_MAX_LENGTH = 255
DESCRIPTION_MAX_LENGTH = 500


logger = logging.getLogger(__name__)

# A write that failed for want of space (507 Insufficient Storage); any other failure of the
# storage (permission, read-only file system) answers 503.
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


class EvidenceStorageFailed(Exception):
    """Storage refused to write the file; what was written is removed again. ``message`` says
    so to the person, ``status`` is the HTTP status to answer (507 or 503); the cause is in the
    log for the operator."""

    def __init__(self, error: OSError):
        self.status = 507 if error.errno in NO_SPACE else 503
        if self.status == 507:
            message = _("Không lưu được tệp: chỗ lưu trữ tệp của máy chủ đã đầy. Chưa có gì được "
                        "ghi. Quản trị viên đã được báo trong nhật ký máy chủ; hãy thử lại sau.")
        else:
            message = _("Không lưu được tệp: máy chủ không ghi được vào chỗ lưu trữ tệp. Chưa có "
                        "gì được ghi. Quản trị viên đã được báo trong nhật ký máy chủ; hãy thử "
                        "lại sau.")
        super().__init__(message)
        self.message = message


class EvidenceRefused(Exception):
    """Nothing was written; ``message`` says why, for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def evidence_name(raw: str) -> str:
    """Return the person's file name as kept: its last path part, NFC, without control
    characters, trimmed, at most 255 characters (the extension kept when it is cut)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > ORIGINAL_NAME_MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) < 10:
            name = stem[: ORIGINAL_NAME_MAX_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:ORIGINAL_NAME_MAX_LENGTH]
    return name


@dataclass(frozen=True)
class EvidenceUsage:
    """Bytes of evidence stored, against the quotas of the settings."""

    agency_year: int
    province: int
    # Uploaded by the account in the last hour; 0 when no account is asked about.
    account_hour: int = 0

    @property
    def agency_year_allowed(self) -> int:
        return settings.EVIDENCE_QUOTA_AGENCY_YEAR_BYTES

    @property
    def province_allowed(self) -> int:
        return settings.EVIDENCE_QUOTA_PROVINCE_BYTES

    @property
    def account_hour_allowed(self) -> int:
        return settings.EVIDENCE_QUOTA_ACCOUNT_HOUR_BYTES


def evidence_usage(*, agency: Agency, year: int, user: User | None = None) -> EvidenceUsage:
    """Return the evidence bytes stored for ``agency``'s ``year`` and its province, and by
    ``user`` in the last hour (all provinces), in one query."""
    in_province = Q(agency__province_id=agency.province_id)
    sums = {
        "province": Coalesce(Sum("size", filter=in_province), 0),
        "agency_year": Coalesce(Sum("size", filter=Q(agency_id=agency.pk, year=year)), 0),
    }
    rows = in_province
    if user is not None:
        by_account = Q(uploaded_by=user, uploaded_at__gte=timezone.now() - timedelta(hours=1))
        sums["account_hour"] = Coalesce(Sum("size", filter=by_account), 0)
        rows |= by_account
    return EvidenceUsage(**Evidence.objects.filter(rows).aggregate(**sums))


def _refuse_over_quota(
    *, agency: Agency, year: int, user: User | None, name: str, size: int
) -> None:
    """Refuse a file of ``size`` bytes that would take the agency's year, the province or the
    account's last hour past its quota, naming what is used and what is allowed."""
    usage = evidence_usage(agency=agency, year=year, user=user)
    file = {"name": name, "size": filesizeformat(size)}
    if usage.account_hour + size > usage.account_hour_allowed:
        raise EvidenceRefused(
            _("Không đính kèm được tệp %(name)s (%(size)s): trong một giờ qua bạn đã tải lên "
              "%(used)s, tối đa %(allowed)s mỗi giờ. Hãy thử lại sau.")
            % {**file, "used": filesizeformat(usage.account_hour),
               "allowed": filesizeformat(usage.account_hour_allowed)}
        )
    if usage.agency_year + size > usage.agency_year_allowed:
        raise EvidenceRefused(
            _("Không đính kèm được tệp %(name)s (%(size)s): tài liệu minh chứng năm %(year)s của "
              "%(agency)s đã dùng %(used)s, hạn mức là %(allowed)s. Hãy xoá tệp không cần hoặc "
              "nhờ quản trị viên tăng hạn mức.")
            % {**file, "year": year, "agency": agency.name,
               "used": filesizeformat(usage.agency_year),
               "allowed": filesizeformat(usage.agency_year_allowed)}
        )
    if usage.province + size > usage.province_allowed:
        raise EvidenceRefused(
            _("Không đính kèm được tệp %(name)s (%(size)s): tài liệu minh chứng của tỉnh "
              "%(province)s đã dùng %(used)s, hạn mức là %(allowed)s. Hãy nhờ quản trị viên "
              "tăng hạn mức.")
            % {**file, "province": agency.province.name,
               "used": filesizeformat(usage.province),
               "allowed": filesizeformat(usage.province_allowed)}
        )


def _locked_open_plan(*, agency: Agency, year: int, user: User | None) -> Plan:
    """Return the plan of ``agency``'s province for ``year``, locked; refuse a closed one, and
    refuse while ``agency``'s report is approved (the figures and their proof are what was
    approved) until an officer reopens it, or, for its reporter, while it is submitted."""
    # Locked, so that closing the plan and adding or deleting a file cannot interleave; without
    # blocking its key, so that an approval's history entry (its foreign key to the plan is
    # checked at commit) does not wait for this one while this one waits for the report.
    plan = (
        Plan.objects.select_for_update(of=("self",), no_key=True)
        .select_related("province", "closed_by")
        .filter(province_id=agency.province_id, year=year)
        .first()
    )
    if plan is None:
        raise EvidenceRefused(
            _("Tỉnh %(province)s chưa có kế hoạch năm %(year)s.")
            % {"province": agency.province.name, "year": year}
        )
    if plan.is_closed:
        raise EvidenceRefused(plan_closed_message(plan, reader=user))
    # The submission row stays locked too, so that an approval cannot slip in between.
    frozen = frozen_agencies_locked(plan_ids=[plan.pk], agency_ids=[agency.pk], user=user).get(
        (plan.pk, agency.pk)
    )
    if frozen is not None:
        raise EvidenceRefused(frozen_message(frozen, agency_name=agency.name, year=year))
    return plan


def _digest(file: IO[bytes]) -> tuple[str, int]:
    """Return the SHA-256 digest and the size of ``file``, read chunk by chunk."""
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    while chunk := file.read(64 * 1024):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


@retry_on_conflict
def evidence_add(
    *,
    agency: Agency,
    year: int,
    indicator: Indicator | None,
    file: IO[bytes],
    original_name: str,
    description: str,
    user: User | None,
    channel: str = Change.Channel.AGENCY,
) -> Evidence:
    """Store ``file`` as evidence of ``agency``'s ``indicator`` (None: the whole report) for
    ``year``, and record it in the history. Raise EvidenceRefused, writing nothing, for a file
    too large or not of an allowed kind, a description too long, a closed plan, an approved
    report or a file over a quota.
    """
    name = evidence_name(original_name)
    description = unicodedata.normalize("NFC", description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise EvidenceRefused(
            _("Mô tả dài %(length)s ký tự; tối đa %(max)s.")
            % {"length": len(description), "max": DESCRIPTION_MAX_LENGTH}
        )
    sha256, size = _digest(file)
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        raise EvidenceRefused(
            _("Tệp %(name)s quá lớn (%(size)s; tối đa %(max)s).")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(limit)}
        )
    try:
        file_type = detect_type(file, name=name)
    except FileTypeRefused as refused:
        raise EvidenceRefused(refused.message) from None
    evidence = Evidence(
        agency=agency,
        year=year,
        indicator=indicator,
        original_name=name or f"evidence{file_type.extension}",
        content_type=file_type.content_type,
        size=size,
        sha256=sha256,
        description=description,
        uploaded_by=user,
    )
    storage = evidence.file.storage
    # The name comes from evidence_file_name (a random one); the person's is not used for
    # storage. Known before writing, so that a write that fails halfway can be removed.
    name_stored = evidence.file.field.generate_filename(evidence, "upload")
    writing = False
    try:
        with transaction.atomic():
            plan = _locked_open_plan(agency=agency, year=year, user=user)
            # After the plan's lock: two uploads of the agency's year cannot both fit the rest.
            _refuse_over_quota(agency=agency, year=year, user=user, name=evidence.original_name,
                               size=size)
            writing = True
            file.seek(0)
            evidence.file = storage.save(name_stored, File(file))
            evidence.full_clean()
            evidence.save()
            change_record(
                subject=evidence, user=user, channel=channel, old=None,
                new=evidence_snapshot(evidence), plan=plan,
            )
    except OSError as error:
        if not writing:
            raise
        _remove_written(storage, name_stored)
        # One line for the operator: what failed, where, and why (no space, no permission).
        logger.error("Evidence file not stored: %s (%s, errno %s: %s)", name_stored,
                     type(error).__name__, error.errno, error.strerror)
        raise EvidenceStorageFailed(error) from error
    except BaseException:
        if writing:
            _remove_written(storage, name_stored)
        raise
    return evidence


def _remove_written(storage: Storage, name: str) -> None:
    """Remove what was written of ``name``, if anything; a removal that fails is logged (and
    left to ``manage.py clean_files``), never raised over the first failure."""
    try:
        storage.delete(name)
    except OSError as error:
        logger.error("Evidence file %s not removed after a failed upload: %s", name, error)


@retry_on_conflict
def evidence_delete(
    *, evidence: Evidence, user: User | None, channel: str = Change.Channel.AGENCY,
) -> None:
    """Delete ``evidence`` and record it in the history; its file leaves storage once the
    deletion has committed. Raise EvidenceRefused, deleting nothing, when its plan is closed or
    its agency's report approved.
    """
    with transaction.atomic():
        plan = _locked_open_plan(agency=evidence.agency, year=evidence.year, user=user)
        snapshot = evidence_snapshot(evidence)
        storage, name = evidence.file.storage, evidence.file.name
        deleted, _rows = Evidence.objects.filter(pk=evidence.pk).delete()
        if not deleted:
            # Deleted meanwhile by someone else, who recorded it.
            return
        change_record(subject=evidence, user=user, channel=channel, old=snapshot, new=None,
                      plan=plan)
        transaction.on_commit(lambda: storage.delete(name))


# --- leftovers: files without a row, rows without a file -----------------------------------

# Where evidence files are stored (plans.models.evidence_file_name).
EVIDENCE_FOLDER = "evidence"
# Django's temporary upload files: tempfile names them "tmp…" with this in their suffix.
TEMPORARY_UPLOAD_MARK = ".upload"


@dataclass
class StorageLeftovers:
    """What ``evidence_leftovers_clean`` found: storage names of files with no row, rows whose
    file is missing, and paths of temporary upload files left by a request that never ended."""

    files_without_row: list[tuple[str, int]] = field(default_factory=list)
    rows_without_file: list[Evidence] = field(default_factory=list)
    temporary_uploads: list[tuple[str, int]] = field(default_factory=list)


def evidence_leftovers_clean(*, remove: bool, min_age: timedelta) -> StorageLeftovers:
    """Find the files of evidence storage that no row names and the rows whose file is gone,
    and the temporary upload files Django left behind; remove the files (not the rows) when
    ``remove``.

    Files younger than ``min_age`` are left alone: an upload stores its file before its row
    commits, and a request in progress holds its temporary file.
    """
    storage = Evidence._meta.get_field("file").storage
    found = StorageLeftovers()
    named = set(Evidence.objects.values_list("file", flat=True))
    oldest = timezone.now() - min_age
    for name in _stored_names(storage, EVIDENCE_FOLDER):
        if name in named or storage.get_modified_time(name) > oldest:
            continue
        found.files_without_row.append((name, storage.size(name)))
        if remove:
            storage.delete(name)
    for evidence in Evidence.objects.select_related("agency").order_by("pk"):
        if not storage.exists(evidence.file.name):
            found.rows_without_file.append(evidence)
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    for path in sorted(folder.glob(f"tmp*{TEMPORARY_UPLOAD_MARK}*")):
        try:
            status = path.stat()
        except FileNotFoundError:
            continue
        # Only this service's own files, old enough not to belong to a request in progress.
        if (not path.is_file() or status.st_uid != os.getuid()
                or status.st_mtime > oldest.timestamp()):
            continue
        found.temporary_uploads.append((str(path), status.st_size))
        if remove:
            path.unlink(missing_ok=True)
    return found


def _stored_names(storage: Storage, folder: str) -> Iterator[str]:
    """Yield the names of the files under ``folder`` in ``storage``, every level down."""
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for child in sorted(folders):
        yield from _stored_names(storage, posixpath.join(folder, child))
