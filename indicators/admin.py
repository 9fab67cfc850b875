from django.contrib import admin

from indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "group", "kind", "position"]
    list_display_links = ["code", "name_vi"]
    list_filter = ["group", "kind"]
    search_fields = ["code", "name_vi", "name_en"]
    ordering = ["position", "code"]
    fieldsets = [
        (None, {"fields": ["code", "name_vi", "name_en", "group", "kind", "position"]}),
        (None, {"fields": ["numerator_label", "denominator_label"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Files and history refer to an indicator by code, and the progress rules by kind:
        # once targets or results use it, neither may change.
        if obj is not None and (obj.targets.exists() or obj.results.exists()):
            return ["code", "kind"]
        return []
