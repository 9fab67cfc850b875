from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
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
    # The indicator's definition (dữ liệu đặc tả), shown on its definitions page: each text in
    # Vietnamese and in English, the English one read when English is active and it is filled.
    concept_vi = models.TextField(_("khái niệm (tiếng Việt)"), blank=True)
    concept_en = models.TextField(_("khái niệm (tiếng Anh)"), blank=True)
    numerator_definition_vi = models.TextField(
        _("tử số / giá trị đếm gì (tiếng Việt)"),
        blank=True,
        help_text=_("Với chỉ tiêu có/không: thế nào thì trả lời “có”."),
    )
    numerator_definition_en = models.TextField(
        _("tử số / giá trị đếm gì (tiếng Anh)"), blank=True
    )
    denominator_definition_vi = models.TextField(
        _("mẫu số đếm gì (tiếng Việt)"), blank=True
    )
    denominator_definition_en = models.TextField(_("mẫu số đếm gì (tiếng Anh)"), blank=True)
    formula_vi = models.TextField(_("công thức tính (tiếng Việt)"), blank=True)
    formula_en = models.TextField(_("công thức tính (tiếng Anh)"), blank=True)
    legal_basis_vi = models.TextField(_("căn cứ pháp lý (tiếng Việt)"), blank=True)
    legal_basis_en = models.TextField(_("căn cứ pháp lý (tiếng Anh)"), blank=True)
    source_vi = models.TextField(_("nguồn số liệu (tiếng Việt)"), blank=True)
    source_en = models.TextField(_("nguồn số liệu (tiếng Anh)"), blank=True)
    # A comparable series across a change of definition (Decree 42/2022 turned services at
    # level 3 and 4 into partly and fully online ones): from ``from_year`` on, this indicator
    # replaces ``predecessor``, and a trend shows the earlier years from the predecessor.
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("chỉ tiêu trước đây"),
        help_text=_("Chỉ tiêu mà chỉ tiêu này thay thế, ví dụ PUBLIC_SERVICES_L3."),
    )
    from_year = models.PositiveSmallIntegerField(
        _("thay thế từ năm"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Năm đầu tiên số liệu theo chỉ tiêu này thay cho chỉ tiêu trước đây."),
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
            # A trend splits a series at from_year: a predecessor needs its year, and the
            # other way round.
            models.CheckConstraint(
                condition=models.Q(predecessor__isnull=True, from_year__isnull=True)
                | models.Q(predecessor__isnull=False, from_year__isnull=False),
                name="indicator_predecessor_with_year",
                violation_error_message=_(
                    "Chỉ tiêu trước đây và năm thay thế phải ghi cùng nhau."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("pk")),
                name="indicator_not_own_predecessor",
                violation_error_message=_("Một chỉ tiêu không thể thay thế chính nó."),
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def get_absolute_url(self):
        return reverse("indicators:definition", args=[self.code])

    def in_language(self, field: str) -> str:
        """Return the text ``field`` (``name``, ``concept``, ...) in the active language.

        English when English is active and the English text is filled, else Vietnamese.
        """
        if (get_language() or "vi").startswith("en"):
            english = getattr(self, f"{field}_en")
            if english:
                return english
        return getattr(self, f"{field}_vi")

    @property
    def name(self):
        """Return the name in the active language (Vietnamese unless English is active)."""
        return self.in_language("name")

    @property
    def concept(self) -> str:
        return self.in_language("concept")

    @property
    def numerator_definition(self) -> str:
        return self.in_language("numerator_definition")

    @property
    def denominator_definition(self) -> str:
        return self.in_language("denominator_definition")

    @property
    def formula(self) -> str:
        return self.in_language("formula")

    @property
    def legal_basis(self) -> str:
        return self.in_language("legal_basis")

    @property
    def source(self) -> str:
        return self.in_language("source")

    @property
    def breakable_code(self) -> str:
        """Return the code with a zero-width space after each underscore.

        A narrow column header (the entry grid's) can then wrap the code there.
        """
        return self.code.replace("_", "_\u200b")
