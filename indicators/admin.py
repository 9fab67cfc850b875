from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
        (
            _("Dữ liệu đặc tả"),
            {
                "description": _(
                    "Hiện trên trang định nghĩa của chỉ tiêu. Để trống bản tiếng Anh thì trang "
                    "tiếng Anh hiện bản tiếng Việt."
                ),
                "fields": [
                    ("concept_vi", "concept_en"),
                    ("numerator_definition_vi", "numerator_definition_en"),
                    ("denominator_definition_vi", "denominator_definition_en"),
                    ("formula_vi", "formula_en"),
                    ("legal_basis_vi", "legal_basis_en"),
                    ("source_vi", "source_en"),
                ],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Files and history refer to an indicator by code, and the progress rules by kind:
        # once targets or results use it, neither may change.
        if obj is not None and (obj.targets.exists() or obj.results.exists()):
            return ["code", "kind"]
        return []
