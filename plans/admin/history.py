"""The admin's change history: constant queries at millions of entries."""

import datetime

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db.models import Max, Min, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plans.admin import history_words
from plans.models import Change


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


class HistoryChangeList(ChangeList):
    """The history's list: the agencies its page's report and evidence entries name are read
    in one query, not one per row."""

    def get_results(self, request):
        super().get_results(request)
        names = history_words.agency_names(self.result_list)
        for change in self.result_list:
            change.agency_names = names


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The history: read only, and as fast with millions of entries as with a few.

    No page counts the whole history (``HistoryPaginator``, ``show_full_result_count``); every
    filter and the ordering have their index (``Change.Meta.indexes``).
    """

    list_display = ["changed_at", "changed_by", "channel", "subject", "difference"]
    # Not the snapshots themselves: their keys are field names; ``difference`` says them.
    readonly_fields = ["changed_at", "changed_by", "channel", "api_token", "subject", "difference"]
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

    def get_changelist(self, request, **kwargs):
        return HistoryChangeList

    @admin.display(description=_("đối tượng"))
    def subject(self, change):
        # The list page named the agencies of its entries at once (HistoryChangeList); the
        # detail page has one entry.
        names = getattr(change, "agency_names", None)
        if names is None:
            names = history_words.agency_names([change])
        return history_words.subject_text(change, names)

    @admin.display(description=_("thay đổi"))
    def difference(self, change):
        """Return what changed, one "label: old → new" per line; creation lists the values."""
        lines = []
        for label, before, after in history_words.difference_lines(change):
            if change.old is None:
                lines.append(format_html("{}: {}", label, after))
            elif after is None:
                lines.append(format_html("{}: {} → {}", label, before, gettext("(đã xoá)")))
            elif before == after:
                # What the entry is about (a checklist item's name), unchanged.
                lines.append(format_html("{}: {}", label, after))
            else:
                lines.append(format_html("{}: {} → {}", label, before, after))
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
