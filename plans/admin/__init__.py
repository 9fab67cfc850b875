"""The Django admin: where admins keep provinces, agencies, plans with their targets, results,
the change history and accounts.

Every changelist runs a constant number of queries (``list_select_related``, annotations).
Writes that must leave a history go through the services of ``plans.services``.

May import: forms, services, selectors, outputs, policy, models, rules, words, files, admin,
indicators.models.
"""

import datetime

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from plans.forms.admin import (
    PlanAdminForm,
    ProfileInlineForm,
    ResultAdminForm,
    TargetAdminForm,
    TargetInlineFormSet,
)
from plans.forms.admin_choices import (
    VietnameseChoicesMixin,
    VietnameseRelatedFilter,
    VietnameseRelatedOnlyFilter,
)
from plans.models import Agency, Change, Plan, Profile, Province, Result, Target
from plans.rules.parsing import parse_ascii_int
from plans.services.plans import (
    plan_close,
    plan_reopen,
    plan_status_record,
    plans_copy_to_next_year,
    results_delete,
    target_changes_record,
    target_snapshot,
    targets_history_keep,
)
from plans.services.results import ResultsRefused, result_record
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
class AgencyAdmin(VietnameseChoicesMixin, admin.ModelAdmin):
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


class TargetInline(admin.TabularInline):
    model = Target
    form = TargetAdminForm
    formset = TargetInlineFormSet
    fields = ["indicator", "tiers", "comparator", "value", "unit", "note", "position"]
    extra = 1
    ordering = ["position", "indicator__code", "tiers"]

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
        old_status = form.initial.get("status") if change else None
        super().save_model(request, obj, form, change)
        plan_status_record(plan=obj, old_status=old_status, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Target:
            return super().save_formset(request, form, formset, change)
        # The stored targets as they were before this save, for the history.
        before = {
            target.pk: target_snapshot(target)
            for target in Target.objects.filter(plan=form.instance).select_related("indicator")
        }
        doomed = [form_.instance for form_ in formset.deleted_forms
                  if form_.instance.pk in before]
        deleted = [before[target.pk] for target in doomed]
        targets_history_keep(plan=form.instance, targets=doomed)
        formset.save()
        changed = [(target, before[target.pk]) for target, _fields in formset.changed_objects]
        target_changes_record(
            plan=form.instance,
            created=formset.new_objects,
            changed=changed,
            deleted=deleted,
            user=request.user,
        )

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
        self._each(request, queryset, plan_close, gettext("Đã tổng kết: %(plan)s."))

    @admin.action(description=_("Mở lại kế hoạch đã tổng kết"), permissions=["change"])
    def reopen(self, request, queryset):
        self._each(request, queryset, plan_reopen, gettext("Đã mở lại: %(plan)s."))

    def _each(self, request, queryset, service, success):
        """Apply ``service`` to each selected plan and report each outcome."""
        for plan in queryset.select_related("province", "closed_by"):
            try:
                service(plan=plan, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{plan}: {reason}", messages.ERROR)
            else:
                self.message_user(request, success % {"plan": plan}, messages.SUCCESS)


@admin.register(Result)
class ResultAdmin(VietnameseChoicesMixin, admin.ModelAdmin):
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
CHANGE_FIELD_LABELS = {
    "value": _("giá trị"),
    "numerator": _("tử số"),
    "denominator": _("mẫu số"),
    "note": _("ghi chú"),
    "status": _("trạng thái"),
    "closed_by": _("người tổng kết"),
    "closed_at": _("thời điểm tổng kết"),
    "indicator": _("chỉ tiêu"),
    "tiers": _("phạm vi"),
    "comparator": _("so sánh"),
    "unit": pgettext_lazy("unit of measure", "đơn vị"),
    "position": _("thứ tự"),
    "copied_from": _("sao chép từ kế hoạch năm"),
    # An evidence file's (plans.services.history.evidence_snapshot).
    "evidence": _("tài liệu minh chứng"),
    "agency": _("đơn vị"),
    "year": _("năm"),
    "size": _("dung lượng (byte)"),
    "sha256": _("mã băm SHA-256"),
    "description": _("mô tả"),
}


class HistoryPaginator(Paginator):
    """Count at most ``bound`` entries, so that a page never counts the whole history.

    With millions of entries a full COUNT(*) takes seconds on every page. The count stops at
    ``bound`` (100 pages of the admin's 100 rows); ``more`` says that there are further
    entries, which a filter or a search narrows down to.
    """

    # Only the history's change list uses this paginator, always on a queryset.
    object_list: QuerySet
    bound = 10_000
    more = False

    @cached_property
    def count(self):
        # A subquery with LIMIT: the database stops after bound + 1 rows. Unordered, so that
        # it may take them from whichever index serves the filter.
        found = self.object_list.order_by()[: self.bound + 1].count()
        self.more = found > self.bound
        return min(found, self.bound)


class HistoryQuerySet(QuerySet):
    """The history as its change list reads it."""

    def span(self, field_name):
        """Return the first and the last value of ``field_name`` in the list, or Nones.

        Two index lookups, made once per queryset: the date hierarchy asks for them twice.
        """
        spans = self.__dict__.setdefault("_spans", {})
        if field_name not in spans:
            values = self.order_by(field_name).values_list(field_name, flat=True)
            spans[field_name] = (values.first(), values.last())
        return spans[field_name]

    def aggregate(self, *args, **kwargs):
        """Answer the date hierarchy's Min and Max of one field through ``span``.

        In one query SQLite reads the whole index for a MIN and a MAX (a third of a second
        with two million entries); each alone is one index lookup.
        """
        expressions = list(kwargs.values())
        fields = {getattr(e.get_source_expressions()[0], "name", None) for e in expressions}
        if (
            not args and {type(e) for e in expressions} == {Min, Max} and len(expressions) == 2
            and len(fields) == 1 and None not in fields
            and not any(e.filter or e.default is not None for e in expressions)
        ):
            first, last = self.span(fields.pop())
            return {key: first if isinstance(e, Min) else last for key, e in kwargs.items()}
        return super().aggregate(*args, **kwargs)

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        """Return each year, month or day from the first entry to the last, in local time.

        Django's date hierarchy asks for the periods that have entries: a SELECT DISTINCT over
        every entry of the list, seconds with millions. The first and the last entry are two
        index lookups; a period between them without entries shows an empty list.
        """
        first, last = self.span(field_name)
        if first is None:
            return []
        zone = tzinfo or timezone.get_current_timezone()
        first, last = first.astimezone(zone).date(), last.astimezone(zone).date()
        day = first.replace(month=1, day=1) if kind == "year" else first
        day = day.replace(day=1) if kind in ("year", "month") else day
        periods = []
        while day <= last:
            periods.append(datetime.datetime.combine(day, datetime.time(), zone))
            if kind == "year":
                day = day.replace(year=day.year + 1)
            elif kind == "month":
                day = (day + datetime.timedelta(days=31)).replace(day=1)
            else:
                day += datetime.timedelta(days=1)
        return periods[::-1] if order == "DESC" else periods


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The history: read only, and as fast with millions of entries as with a few.

    No page counts the whole history (``HistoryPaginator``, ``show_full_result_count``); every
    filter and the ordering have their index (``Change.Meta.indexes``).
    """

    list_display = ["changed_at", "changed_by", "channel", "subject", "difference"]
    readonly_fields = ["changed_at", "changed_by", "channel", "subject", "difference", "old", "new"]
    fields = tuple(readonly_fields)
    list_filter = ["channel", "changed_at"]
    list_select_related = [
        "changed_by",
        "result__agency",
        "result__indicator",
        "target__indicator",
        "plan__province",
    ]
    search_fields = ["changed_by__username", "result__agency__code", "plan__province__name"]
    date_hierarchy = "changed_at"
    show_full_result_count = False
    paginator = HistoryPaginator
    # The most entries a search hands to the page as a list of ids (get_search_results).
    search_ids_bound = 10_000

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return HistoryQuerySet(self.model, query=queryset.query, using=queryset.db)

    def get_search_results(self, request, queryset, search_term):
        """Return the entries whose every term is in a user name, agency code or province name.

        The same rows as Django's search over ``search_fields``, found the other way round:
        the few users, results and plans that match, then their entries through the indexes
        of changed_by, result and plan, instead of joining every entry to test it. One query
        reads the ids of the matching entries (at most ``search_ids_bound`` of them); the page
        then fetches those ids. Handed the matching subquery instead, PostgreSQL joins every
        entry to its subjects first (the page's nine tables pass its join_collapse_limit) and
        takes seconds; a broader search than the bound still does so.
        """
        if not search_term:
            return queryset, False
        matches = Change.objects.order_by()
        for term in smart_split(search_term):
            if term.startswith(('"', "'")) and term[0] == term[-1]:
                term = unescape_string_literal(term)
            entries = None
            for path in self.search_fields:
                relation, _, rest = path.partition("__")
                related = Change._meta.get_field(relation).related_model
                # Every search path starts at a foreign key: its model, not None or "self".
                assert related is not None and not isinstance(related, str)
                subjects = related._default_manager.filter(**{f"{rest}__icontains": term})
                found = (
                    Change.objects.filter(**{f"{relation}__in": subjects.values("pk")})
                    .order_by()
                    .values("pk")
                )
                entries = found if entries is None else entries.union(found, all=True)
            matches = matches.filter(pk__in=entries)
        ids = list(matches.values_list("pk", flat=True)[: self.search_ids_bound + 1])
        if len(ids) > self.search_ids_bound:
            return queryset.filter(pk__in=matches.values("pk")), False
        return queryset.filter(pk__in=ids), False

    @admin.display(description=_("đối tượng"))
    def subject(self, change):
        if change.result_id:
            return change.result
        if change.target_id:
            return change.target
        return change.plan

    @admin.display(description=_("thay đổi"))
    def difference(self, change):
        """Return what changed, one "field: old → new" per line; creation lists the values."""
        old, new = change.old or {}, change.new or {}
        lines = []
        for key in list(dict.fromkeys([*old, *new])):
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            label = CHANGE_FIELD_LABELS.get(key, key)
            if change.old is None:
                lines.append(format_html("{}: {}", label, after))
            elif change.new is None:
                lines.append(format_html("{}: {} → {}", label, before, gettext("(đã xoá)")))
            else:
                blank = gettext("(trống)")
                lines.append(format_html(
                    "{}: {} → {}", label, blank if before in (None, "") else before,
                    blank if after in (None, "") else after,
                ))
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProfileInline(VietnameseChoicesMixin, admin.StackedInline):
    model = Profile
    form = ProfileInlineForm
    can_delete = False
    # A province has hundreds of agencies: search them (AgencyAdmin.search_fields).
    autocomplete_fields = ["agencies"]
    verbose_name_plural = pgettext_lazy("plural", "phân quyền")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "full_name", "role", "email", "is_staff", "is_active"]
    list_filter = ["profile__role", "is_staff", "is_superuser", "is_active"]
    list_select_related = ["profile"]

    @admin.display(description=_("họ và tên"), ordering=collated("last_name"))
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("vai trò"), ordering="profile__role")
    def role(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"
