"""The admin of a checklist target's items, reached from its plan's targets: the items are
written through plans.services.checklists, with their history on the target."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from plans.forms.admin_choices import VietnameseChoicesMixin, VietnameseRelatedFilter
from plans.models import Target, TargetItem
from plans.services.checklists import ItemsRefused, target_items_save


class TargetItemInline(admin.TabularInline):
    model = TargetItem
    fields = ["position", "name", "done", "done_on", "note", "agency", "evidence"]
    raw_id_fields = ["evidence"]
    extra = 1
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "evidence")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and request.resolver_match:
            # Only the agencies of the target's province.
            target_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = db_field.related_model.objects.filter(
                province__plans__targets__pk=target_id
            ).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.plan.is_closed)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.plan.is_closed)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.plan.is_closed)


@admin.register(Target)
class TargetAdmin(VietnameseChoicesMixin, admin.ModelAdmin):
    """A plan's target, to keep its checklist: the target itself is edited on its plan's page."""

    inlines = [TargetItemInline]
    list_display = ["__str__", "plan"]
    list_filter = [("plan__province", VietnameseRelatedFilter), "plan__year"]
    list_select_related = ["plan__province", "indicator"]
    search_fields = ["indicator__code", "indicator__name", "plan__province__name", "items__name"]
    fields = ["plan", "indicator", "tiers", "comparator", "value", "unit", "note"]
    readonly_fields = ["plan", "indicator", "tiers", "comparator", "value", "unit", "note"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan__province", "indicator")

    def has_add_permission(self, request):
        # A target is added on its plan's page, with the others.
        return False

    def save_formset(self, request, form, formset, change):
        saved = formset.save(commit=False)
        try:
            target_items_save(
                target=form.instance, saved=saved, deleted=formset.deleted_objects,
                user=request.user,
            )
        except (ItemsRefused, ValidationError) as exc:
            messages.error(request, " ".join(exc.messages))
        formset.save_m2m()

