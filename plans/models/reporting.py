"""An agency's report for a plan (its submission) and the evidence files behind its figures."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov_targets.vocabulary import (
    STORED_SUBMISSION_STATES,
    SubmissionState,
)
from indicators.models import Indicator
from plans.files.filetypes import ALLOWED as ALLOWED_TYPES
from plans.files.filetypes import BY_CONTENT_TYPE
from plans.models.places import MAX_YEAR, MIN_YEAR, Agency, year_validators
from plans.models.planning import Plan


class Submission(models.Model):
    """An agency's report for a plan: submitted, returned with a reason, approved, reopened.

    No row means the agency has not submitted yet (not started, or draft once it has a result
    for the plan's year). ``version`` grows by one on every transition so that two officers
    acting at once are told when the other came first. Which move goes from which state, and
    who may make it, is the table of plans.rules.cycle; the moves are made by
    plans.services.submissions only.
    """

    State = SubmissionState

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("kế hoạch")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("đơn vị")
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=SubmissionState.choices,
        default=SubmissionState.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("người gửi"),
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("người duyệt"),
    )
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("người trả lại"),
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("người mở lại"),
    )
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("người rút lại"),
    )
    late = models.BooleanField(_("gửi muộn"), default=False)
    # The digest of the agency's figures for the plan's year when last approved, so that the
    # status board can tell figures changed since (e.g. after a reopening).
    approved_results_digest = models.CharField(
        _("dấu số liệu khi duyệt"), max_length=64, blank=True
    )
    # The digest of the figures when last submitted, so that the status board and the agency
    # page can tell figures changed since (an officer's correction, whatever the channel).
    submitted_results_digest = models.CharField(
        _("dấu số liệu khi gửi"), max_length=64, blank=True
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo của đơn vị")
        ordering = ["plan", "agency__tier", "agency__code"]
        constraints = [
            # One report per agency and plan; the services lock and update this row.
            models.UniqueConstraint(
                fields=["plan", "agency"],
                name="submission_one_per_plan_agency",
                violation_error_message=_("Đơn vị đã có báo cáo cho kế hoạch này."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=[state.value for state in STORED_SUBMISSION_STATES]),
                name="submission_state_valid",
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.plan}: {self.get_state_display()}"

    def clean(self):
        if (
            self.plan_id
            and self.agency_id
            and self.plan.province_id != self.agency.province_id
        ):
            raise ValidationError({"agency": _("Đơn vị phải thuộc tỉnh của kế hoạch.")})

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED


def evidence_file_name(evidence: "Evidence", filename: str) -> str:
    """Return where an evidence file is stored: a name made here, never the person's.

    ``evidence/<province code>/<year>/<uuid4 hex><extension of the detected type>``; the
    person's file name is kept as ``original_name`` only. ``content_type`` and ``agency`` are
    set before the file is saved (plans.services.evidence).
    """
    extension = BY_CONTENT_TYPE[evidence.content_type].extension
    return (
        f"evidence/{evidence.agency.province.code}/{evidence.year}/{uuid.uuid4().hex}{extension}"
    )


class Evidence(models.Model):
    """A file that backs an agency's result for a year: one indicator's, or the whole report's.

    Written by plans.services.evidence only: the file is checked by its contents
    (plans.files.filetypes) and served by an access-checked view, never from a public address.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=year_validators)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("chỉ tiêu"),
        help_text=_("Để trống: tài liệu của cả báo cáo năm."),
    )
    file = models.FileField(_("tệp"), upload_to=evidence_file_name, max_length=255)
    # plans.services.evidence trims the person's name and the description to these lengths.
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = pgettext_lazy("plural", "tài liệu minh chứng")
        ordering = ["uploaded_at", "pk"]
        indexes = [
            # The agency page lists an agency's files of one year.
            models.Index(fields=["agency", "year"], name="evidence_agency_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="evidence_year_range"
            ),
            # The download view serves the stored type; only the detected, allowed ones.
            models.CheckConstraint(
                condition=Q(content_type__in=[t.content_type for t in ALLOWED_TYPES]),
                name="evidence_content_type_allowed",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def download_name(self) -> str:
        """Return the name the file downloads under: the person's, with the extension of the
        type its contents were found to be (``chay.bat`` found to be a PDF is ``chay.pdf``), so
        that opening it opens what it is, never a program."""
        return BY_CONTENT_TYPE[self.content_type].file_name(self.original_name)
