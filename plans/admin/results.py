"""The admin of results: every write goes through plans.services.results."""


from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.forms.admin import (
    ResultAdminForm,
)
from plans.forms.admin_choices import (
    AgencyChoicesMixin,
    VietnameseChoicesMixin,
    VietnameseRelatedOnlyFilter,
)
from plans.models import Change, Result
from plans.services.plans import (
    results_delete,
)
from plans.services.results import ResultsRefused, result_record


@admin.register(Result)
class ResultAdmin(AgencyChoicesMixin, VietnameseChoicesMixin, admin.ModelAdmin):
    form = ResultAdminForm
    list_display = [
        "year", "agency", "agency_code", "indicator_code", "figures", "note", "version",
        "updated_by", "updated_at",
    ]
    list_filter = [
        ("agency__province", VietnameseRelatedOnlyFilter),
        "year",
        "indicator__group",
        "agency__tier",
        "indicator",
    ]
    list_select_related = ["agency", "indicator", "updated_by"]
    search_fields = ["agency__code", "agency__name"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["version", "updated_by", "updated_at"]
    fields = [
        "year", "agency", "indicator", "value", "numerator", "denominator", "note",
        "is_sample", "version", "updated_by", "updated_at", "seen_version",
    ]
    show_full_result_count = False

    @admin.display(description=_("mã đơn vị"), ordering="agency__code")
    def agency_code(self, result):
        return result.agency.code

    @admin.display(description=_("chỉ tiêu"), ordering="indicator__code")
    def indicator_code(self, result):
        return result.indicator.code

    @admin.display(description=_("số liệu"))
    def figures(self, result):
        return result.display_value()

    def get_readonly_fields(self, request, obj=None):
        # A result's key never changes: correct the figures, or delete and add.
        if obj is not None:
            return ["year", "agency", "indicator", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        try:
            written = result_record(
                agency=obj.agency,
                indicator=obj.indicator,
                year=obj.year,
                value=obj.value,
                numerator=obj.numerator,
                denominator=obj.denominator,
                note=obj.note,
                user=request.user,
                channel=Change.Channel.ADMIN,
                # The version this form was opened on: a newer save by someone else is refused.
                expected_version=form.cleaned_data.get("seen_version") or 0,
            )
        except ResultsRefused as exc:
            # The form checked plan and version; only a save racing this one lands here.
            self.message_user(request, str(exc), messages.ERROR)
            if obj.pk is None:
                # The other save created it: the admin goes on to that result.
                obj.pk = (
                    Result.objects.filter(agency=obj.agency, indicator=obj.indicator, year=obj.year)
                    .values_list("pk", flat=True)
                    .first()
                )
            return
        if written is not None:
            obj.pk, obj.version = written.pk, written.version

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The history is read-only, but results_delete keeps it (on the plan), not deletes it.
        # The set holds the names as text; a lazy name compares equal to its text.
        perms_needed.discard(str(Change._meta.verbose_name))
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        results_delete(results=[obj], user=request.user)

    def delete_queryset(self, request, queryset):
        results_delete(results=queryset.select_related("agency", "indicator"), user=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            # results_delete refused (closed or missing plan): nothing was deleted.
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect(reverse("admin:plans_result_change", args=[object_id]))

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ValidationError as exc:
            # The "delete selected" action was refused by results_delete: nothing was deleted.
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect(request.get_full_path())


# The keys kept in Change.old / Change.new, in words.
