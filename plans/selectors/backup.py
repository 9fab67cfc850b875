"""The rows of a backup (plans.outputs.backup), in the columns of docs/FORMATS.md's files.

Each function returns a queryset of tuples, read when the backup iterates it.
"""

from collections.abc import Iterable

from indicators.models import Indicator
from plans.files.columns import INDICATOR_COLUMNS
from plans.models import Agency, ProgrammeTarget, Province, Result, Target, TargetItem


def _in_provinces(queryset, field: str, provinces: Iterable[str] | None):
    return queryset if provinces is None else queryset.filter(**{f"{field}__in": list(provinces)})


def indicator_rows():
    """Return the catalogue in its order, in the columns of ``indicators.csv``."""
    # The last two columns name the predecessor by its code (Indicator.predecessor).
    return Indicator.objects.order_by("position", "code").values_list(
        *INDICATOR_COLUMNS[:-2], "predecessor__code", "from_year"
    )


def agency_rows(provinces: Iterable[str] | None):
    """Return the agencies of ``provinces`` (codes; all when None): province code and name,
    code, name, tier, parent code, active years (unordered: the caller sorts by tier)."""
    return _in_provinces(Agency.objects.all(), "province__code", provinces).values_list(
        "province__code", "province__name", "code", "name", "tier", "parent__code",
        "active_from", "active_to",
    )


def target_rows(provinces: Iterable[str] | None):
    """Return the targets of ``provinces`` (codes; all when None) in the order of
    ``targets.csv``."""
    return _in_provinces(Target.objects.all(), "plan__province__code", provinces).values_list(
        "pk", "plan__province__code", "plan__year", "indicator__code", "tiers", "comparator",
        "value", "unit", "note",
    ).order_by("plan__province__code", "plan__year", "indicator__code", "tiers")


def target_item_names(provinces: Iterable[str] | None) -> dict[int, list[str]]:
    """Return {target id: its checklist items' names in order} for the targets of
    ``provinces`` (codes; all when None): one query."""
    names: dict[int, list[str]] = {}
    for target_id, name in TargetItem.objects.filter(
        target__in=_in_provinces(Target.objects.all(), "plan__province__code", provinces)
    ).order_by("target_id", "position", "pk").values_list("target_id", "name"):
        names.setdefault(target_id, []).append(name)
    return names


def item_rows(provinces: Iterable[str] | None):
    """Return the checklist items of ``provinces`` (codes; all when None) in the columns and
    order of ``items.csv`` (``done`` a bool, ``done_on`` a date or None)."""
    return _in_provinces(
        TargetItem.objects.all(), "target__plan__province__code", provinces
    ).values_list(
        "target__plan__province__code", "target__plan__year", "target__indicator__code",
        "target__tiers", "name", "done", "done_on", "note",
    ).order_by(
        "target__plan__province__code", "target__plan__year", "target__indicator__code",
        "target__tiers", "position", "pk",
    )


def result_rows(provinces: Iterable[str] | None):
    """Return the results of ``provinces`` (codes; all when None) in the order of
    ``results.csv``."""
    return _in_provinces(Result.objects.all(), "agency__province__code", provinces).values_list(
        "year", "agency__code", "indicator__code", "value", "numerator", "denominator", "note",
    ).order_by("year", "agency__code", "indicator__code")


def province_rows(provinces: Iterable[str] | None):
    """Return the provinces with active dates among ``provinces`` (codes; all when None), in the
    columns of ``provinces.csv`` (successor by code), by code. A province created by an agencies
    file alone has no active dates, and nothing to write."""
    return _in_provinces(
        Province.objects.filter(active_from__isnull=False), "code", provinces
    ).values_list("code", "name", "active_from", "active_to", "successor__code").order_by("code")


def programme_rows(provinces: Iterable[str] | None):
    """Return the programme targets of ``provinces`` (codes; all when None) in the columns and
    order of ``programmes.csv``."""
    return _in_provinces(
        ProgrammeTarget.objects.all(), "programme__province__code", provinces
    ).values_list(
        "programme__province__code", "programme__code", "programme__name",
        "programme__first_year", "programme__last_year", "indicator__code", "tiers",
        "comparator", "value", "unit",
    ).order_by("programme__province__code", "programme__code", "indicator__code", "tiers")
