from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from egov_targets.vocabulary import Group, Kind


class Indicator(models.Model):
    """One measurable indicator of the catalogue, e.g. OFFICIAL_EMAIL."""

    Kind = Kind
    Group = Group

    code = models.CharField(
        _("mã"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9_]*$",
                _(
                    "Mã chỉ gồm chữ in hoa không dấu, chữ số và dấu gạch dưới, ví dụ "
                    "OFFICIAL_EMAIL."
                ),
            )
        ],
    )
    name_vi = models.CharField(_("tên (tiếng Việt)"), max_length=255)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=255)
    group = models.CharField(_("nhóm"), max_length=20, choices=Group.choices)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    numerator_label = models.CharField(
        _("nhãn tử số / giá trị"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: “số cán bộ có hộp thư công vụ”, “số dịch vụ”."),
    )
    denominator_label = models.CharField(
        _("nhãn mẫu số"),
        max_length=120,
        blank=True,
        help_text=_("Chỉ dùng cho chỉ tiêu loại tỉ lệ, ví dụ “tổng số cán bộ”."),
    )
    position = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Thứ tự hiển thị trong danh mục và bảng nhập.")
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("danh mục chỉ tiêu")
        ordering = ["position", "code"]
        constraints = [
            # The progress rules only know these kinds and groups.
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values),
                name="indicator_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(group__in=Group.values),
                name="indicator_group_valid",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def name(self):
        """Return the name in the active language (Vietnamese unless English is active)."""
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi

    @property
    def breakable_code(self) -> str:
        """Return the code with a zero-width space after each underscore.

        A narrow column header (the entry grid's) can then wrap the code there.
        """
        return self.code.replace("_", "_\u200b")
