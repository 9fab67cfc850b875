import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Floor
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov_targets.vocabulary import (
    STORED_SUBMISSION_STATES,
    Comparator,
    PlanStatus,
    Role,
    SubmissionState,
    Tier,
    Unit,
)
from indicators.models import Indicator
from plans.filetypes import ALLOWED as ALLOWED_TYPES
from plans.parsing import AGENCY_CODE_REGEX, AGENCY_CODE_RULE
from plans.rules import NOTE_MAX_LENGTH
from plans.tiers import TiersError, format_tiers, parse_tiers, tiers_in_words

MIN_YEAR = 2000
MAX_YEAR = 2100
year_validators = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


class Province(models.Model):
    """A province, keyed by its official statistics-office code (``33`` Hưng Yên)."""

    code = models.CharField(
        _("mã tỉnh"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{1,8}$", _("Mã tỉnh chỉ gồm chữ số, ví dụ 91."))],
        help_text=_("Mã đơn vị hành chính của Tổng cục Thống kê, ví dụ 91 (Kiên Giang)."),
    )
    name = models.CharField(_("tên tỉnh"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("tỉnh")
        verbose_name_plural = pgettext_lazy("plural", "tỉnh")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """A reporting agency: the provincial committee, a department, a district or commune."""

    Tier = Tier

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("tỉnh")
    )
    code = models.CharField(
        _("mã đơn vị"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(AGENCY_CODE_REGEX, AGENCY_CODE_RULE)],
        help_text=format_lazy("{} {}", _("Ví dụ 91-SNV."), AGENCY_CODE_RULE),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    tier = models.CharField(_("cấp"), max_length=12, choices=Tier.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    active_from = models.PositiveSmallIntegerField(
        _("hoạt động từ năm"), null=True, blank=True, validators=year_validators
    )
    active_to = models.PositiveSmallIntegerField(
        _("hoạt động đến năm"), null=True, blank=True, validators=year_validators
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị")
        ordering = ["province", "tier", "name"]
        indexes = [
            # Scope of a target: a province's agencies of some tiers, filtered by year.
            models.Index(fields=["province", "tier"], name="agency_province_tier"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=Tier.values), name="agency_tier_valid"),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_to__isnull=True)
                | Q(active_from__lte=F("active_to")),
                name="agency_active_range",
                violation_error_message=_(
                    "Năm bắt đầu hoạt động phải trước hoặc bằng năm kết thúc."
                ),
            ),
            # Entry pages put the code in their addresses (plans/urls_entry.py); the imports and
            # the admin check it first, in words (plans.parsing). Written as "no character
            # outside the alphabet, a letter or digit first", not one anchored pattern: "$" lets
            # a final newline through in Python's re (Django's REGEXP on SQLite) and not in
            # PostgreSQL, while "[^...]" and "^" read the same in both, and in the sqlite3
            # shell's own REGEXP (which needs the "-" first in the brackets), so it can still
            # write agencies.
            models.CheckConstraint(
                condition=~Q(code__regex=r"[^-A-Za-z0-9._]") & Q(code__regex=r"^[A-Za-z0-9]"),
                name="agency_code_alphabet",
                violation_error_message=AGENCY_CODE_RULE,
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """Return the name people read: with its parent when the name is repeated in the
        province and tier, as set by plans.naming.name_agencies; the plain name until then."""
        return self.__dict__.get("_display_name") or self.name

    @display_name.setter
    def display_name(self, value: str) -> None:
        self.__dict__["_display_name"] = value

    def clean(self):
        if (
            self.parent_id
            and self.province_id
            and self.parent is not None
            and self.parent.province_id != self.province_id
        ):
            raise ValidationError({"parent": _("Đơn vị cấp trên phải thuộc cùng tỉnh.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Một đơn vị không thể là cấp trên của chính nó.")})

    def is_active_in(self, year: int) -> bool:
        """Return True if the agency exists in ``year``."""
        return active_in_year(self.active_from, self.active_to, year)

    @staticmethod
    def active_in(year: int | F, *, via: str = "") -> Q:
        """Return the filter for agencies active in ``year`` (a blank bound is open).

        ``via`` is the path from the queried model to the agency (``"agency"`` to filter
        results); ``year`` may be an expression, e.g. ``F("year")`` for each result's own year.
        """
        prefix = f"{via}__" if via else ""
        return (
            Q(**{f"{prefix}active_from__isnull": True}) | Q(**{f"{prefix}active_from__lte": year})
        ) & (Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gte": year}))


def active_in_year(active_from: int | None, active_to: int | None, year: int) -> bool:
    """Return True if the years ``active_from`` to ``active_to`` hold ``year``.

    docs/FORMATS.md's rule for an agency active in a year, a blank bound being open;
    Agency.active_in is the same rule as a filter. For callers that hold the bounds without an
    Agency (grouped counts, the demo's CSV rows).
    """
    return (active_from is None or active_from <= year) and (active_to is None or year <= active_to)


class Profile(models.Model):
    """What a user may do, and for which provinces."""

    Role = Role

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("tài khoản"),
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices)
    provinces = models.ManyToManyField(
        Province, blank=True, related_name="profiles", verbose_name=_("các tỉnh")
    )
    all_provinces = models.BooleanField(
        _("tất cả các tỉnh"),
        default=False,
        help_text=_("Người dùng cấp trung ương: xem được mọi tỉnh."),
    )
    agencies = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="reporters",
        verbose_name=_("các đơn vị báo cáo"),
        help_text=_("Cán bộ báo cáo: các đơn vị mà người dùng gửi báo cáo thay mặt."),
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = pgettext_lazy("plural", "phân quyền")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="profile_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


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


class Submission(models.Model):
    """An agency's report for a plan: submitted, returned with a reason, approved, reopened.

    No row means the agency has not submitted yet (not started, or draft once it has a result
    for the plan's year). ``version`` grows by one on every transition so that two officers
    acting at once are told when the other came first. Transitions are made by
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
    late = models.BooleanField(_("gửi muộn"), default=False)
    # The digest of the agency's figures for the plan's year when last approved, so that the
    # status board can tell figures changed since (e.g. after a reopening).
    approved_results_digest = models.CharField(
        _("dấu số liệu khi duyệt"), max_length=64, blank=True
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


class Change(models.Model):
    """One change to a result or a target: who, when, how, and the old and new figures."""

    class Channel(models.TextChoices):
        GRID = "grid", _("bảng nhập theo cấp")
        AGENCY = "agency", _("trang đơn vị")
        UPLOAD = "upload", _("tải tệp lên")
        ADMIN = "admin", _("trang quản trị")
        COMMAND = "command", _("lệnh quản trị")
        DEMO = "demo", _("dữ liệu mẫu")

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


def evidence_file_name(evidence: "Evidence", filename: str) -> str:
    """Return where an evidence file is stored: a name made here, never the person's.

    ``evidence/<province code>/<year>/<uuid4 hex><extension of the detected type>``; the
    person's file name is kept as ``original_name`` only. ``content_type`` and ``agency`` are
    set before the file is saved (plans.services.evidence).
    """
    extension = {t.content_type: t.extension for t in ALLOWED_TYPES}[evidence.content_type]
    return (
        f"evidence/{evidence.agency.province.code}/{evidence.year}/{uuid.uuid4().hex}{extension}"
    )


class Evidence(models.Model):
    """A file that backs an agency's result for a year: one indicator's, or the whole report's.

    Written by plans.services.evidence only: the file is checked by its contents
    (plans.filetypes) and served by an access-checked view, never from a public address.
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
