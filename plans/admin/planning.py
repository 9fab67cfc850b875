"""The admin of plans and their targets: edits, copies, closing and reopening go through
plans.services.plans, with the history every channel leaves."""


from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from plans.forms.admin import (
    PlanAdminForm,
    TargetAdminForm,
    TargetInlineFormSet,
)
from plans.forms.admin_choices import (
    VietnameseChoicesMixin,
    VietnameseRelatedFilter,
)
from plans.models import Plan, Target
from plans.services.plans import (
    plan_close,
    plan_reopen,
    plan_save,
    plans_copy_to_next_year,
    targets_save,
)
from plans.words.collation import collated


class TargetInline(admin.TabularInline):
    model = Target
    form = TargetAdminForm
    formset = TargetInlineFormSet
    fields = ["indicator", "tiers", "comparator", "value", "unit", "note", "position"]
    extra = 1
    ordering = ["position", "indicator__code", "tiers"]
    # A checklist target's items are kept on the target's own page (plans.admin.checklists).
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


@admin.register(Plan)
class PlanAdmin(VietnameseChoicesMixin, admin.ModelAdmin):
    form = PlanAdminForm
    inlines = [TargetInline]
    list_display = [
        "__str__", "province", "year", "document_number", "document_date", "status",
        "target_count", "is_sample",
    ]
    list_filter = [("province", VietnameseRelatedFilter), "year", "status", "is_sample"]
    list_select_related = ["province"]
    search_fields = ["title", "document_number", "province__name", "province__code"]
    # Provinces in Vietnamese alphabetical order, each one's latest year first.
    # Expressions, as in ProvinceAdmin.ordering.
    ordering = [collated("province__name"), "-year"]  # type: ignore[list-item]
    readonly_fields = ["closed_by", "closed_at"]
    show_full_result_count = False
    actions = ["copy_to_next_year", "close", "reopen"]
    fieldsets = [
        (None, {"fields": ["province", "year", "title", "document_number", "document_date"]}),
        (_("Báo cáo in"), {"fields": ["report_number"]}),
        (_("Trạng thái"), {"fields": ["status", "closed_by", "closed_at", "is_sample"]}),
        (_("Kỳ báo cáo"), {"fields": ["report_deadline", "data_cutoff"]}),
        (_("Nhiệm vụ không định lượng"), {"fields": ["tasks"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("province", "closed_by")
            .annotate(target_count=Count("targets"))
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A row of targets needs the page's full width: no navigation sidebar on this page
        # (the breadcrumbs lead back).
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        assert issubclass(form, PlanAdminForm)  # the admin's form is built on self.form
        # The form checks that only an admin takes a plan out of the closed status.
        form.user = request.user
        return form

    @admin.display(description=_("số chỉ tiêu"), ordering="target_count")
    def target_count(self, plan):
        return plan.target_count

    def save_model(self, request, obj, form, change):
        # Through the service, as every channel: the plan and its status history together.
        plan_save(
            plan=obj, old_status=form.initial.get("status") if change else None,
            user=request.user,
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Target:
            return super().save_formset(request, form, formset, change)
        # The formset only says which targets changed (its lists feed Django's own log of the
        # page); the service writes them and their history.
        saved = formset.save(commit=False)
        targets_save(
            plan=form.instance, saved=saved, deleted=formset.deleted_objects, user=request.user
        )
        formset.save_m2m()

    @admin.action(description=_("Sao chép sang năm sau"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        try:
            copies = plans_copy_to_next_year(
                plans=queryset.select_related("province"), user=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            self.message_user(
                request, gettext("Không kế hoạch nào được sao chép."), messages.ERROR
            )
            return
        self.message_user(
            request,
            ngettext(
                "Đã sao chép %(count)d kế hoạch sang năm sau (trạng thái dự thảo): %(plans)s.",
                "Đã sao chép %(count)d kế hoạch sang năm sau (trạng thái dự thảo): %(plans)s.",
                len(copies),
            )
            % {"count": len(copies), "plans": "; ".join(str(copy) for copy in copies)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Tổng kết (đóng) kế hoạch"), permissions=["change"])
    def close(self, request, queryset):
        self._apply_to_each_plan(request, queryset, plan_close, gettext("Đã tổng kết: %(plan)s."))

    @admin.action(description=_("Mở lại kế hoạch đã tổng kết"), permissions=["change"])
    def reopen(self, request, queryset):
        self._apply_to_each_plan(request, queryset, plan_reopen, gettext("Đã mở lại: %(plan)s."))

    def _apply_to_each_plan(self, request, queryset, service, success):
        """Apply ``service`` to each selected plan and report each outcome."""
        for plan in queryset.select_related("province", "closed_by"):
            try:
                service(plan=plan, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{plan}: {reason}", messages.ERROR)
            else:
                self.message_user(request, success % {"plan": plan}, messages.SUCCESS)
