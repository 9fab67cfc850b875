"""A province's multi-year programmes and the targets they set for their last year."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov_targets.vocabulary import Comparator, Unit
from indicators.models import Indicator
from plans.models.places import Province, year_validators
from plans.models.planning import Target
from plans.rules.parsing import AGENCY_CODE_REGEX
from plans.rules.tiers import parse_tiers, tiers_in_words

PROGRAMME_CODE_RULE = _(
    "Mã chương trình chỉ gồm chữ cái không dấu, chữ số và các dấu “-”, “_”, “.”, bắt đầu "
    "bằng chữ cái hoặc chữ số, ví dụ KH-2021-2025."
)


class Programme(models.Model):
    """A multi-year programme of a province (a five-year plan, a national programme's part)."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("tỉnh")
    )
    code = models.CharField(
        _("mã chương trình"),
        max_length=40,
        validators=[RegexValidator(AGENCY_CODE_REGEX, PROGRAMME_CODE_RULE)],
        help_text=PROGRAMME_CODE_RULE,
    )
    name = models.CharField(_("tên chương trình"), max_length=300)
    first_year = models.PositiveSmallIntegerField(_("từ năm"), validators=year_validators)
    last_year = models.PositiveSmallIntegerField(_("đến năm"), validators=year_validators)

    class Meta:
        verbose_name = _("chương trình nhiều năm")
        verbose_name_plural = pgettext_lazy("plural", "chương trình nhiều năm")
        ordering = ["province__name", "-last_year", "code"]
        constraints = [
            # programmes.csv and the programme page's address find a programme by its code
            # within its province.
            models.UniqueConstraint(
                fields=["province", "code"],
                name="programme_one_code_per_province",
                violation_error_message=_("Tỉnh này đã có chương trình mang mã này."),
            ),
            models.CheckConstraint(
                condition=Q(first_year__lte=F("last_year")),
                name="programme_years_in_order",
                violation_error_message=_("Năm bắt đầu phải trước hoặc bằng năm kết thúc."),
            ),
            # The code is a path segment of the programme page (plans/urls/dashboard.py).
            models.CheckConstraint(
                condition=~Q(code__regex=r"[^-A-Za-z0-9._]") & Q(code__regex=r"^[A-Za-z0-9]"),
                name="programme_code_alphabet",
                violation_error_message=PROGRAMME_CODE_RULE,
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.first_year}–{self.last_year})"

    def get_absolute_url(self):
        return reverse("plans:dashboard_programme", args=[self.province.code, self.code])


class ProgrammeTarget(models.Model):
    """What a programme sets for its last year: an indicator, a scope, a comparator, a value."""

    Comparator = Comparator
    Unit = Unit

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="targets",
        verbose_name=_("chương trình"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="programme_targets",
        verbose_name=_("chỉ tiêu"),
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

    class Meta:
        verbose_name = _("chỉ tiêu của chương trình")
        verbose_name_plural = pgettext_lazy("plural", "chỉ tiêu của chương trình")
        ordering = ["indicator__code", "tiers"]
        constraints = [
            # programmes.csv is keyed on (province, programme, indicator, tiers); tiers is
            # stored in canonical order, as a plan's targets are.
            models.UniqueConstraint(
                fields=["programme", "indicator", "tiers"],
                name="programme_target_one_per_indicator_tiers",
                violation_error_message=_(
                    "Chương trình đã có chỉ tiêu này cho cùng phạm vi."
                ),
            ),
            models.CheckConstraint(
                condition=Q(comparator__in=Comparator.values),
                name="programme_target_comparator_valid",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=Unit.values), name="programme_target_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(unit=Unit.COUNT) | Q(value__gte=0, value__lte=100),
                name="programme_target_percent_0_100",
                violation_error_message=_("Chỉ tiêu phần trăm phải nằm trong khoảng 0–100."),
            ),
            models.CheckConstraint(
                condition=Q(unit=Unit.PERCENT) | Q(value__gte=0, value=Floor(F("value"))),
                name="programme_target_count_whole",
                violation_error_message=_("Chỉ tiêu số lượng phải là số nguyên không âm."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} ({self.tiers}) {self.comparator} {self.value}"

    def clean(self):
        # A programme target is read by the rules of a plan's target: the same check, once.
        as_target = Target(
            indicator_id=self.indicator_id, tiers=self.tiers, comparator=self.comparator,
            value=self.value, unit=self.unit,
        )
        if self.indicator_id:
            as_target.indicator = self.indicator
        try:
            as_target.clean()
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        self.tiers = as_target.tiers

    @property
    def tier_list(self) -> tuple[str, ...]:
        return parse_tiers(self.tiers)

    def scope_in_words(self) -> str:
        return tiers_in_words(self.tier_list)

    def value_display(self):
        """Return the value without a trailing .0 for whole numbers (as Target does)."""
        return Target.value_display(self)  # type: ignore[arg-type]
