"""The figures version of each province's year moved on by every write that changes a page.

Called inside the write's own transaction: by the history funnel (plans.services.history) for
results, targets, plans, submissions and evidence, and by the writes of agencies, provinces,
plans and the catalogue, which keep no history (imports, the admin). A page keyed by the
versions it shows is then never served from before a write.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest

from plans.models import FiguresVersion, Plan, Province, Result


def figures_changed(
    *, keys: Iterable[tuple[int, int]] = (), plan_ids: Iterable[int] = (),
    result_ids: Iterable[int] = (), figures_at: datetime | None = None,
) -> None:
    """Move on the figures version of each (province id, year) of ``keys``, of the years of
    ``plan_ids`` and of the years of ``result_ids`` (results of a year without a plan).

    ``figures_at``: when a result or a target of those years changed (None when only what is
    around the figures did: a plan's status, a report, an evidence file). At most four queries:
    the plans' and the results' years when asked by id, the rows made where missing, moved on.
    """
    wanted = set(keys)
    plan_ids, result_ids = set(plan_ids), set(result_ids)
    if plan_ids:
        wanted.update(Plan.objects.filter(pk__in=plan_ids).values_list("province_id", "year"))
    if result_ids:
        wanted.update(
            Result.objects.filter(pk__in=result_ids)
            .values_list("agency__province_id", "year")
            .distinct()
            .order_by()
        )
    if not wanted:
        return
    FiguresVersion.objects.bulk_create(
        [FiguresVersion(province_id=province_id, year=year) for province_id, year in wanted],
        ignore_conflicts=True,
    )
    chosen = Q()
    for province_id, year in wanted:
        chosen |= Q(province_id=province_id, year=year)
    moved: dict = {"version": F("version") + 1}
    if figures_at is not None:
        # Never back in time: writes of one transaction may name their moments in any order.
        moved["figures_at"] = Greatest(Coalesce(F("figures_at"), figures_at), figures_at)
    FiguresVersion.objects.filter(chosen).update(**moved)


def figures_changed_in_provinces(province_ids: Iterable[int]) -> None:
    """Move on every year of ``province_ids``: their agencies (scopes, names, counts) or the
    province itself changed. One query."""
    FiguresVersion.objects.filter(province_id__in=set(province_ids)).update(
        version=F("version") + 1
    )


def figures_changed_everywhere() -> None:
    """Move on every province's every year: the indicator catalogue changed. One query."""
    FiguresVersion.objects.update(version=F("version") + 1)


def on_place_saved(sender: type, instance: Any, **kwargs: object) -> None:
    """Signal receiver: a province or an agency was saved or deleted one by one (the admin).

    A receiver rather than a call in each admin class: every single save of these models, from
    any page, moves the versions on; bulk writes (the imports) call the functions above.
    """
    province_id = instance.pk if isinstance(instance, Province) else instance.province_id
    figures_changed_in_provinces([province_id])


def on_plan_saved(sender: type, instance: Any, **kwargs: object) -> None:
    """Signal receiver: a plan or a target was saved or deleted one by one (title, document,
    tasks, deadlines; the admin's inline targets)."""
    if isinstance(instance, Plan):
        figures_changed(keys=[(instance.province_id, instance.year)])
    else:
        figures_changed(plan_ids=[instance.plan_id])


def on_programme_saved(sender: type, instance: Any, **kwargs: object) -> None:
    """Signal receiver: a programme or one of its end-year targets was saved or deleted (the
    admin, ``import_programmes``). Its forecasts stand on the dashboard and in the workbook of
    every year it spans: every year of its province moves on."""
    programme = getattr(instance, "programme", instance)
    figures_changed_in_provinces([programme.province_id])


def on_catalogue_saved(sender: type, instance: object, **kwargs: object) -> None:
    """Signal receiver: an indicator was saved or deleted one by one (the admin)."""
    figures_changed_everywhere()
