"""What an agency reports for a year and an indicator, and the rule its figures keep."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from indicators.models import Indicator
from plans.models.places import MAX_YEAR, MIN_YEAR, Agency, year_validators
from plans.rules.limits import NOTE_MAX_LENGTH


class Result(models.Model):
    """What one agency reported for one indicator in one year.

    ``value`` holds a yes/no answer (1 or 0) or a count; ``numerator`` and ``denominator`` hold
    a ratio. ``version`` grows by one on every change so that a stale save is detected.
    """

    year = models.PositiveSmallIntegerField(_("năm"), validators=year_validators)
    # No index of its own: the unique key (agency, year, indicator) below starts with the
    # agency and serves every lookup by agency; one index less to write per imported row.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name=_("đơn vị"),
        db_index=False,
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="results", verbose_name=_("chỉ tiêu")
    )
    value = models.PositiveBigIntegerField(_("giá trị"), null=True, blank=True)
    numerator = models.PositiveBigIntegerField(_("tử số"), null=True, blank=True)
    denominator = models.PositiveBigIntegerField(_("mẫu số"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=NOTE_MAX_LENGTH, blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kết quả")
        verbose_name_plural = pgettext_lazy("plural", "kết quả")
        ordering = ["year", "agency__code", "indicator__code"]
        indexes = [
            # Progress sums (selectors.result_tallies, untargeted_figures, has_sample_results):
            # the results of a year, of one province's agencies (dashboards, exports) or of the
            # whole country (the comparison page), summed by agency tier. Year first, then
            # agency: a province is one short range per agency, the country one range. Every
            # column those queries read is in the key, so both databases answer from the index
            # alone (PostgreSQL's index-only scan, SQLite's covering index) without visiting
            # the table; INCLUDE would do on PostgreSQL only.
            models.Index(
                fields=[
                    "year", "agency", "indicator", "value", "numerator", "denominator",
                    "is_sample",
                ],
                name="result_year_agency_cover",
            ),
            # Sample results (the demo's, marked on every page): a page asks whether its
            # province-year has any, and the answer is almost always no. Only sample rows are
            # in this index, so "none" is one empty lookup instead of a walk over the year's
            # results of the province.
            models.Index(
                fields=["year", "agency"], condition=Q(is_sample=True), name="result_sample",
            ),
        ]
        constraints = [
            # results.csv is keyed on (year, agency, indicator); the unique index also serves
            # the agency page (agency first).
            models.UniqueConstraint(
                fields=["agency", "year", "indicator"],
                name="result_one_per_agency_year_indicator",
                violation_error_message=_("Đơn vị đã có kết quả chỉ tiêu này cho năm này."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="result_year_range"
            ),
            # Either a single value (yes/no, count) or a full ratio, never a mix.
            models.CheckConstraint(
                condition=(
                    Q(value__isnull=False, numerator__isnull=True, denominator__isnull=True)
                    | Q(value__isnull=True, numerator__isnull=False, denominator__isnull=False)
                ),
                name="result_value_or_ratio",
                violation_error_message=_("Nhập hoặc giá trị, hoặc cả tử số và mẫu số."),
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__lte=F("denominator")),
                name="result_numerator_le_denominator",
                violation_error_message=_("Tử số không được lớn hơn mẫu số."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.agency.code} {self.indicator.code}: {self.display_value()}"

    def clean(self):
        if not (self.indicator_id and self.agency_id):
            return
        errors = result_errors(
            kind=self.indicator.kind,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
        )
        if self.year and not self.agency.is_active_in(self.year):
            errors.setdefault("year", []).append(
                _("Đơn vị %(agency)s không hoạt động trong năm %(year)s.")
                % {"agency": self.agency.code, "year": self.year}
            )
        if errors:
            raise ValidationError(errors)

    def display_value(self) -> str:
        if self.numerator is not None:
            return f"{self.numerator}/{self.denominator}"
        if self.indicator.kind == Indicator.Kind.YES_NO:
            return str(_("Có") if self.value else _("Không"))
        return str(self.value)

    def as_dict(self) -> dict:
        """Return the reported figures, as kept in the change history."""
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "note": self.note,
        }


def result_errors(*, kind, value, numerator, denominator) -> dict[str, list]:
    """Return the field errors of a result's figures for an indicator of ``kind``."""
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if kind == Indicator.Kind.RATIO:
        if value is not None:
            add("value", _("Chỉ tiêu tỉ lệ nhập tử số và mẫu số, không nhập giá trị."))
        if numerator is None:
            add("numerator", _("Chưa nhập tử số."))
        if denominator is None:
            add("denominator", _("Chưa nhập mẫu số."))
        if numerator is not None and denominator is not None and numerator > denominator:
            add(
                "numerator",
                _("Tử số (%(numerator)s) không được lớn hơn mẫu số (%(denominator)s).")
                % {"numerator": numerator, "denominator": denominator},
            )
    else:
        if numerator is not None or denominator is not None:
            add("numerator", _("Chỉ tiêu này chỉ nhập giá trị, không nhập tử số và mẫu số."))
        if value is None:
            add("value", _("Chưa nhập giá trị."))
        elif kind == Indicator.Kind.YES_NO and value not in (0, 1):
            add("value", _("Chỉ tiêu có/không chỉ nhận 1 (có) hoặc 0 (không)."))
    for field, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if number is not None and number < 0:
            add(field, _("Số liệu không được âm."))
    return errors
