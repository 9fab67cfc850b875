"""Forms of the Django admin: tiers as checkboxes, plan status rules, profile rules."""

from decimal import Decimal

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.forms.models import BaseInlineFormSet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from plans.models import Plan, Profile, Result, Target
from plans.policy.access import role_of
from plans.rules.limits import plain_decimal
from plans.rules.tiers import TIER_ORDER, Tier, TiersError, parse_tiers

INDICATOR_LABEL_CHARS = 40


class TiersField(forms.MultipleChoiceField):
    """The four tiers as checkboxes, cleaned to the text form ``department+district``.

    The ticked values are not checked here: ``Target.clean`` validates and normalises every
    tiers text, whichever way it arrives, so that there is one message for a bad tier.
    """

    # The admin's own "nowrap" class keeps each box on one line with its tier's name; in a
    # narrow table column "sở, ban, ngành tỉnh" would otherwise break at every space.
    widget = forms.CheckboxSelectMultiple(attrs={"class": "nowrap"})

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Tier.choices)
        kwargs.setdefault("error_messages", {"required": _("Chọn ít nhất một cấp.")})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            try:
                return list(parse_tiers(value))
            except TiersError:
                return [part.strip() for part in value.split("+")]
        return value

    def to_python(self, value):
        # Canonical order, so that two rows ticking the same tiers are seen as the same key.
        rank = {tier: index for index, tier in enumerate(TIER_ORDER)}
        values = sorted(super().to_python(value), key=lambda v: rank.get(v, len(rank)))
        return "+".join(values)

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        initial_set = set(self.prepare_value(initial) or ())
        data_set = set(self.prepare_value(data) or ())
        return initial_set != data_set


class TargetAdminForm(forms.ModelForm):
    tiers = TiersField(label=Target._meta.get_field("tiers").verbose_name)

    class Meta:
        model = Target
        fields = ["indicator", "tiers", "comparator", "value", "unit", "note", "position"]
        # Narrower than the admin's defaults (20em text, a browser-wide number box), so that a
        # row of the plan's targets fits beside the admin's sidebar.
        widgets = {
            "value": forms.NumberInput(attrs={"class": "vIntegerField"}),
            "note": forms.TextInput(attrs={"size": 16}),
            "position": forms.NumberInput(attrs={"class": "vPositiveSmallIntegerField"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.value is not None:
            # The stored Decimal has one place: a count target reads "3", not "3.0". A Decimal,
            # not text, so that an unchanged value compares equal to the posted one and the
            # row is not taken for changed (nor logged as such in the admin's history).
            self.initial["value"] = Decimal(plain_decimal(self.instance.value))


class TargetInlineFormSet(BaseInlineFormSet):
    """Inline targets of a plan; the indicator list is read once, not once per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._indicator_choices = None

    def indicator_choices(self):
        if self._indicator_choices is None:
            # Short labels leave the row room for the four tier boxes; the code names it.
            self._indicator_choices = [("", "---------")] + [
                (indicator.pk, Truncator(str(indicator)).chars(INDICATOR_LABEL_CHARS))
                for indicator in Indicator.objects.all()
            ]
        return self._indicator_choices

    def get_unique_error_message(self, unique_check):
        """Say a target is there twice in the words of its constraint, not its field names."""
        for constraint in Target._meta.constraints:
            if set(getattr(constraint, "fields", ())) == set(unique_check):
                return constraint.violation_error_message
        return super().get_unique_error_message(unique_check)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get("indicator")
        if field is None:
            return
        widget = field.widget
        if isinstance(widget, RelatedFieldWidgetWrapper):
            # A target row is no place to edit or delete the catalogue.
            widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
            widget = widget.widget
        widget.choices = self.indicator_choices()


class PlanAdminForm(forms.ModelForm):
    """The plan form; only an admin may take a plan out of the closed status."""

    # The user saving the form, set on the form class by PlanAdmin.get_form.
    user: AbstractBaseUser | AnonymousUser | None = None

    class Meta:
        model = Plan
        fields = [
            "province", "year", "title", "document_number", "document_date", "report_number",
            "status", "tasks", "is_sample",
        ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        was_closed = self.instance.pk and self.initial.get("status") == Plan.Status.CLOSED
        if (
            was_closed
            and status != Plan.Status.CLOSED
            and role_of(self.user) != Profile.Role.ADMIN
        ):
            raise forms.ValidationError(
                _("Chỉ quản trị viên mới được mở lại kế hoạch đã tổng kết.")
            )
        return status


class ResultAdminForm(forms.ModelForm):
    """A result in the admin; carries the version the form was opened on, so that a save made
    by someone else in the meantime is refused instead of overwritten."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Result
        fields = [
            "year", "agency", "indicator", "value", "numerator", "denominator", "note",
            "is_sample",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean returns cleaned_data
        instance = self.instance
        if instance.pk and cleaned.get("seen_version") != instance.version:
            raise forms.ValidationError(
                _(
                    "%(who)s đã lưu kết quả này sau khi bạn mở trang (số liệu hiện tại: "
                    "%(figures)s). Hãy mở lại trang để xem rồi sửa."
                )
                % {
                    "who": instance.updated_by or _("Người khác"),
                    "figures": instance.display_value(),
                }
            )
        # On a change the key fields are read-only and only the instance has them.
        year = cleaned.get("year", instance.year)
        agency = cleaned.get("agency") or (instance.agency if instance.agency_id else None)
        if year and agency:
            plan = Plan.objects.filter(province_id=agency.province_id, year=year).first()
            if plan is None:
                raise forms.ValidationError(
                    _("Tỉnh %(province)s chưa có kế hoạch năm %(year)s nên chưa nhập được "
                      "kết quả.") % {"province": agency.province, "year": year}
                )
            if plan.is_closed:
                raise forms.ValidationError(
                    _("Kế hoạch năm %(year)s của tỉnh %(province)s đã tổng kết: kết quả chỉ còn "
                      "để xem. Hãy mở lại kế hoạch trước khi sửa.")
                    % {"province": agency.province, "year": year}
                )
        return cleaned
