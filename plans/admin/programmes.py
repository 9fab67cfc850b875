"""The admin of programmes: a programme with its end-year targets inline.

Plain single-form edits (no service): a programme target is checked by its own ``clean`` and
constraints, as a plan's target is.
"""

from django.contrib import admin

from plans.forms.admin_choices import VietnameseChoicesMixin, VietnameseRelatedFilter
from plans.models import Programme, ProgrammeTarget
from plans.words.collation import collated


class ProgrammeTargetInline(admin.TabularInline):
    model = ProgrammeTarget
    fields = ["indicator", "tiers", "comparator", "value", "unit"]
    extra = 1
    ordering = ["indicator__code", "tiers"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


@admin.register(Programme)
class ProgrammeAdmin(VietnameseChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "code", "province", "first_year", "last_year"]
    list_filter = [("province", VietnameseRelatedFilter)]
    list_select_related = ["province"]
    search_fields = ["code", "name"]
    # Expressions, as in ProvinceAdmin.ordering.
    ordering = [collated("province__name"), "-last_year", "code"]  # type: ignore[list-item]
    inlines = [ProgrammeTargetInline]
    fields = ["province", "code", "name", "first_year", "last_year"]
