"""The indicator catalogue as its definitions page reads it: the years each indicator is used in.

Here rather than in the indicators app: the years come from plans and results, and the
catalogue depends on nothing in plans.
"""

from django.db.models import Max, Min, OuterRef, QuerySet, Subquery

from indicators.models import Indicator
from plans.models import Plan, Result, Target


def _year_bound(queryset, year_field: str, aggregate):
    """Return a subquery of ``aggregate`` over ``year_field`` of the outer indicator's rows."""
    return Subquery(
        queryset.filter(indicator=OuterRef("pk"))
        .order_by()
        .values("indicator")
        .annotate(bound=aggregate(year_field))
        .values("bound")
    )


def with_years_in_use(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Return ``indicators`` annotated with the first and last years of the targets of
    non-draft plans and of the results that use each: ``target_first``, ``target_last``,
    ``result_first``, ``result_last`` (None when there are none).

    Subqueries, so that the indicator and its years come in one query.
    """
    targets = Target.objects.exclude(plan__status=Plan.Status.DRAFT)
    return indicators.annotate(
        target_first=_year_bound(targets, "plan__year", Min),
        target_last=_year_bound(targets, "plan__year", Max),
        result_first=_year_bound(Result.objects.all(), "year", Min),
        result_last=_year_bound(Result.objects.all(), "year", Max),
    )


def indicator_with_years(code: str) -> Indicator | None:
    """Return the indicator ``code`` with its years in use (:func:`with_years_in_use`), or
    None: one query."""
    return with_years_in_use(Indicator.objects.filter(code=code)).first()


def years_in_use(indicator: Indicator) -> tuple[int, int] | None:
    """Return the first and last years ``indicator`` (from :func:`with_years_in_use`) is used
    in, or None when no plan or result uses it."""
    years = [
        year
        for year in (
            indicator.target_first,  # type: ignore[attr-defined]
            indicator.target_last,  # type: ignore[attr-defined]
            indicator.result_first,  # type: ignore[attr-defined]
            indicator.result_last,  # type: ignore[attr-defined]
        )
        if year is not None
    ]
    return (min(years), max(years)) if years else None
