"""A province's yearly plan and its targets."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Floor
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov_targets.vocabulary import (
    Comparator,
    PlanStatus,
    Unit,
)
from indicators.models import Indicator
from plans.models.places import MAX_YEAR, MIN_YEAR, Province, year_validators
from plans.rules.limits import NOTE_MAX_LENGTH
from plans.rules.tiers import TiersError, format_tiers, parse_tiers, tiers_in_words


class Plan(models.Model):
    """A province's IT-application plan for one year, with its targets."""

    Status = PlanStatus

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="plans", verbose_name=_("tỉnh")
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=year_validators)
    title = models.CharField(_("tên kế hoạch"), max_length=300, blank=True)
    document_number = models.CharField(
        _("số văn bản"), max_length=60, blank=True, help_text=_("Ví dụ: 123/KH-UBND.")
    )
    document_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    report_number = models.CharField(
        _("số báo cáo"),
        max_length=60,
        blank=True,
        help_text=_(
            "Số của báo cáo in, ví dụ: 15/BC-BCĐ. Để trống thì báo cáo in chừa chỗ để điền tay."
        ),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    tasks = models.TextField(
        _("nhiệm vụ không định lượng"),
        blank=True,
        help_text=_("Các mục tiêu, nhiệm vụ không có số liệu, mỗi dòng một nhiệm vụ."),
    )
    is_sample = models.BooleanField(
        _("dữ liệu mẫu"),
        default=False,
        help_text=_("Số liệu minh họa, không phải số liệu công bố."),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tổng kết"),
    )
    closed_at = models.DateTimeField(_("thời điểm tổng kết"), null=True, blank=True)
    # What the cycle left behind when the plan was closed: {report state: [agency names]} of
    # the in-scope reports not approved then (plans.selectors.cycle); emptied on reopening.
    pending_at_close = models.JSONField(
        _("báo cáo chưa duyệt khi tổng kết"), default=dict, blank=True, editable=False
    )
    report_deadline = models.DateField(
        _("hạn gửi báo cáo"),
        null=True,
        blank=True,
        help_text=_("Báo cáo gửi sau ngày này (giờ Việt Nam) được ghi là gửi muộn."),
    )
    data_cutoff = models.DateField(_("ngày chốt số liệu"), null=True, blank=True)

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = pgettext_lazy("plural", "kế hoạch năm")
        ordering = ["province__name", "-year"]
        constraints = [
            # Importing targets relies on one plan per province and year.
            models.UniqueConstraint(
                fields=["province", "year"],
                name="plan_one_per_province_year",
                violation_error_message=_("Tỉnh này đã có kế hoạch cho năm này."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="plan_year_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
        ]

    def __str__(self):
        return self.title or self.default_title()

    def default_title(self):
        return _("Kế hoạch ứng dụng CNTT năm %(year)s – tỉnh %(province)s") % {
            "year": self.year,
            "province": self.province.name if self.province_id else "",
        }

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED


class Target(models.Model):
    """One numeric target of a plan: indicator, scope, comparator and value."""

    Comparator = Comparator
    Unit = Unit

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("kế hoạch")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("chỉ tiêu")
    )
    tiers = models.CharField(
        _("phạm vi (các cấp)"),
        max_length=60,
        help_text=_("Các cấp nối bằng dấu +, ví dụ department+district, hoặc all."),
    )
    comparator = models.CharField(
        _("so sánh"), max_length=2, choices=Comparator.choices, default=Comparator.GTE
    )
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=1)
    unit = models.CharField(
        pgettext_lazy("unit of measure", "đơn vị"),
        max_length=10,
        choices=Unit.choices,
        default=Unit.PERCENT,
    )
    note = models.CharField(
        _("ghi chú"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("Ví dụ: chỉ tiêu như văn bản ghi."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu kế hoạch")
        verbose_name_plural = pgettext_lazy("plural", "chỉ tiêu kế hoạch")
        ordering = ["position", "indicator__code", "tiers"]
        constraints = [
            # targets.csv is keyed on (province, year, indicator, tiers); tiers is stored in
            # canonical order so that "district+department" and "department+district" collide.
            models.UniqueConstraint(
                fields=["plan", "indicator", "tiers"],
                name="target_one_per_plan_indicator_tiers",
                violation_error_message=_("Kế hoạch đã có chỉ tiêu này cho cùng phạm vi."),
            ),
            models.CheckConstraint(
                condition=Q(comparator__in=Comparator.values), name="target_comparator_valid"
            ),
            models.CheckConstraint(
                condition=Q(unit__in=Unit.values), name="target_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(unit=Unit.COUNT) | Q(value__gte=0, value__lte=100),
                name="target_percent_0_100",
                violation_error_message=_("Chỉ tiêu phần trăm phải nằm trong khoảng 0–100."),
            ),
            models.CheckConstraint(
                condition=Q(unit=Unit.PERCENT) | Q(value__gte=0, value=Floor(F("value"))),
                name="target_count_whole",
                violation_error_message=_("Chỉ tiêu số lượng phải là số nguyên không âm."),
            ),
        ]

    def __str__(self):
        try:
            scope = self.scope_in_words()
        except TiersError:
            # An unsaved target with a mistyped scope still needs a name in the error page.
            scope = self.tiers
        percent = " %" if self.unit == self.Unit.PERCENT else ""
        return f"{self.indicator.code} ({scope}) {self.comparator} {self.value_display()}{percent}"

    def clean(self):
        errors = {}
        try:
            self.tiers = format_tiers(parse_tiers(self.tiers))
        except TiersError as exc:
            errors["tiers"] = str(exc)
        if self.value is not None:
            if self.unit == self.Unit.PERCENT and not (0 <= self.value <= 100):
                errors["value"] = _(
                    "Chỉ tiêu phần trăm phải nằm trong khoảng 0–100 (nhận được %(value)s). "
                    "“Trên 100%%” không thể đạt được: hãy ghi 100."
                ) % {"value": self.value}
            elif self.unit == self.Unit.COUNT and (
                self.value < 0 or self.value != self.value.to_integral_value()
            ):
                errors["value"] = _(
                    "Chỉ tiêu số lượng phải là số nguyên không âm (nhận được %(value)s)."
                ) % {"value": self.value}
        if (
            self.indicator_id
            and self.indicator.kind == Indicator.Kind.COUNT
            and self.unit == self.Unit.PERCENT
        ):
            errors["unit"] = _(
                "Chỉ tiêu %(code)s là loại số lượng nên chỉ nhận đơn vị số lượng, không nhận %%."
            ) % {"code": self.indicator.code}
        if errors:
            raise ValidationError(errors)

    @property
    def tier_list(self) -> tuple[str, ...]:
        return parse_tiers(self.tiers)

    def scope_in_words(self) -> str:
        return tiers_in_words(self.tier_list)

    def value_display(self) -> Decimal:
        """Return the value without a trailing .0 for whole numbers."""
        if self.value == self.value.to_integral():
            return self.value.quantize(Decimal(1))
        return self.value
