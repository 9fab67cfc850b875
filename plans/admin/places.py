"""The admin of provinces and agencies."""


from django.contrib import admin
from django.db.models import Count
from django.urls import path as url_path
from django.utils.translation import gettext_lazy as _

from plans.forms.admin_choices import (
    AGENCY_AUTOCOMPLETE_URL_NAME,
    AgencyAutocompleteJsonView,
    AgencyChoicesMixin,
    VietnameseChoicesMixin,
    VietnameseRelatedFilter,
    limit_agency_field,
)
from plans.models import Agency, Plan, Province
from plans.rules.parsing import parse_ascii_int
from plans.words.collation import collated


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "agency_count", "plan_count"]
    # Vietnamese alphabetical order (plans.words.collation), on SQLite and PostgreSQL alike.
    search_fields = ["code", "name"]
    # Django's admin orders by expressions too; the stubs allow only field names.
    ordering = [collated("name")]  # type: ignore[list-item]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                agency_count=Count("agencies", distinct=True),
                plan_count=Count("plans", distinct=True),
            )
        )

    @admin.display(description=_("số đơn vị"), ordering="agency_count")
    def agency_count(self, province):
        return province.agency_count

    @admin.display(description=_("số kế hoạch"), ordering="plan_count")
    def plan_count(self, province):
        return province.plan_count


class ActiveInYearFilter(admin.SimpleListFilter):
    """Agencies active in a chosen year: the years that have a plan, and this year."""

    title = _("hoạt động trong năm")
    parameter_name = "active_in"

    def lookups(self, request, model_admin):
        years = set(Plan.objects.values_list("year", flat=True).distinct())
        return [(str(year), str(year)) for year in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        # A year is four ASCII digits; anything else ("²", "٢٠١٧", a number too large for the
        # column) leaves the list unfiltered rather than failing.
        year = parse_ascii_int(self.value(), max_digits=4)
        if year is not None:
            return queryset.filter(Agency.active_in(year))
        return queryset


@admin.register(Agency)
class AgencyAdmin(AgencyChoicesMixin, VietnameseChoicesMixin, admin.ModelAdmin):
    list_display = ["code", "name", "province", "tier", "parent", "active_from", "active_to"]
    list_display_links = ["code", "name"]
    list_filter = [("province", VietnameseRelatedFilter), "tier", ActiveInYearFilter]
    list_select_related = ["province", "parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    show_full_result_count = False
    # The model's order (province, tier, name), the names in Vietnamese alphabetical order.
    # Expressions, as in ProvinceAdmin.ordering.
    ordering = [collated("province__name"), "tier", collated("name"), "code"]  # type: ignore[list-item]
    fieldsets = [
        (None, {"fields": ["province", "code", "name", "tier", "parent"]}),
        (_("Thời gian hoạt động"), {"fields": ["active_from", "active_to"]}),
    ]

    def get_urls(self):
        # The agency autocompletes of every form ask here (plans.forms.admin_choices).
        autocomplete = self.admin_site.admin_view(
            AgencyAutocompleteJsonView.as_view(admin_site=self.admin_site)
        )
        return [
            url_path("autocomplete/", autocomplete, name=AGENCY_AUTOCOMPLETE_URL_NAME),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "parent" in form.base_fields:
            # A parent is of the same province.
            limit_agency_field(form.base_fields["parent"], [obj.province.code])
        return form
