"""Where figures come from: provinces, their agencies, and the people who may read or write them."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov_targets.vocabulary import (
    Role,
    Tier,
)
from plans.rules.parsing import AGENCY_CODE_REGEX, AGENCY_CODE_RULE

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
    # The 2025 merger (provinces.csv): a province ends on a day and its territory goes on under
    # its successor, whose pre-merger figures are its predecessors' (plans.selectors.territory).
    active_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("tỉnh kế thừa"),
        help_text=_("Tỉnh tiếp nhận địa bàn khi tỉnh này kết thúc (sáp nhập)."),
    )

    class Meta:
        verbose_name = _("tỉnh")
        verbose_name_plural = pgettext_lazy("plural", "tỉnh")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_to__isnull=True)
                | Q(active_from__lte=F("active_to")),
                name="province_active_range",
                violation_error_message=_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."),
            ),
            # A successor takes over when the province ends: no successor without an end.
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(active_to__isnull=False),
                name="province_successor_after_end",
                violation_error_message=_("Chỉ tỉnh đã kết thúc mới có tỉnh kế thừa."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("pk")),
                name="province_not_own_successor",
                violation_error_message=_("Một tỉnh không thể kế thừa chính nó."),
            ),
        ]

    def __str__(self):
        return self.name

    def is_active_in(self, year: int) -> bool:
        """Return True if the province exists on some day of ``year`` (a blank bound is open)."""
        return active_in_year(
            self.active_from.year if self.active_from else None,
            self.active_to.year if self.active_to else None,
            year,
        )


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
            # Entry pages put the code in their addresses (plans/urls/entry.py); the imports and
            # the admin check it first, in words (plans.rules.parsing). Written as "no character
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
        province and tier, as set by plans.selectors.naming.name_agencies; the plain name until
        then."""
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
