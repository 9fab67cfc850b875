"""Evidence files behind an agency's figures: adding and deleting them, with their history.

The file is checked before anything is written: its size against ``EVIDENCE_MAX_BYTES`` and its
kind by its contents (plans.files.filetypes), then against the quotas (``EVIDENCE_QUOTA_*``: the
agency's year, the province, the account's last hour) once the plan is locked. It is then stored
under a name made by the server
(plans.models.evidence_file_name) and its row and history entry written in one transaction; a
failed transaction removes the stored file again. A deleted file leaves storage only after the
deletion has committed, so a rolled-back deletion never loses it.
"""

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.files.filetypes import FileTypeRefused, detect_type
from plans.models import Agency, Change, Evidence, Plan
from plans.services.history import change_record, evidence_snapshot
from plans.services.submissions import approved_agencies_locked
from plans.words.wording import approved_lock_message, plan_closed_message

# The lengths of the model's fields (Evidence.original_name, Evidence.description).
ORIGINAL_NAME_MAX_LENGTH = 255
DESCRIPTION_MAX_LENGTH = 500


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


def evidence_usage(*, agency: Agency, year: int, user=None) -> EvidenceUsage:
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


def _refuse_over_quota(*, agency: Agency, year: int, user, name: str, size: int) -> None:
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


def _locked_open_plan(*, agency: Agency, year: int, user) -> Plan:
    """Return the plan of ``agency``'s province for ``year``, locked; refuse a closed one, and
    refuse while ``agency``'s report is approved (the figures and their proof are what was
    approved) until an officer reopens it."""
    # Locked, so that closing the plan and adding or deleting a file cannot interleave.
    plan = (
        Plan.objects.select_for_update(of=("self",))
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
    if approved_agencies_locked(plan_ids=[plan.pk], agency_ids=[agency.pk]).get(
        (plan.pk, agency.pk)
    ):
        raise EvidenceRefused(approved_lock_message(agency.name, year))
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


def evidence_add(
    *,
    agency: Agency,
    year: int,
    indicator: Indicator | None,
    file: IO[bytes],
    original_name: str,
    description: str,
    user,
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
    stored = None
    try:
        with transaction.atomic():
            plan = _locked_open_plan(agency=agency, year=year, user=user)
            # After the plan's lock: two uploads of the agency's year cannot both fit the rest.
            _refuse_over_quota(agency=agency, year=year, user=user, name=evidence.original_name,
                               size=size)
            # The name comes from evidence_file_name; the person's is not used for storage.
            evidence.file.save("upload", File(file), save=False)
            stored = evidence.file.name
            evidence.full_clean()
            evidence.save()
            change_record(
                subject=evidence, user=user, channel=channel, old=None,
                new=evidence_snapshot(evidence), plan=plan,
            )
    except BaseException:
        if stored:
            evidence.file.storage.delete(stored)
        raise
    return evidence


def evidence_delete(*, evidence: Evidence, user, channel: str = Change.Channel.AGENCY) -> None:
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
