"""The rows of a backup (plans.outputs.backup), in the columns of docs/FORMATS.md's files.

Each function returns a queryset of tuples, read when the backup iterates it.
"""

from collections.abc import Iterable

from indicators.models import Indicator
from plans.files.columns import INDICATOR_COLUMNS
from plans.models import Agency, Result, Target


def _in_provinces(queryset, field: str, provinces: Iterable[str] | None):
    return queryset if provinces is None else queryset.filter(**{f"{field}__in": list(provinces)})


def indicator_rows():
    """Return the catalogue in its order, in the columns of ``indicators.csv``."""
    return Indicator.objects.order_by("position", "code").values_list(*INDICATOR_COLUMNS)


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
        "plan__province__code", "plan__year", "indicator__code", "tiers", "comparator",
        "value", "unit", "note",
    ).order_by("plan__province__code", "plan__year", "indicator__code", "tiers")


def result_rows(provinces: Iterable[str] | None):
    """Return the results of ``provinces`` (codes; all when None) in the order of
    ``results.csv``."""
    return _in_provinces(Result.objects.all(), "agency__province__code", provinces).values_list(
        "year", "agency__code", "indicator__code", "value", "numerator", "denominator", "note",
    ).order_by("year", "agency__code", "indicator__code")
