"""The change history: who changed what, when, how, and the figures before and after."""


from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans.models.planning import Plan, Target
from plans.models.reporting import Submission
from plans.models.results import Result


class Change(models.Model):
    """One change to a result or a target: who, when, how, and the old and new figures."""

    class Channel(models.TextChoices):
        GRID = "grid", _("bảng nhập theo cấp")
        AGENCY = "agency", _("trang đơn vị")
        UPLOAD = "upload", _("tải tệp lên")
        ADMIN = "admin", _("trang quản trị")
        COMMAND = "command", _("lệnh quản trị")
        DEMO = "demo", _("dữ liệu mẫu")
        API = "api", _("API")

    result = models.ForeignKey(
        Result,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("kết quả"),
    )
    target = models.ForeignKey(
        Target,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("chỉ tiêu kế hoạch"),
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("kế hoạch"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("báo cáo của đơn vị"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thay đổi"),
    )
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    # The token a program wrote through (channel "api"); kept when the token is deleted.
    api_token = models.ForeignKey(
        "plans.ApiToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("mã truy cập API"),
    )
    channel = models.CharField(_("cách thay đổi"), max_length=10, choices=Channel.choices)
    old = models.JSONField(_("giá trị cũ"), null=True, blank=True)
    new = models.JSONField(_("giá trị mới"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch sử thay đổi")
        verbose_name_plural = pgettext_lazy("plural", "lịch sử thay đổi")
        ordering = ["-changed_at", "-pk"]
        # The admin's history (plans.admin.ChangeAdmin) at millions of entries: each index lets
        # a page read its 100 newest rows in order and stop, instead of sorting the table.
        indexes = [
            # The default order (-changed_at, -pk), the date filter (changed_at range), the
            # date hierarchy (year, month, day ranges and its first/last date).
            models.Index(fields=["-changed_at", "-id"], name="change_changed_at"),
            # The channel filter, alone or with a date range, newest first.
            models.Index(
                fields=["channel", "-changed_at", "-id"], name="change_channel_changed_at"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(result__isnull=False)
                    | Q(target__isnull=False)
                    | Q(plan__isnull=False)
                    | Q(submission__isnull=False)
                ),
                name="change_has_subject",
            ),
        ]

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.get_channel_display()}"
