"""Reads of checklist targets: how many of a target's items are done, and the items."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from plans.models import Evidence, Plan, Target, TargetItem


def _count_of(items: QuerySet) -> Coalesce:
    """Return the number of ``items`` of the outer target, as a subquery (0 when none)."""
    counted = (
        items.filter(target=OuterRef("pk")).order_by().values("target").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def with_item_counts(targets: QuerySet) -> QuerySet:
    """Return ``targets`` with ``items_total`` and ``items_done``, in the same query.

    Two correlated subqueries on the items' (target, name) index: a page that reads its
    targets reads their checklists with them, without one more query.
    """
    return targets.annotate(
        items_total=_count_of(TargetItem.objects.all()),
        items_done=_count_of(TargetItem.objects.filter(done=True)),
    )


def item_counts(targets: list[Target]) -> dict[int, tuple[int, int]]:
    """Return {target id: (items done, items)} for ``targets``, saved ones only.

    The counts come from :func:`with_item_counts` where the targets have them; the others are
    counted in one query (none when every target has them or none is saved).
    """
    counts: dict[int, tuple[int, int]] = {}
    missing = []
    for target in targets:
        if target.pk is None:
            continue
        if hasattr(target, "items_total"):
            # Annotations of with_item_counts, which the model's type does not know.
            counts[target.pk] = (target.items_done, target.items_total)  # type: ignore[attr-defined]
        else:
            missing.append(target.pk)
    if missing:
        rows = (
            TargetItem.objects.filter(target_id__in=missing)
            .values("target_id")
            .annotate(done=Count("pk", filter=Q(done=True)), total=Count("pk"))
            .values_list("target_id", "done", "total")
            .order_by()
        )
        counts.update({target_id: (done, total) for target_id, done, total in rows})
    return counts


def target_items(target: Target) -> list[TargetItem]:
    """Return the items of ``target`` in order, with their agency and evidence (and its
    agency, for its address): one query."""
    return list(
        target.items.select_related("agency", "evidence__agency").order_by("position", "pk")
    )


def checklist_evidence(plan: Plan) -> list[Evidence]:
    """Return the evidence files of ``plan``'s province and year, that an item may point to,
    by agency then name, with their agency: one query."""
    return list(
        Evidence.objects.filter(agency__province_id=plan.province_id, year=plan.year)
        .select_related("agency")
        .order_by("agency__name", "original_name", "pk")
    )


def plan_checklists(plan: Plan) -> list[Target]:
    """Return the checklist targets of ``plan`` with their items (``listed_items``): two
    queries, the targets and their items."""
    targets = list(
        plan.targets.filter(items__isnull=False)
        .distinct()
        .select_related("indicator", "plan")
        .order_by("position", "indicator__code", "tiers")
    )
    by_target: dict[int, list[TargetItem]] = {target.pk: [] for target in targets}
    for item in TargetItem.objects.filter(target__in=targets).select_related("agency").order_by(
        "position", "pk"
    ):
        by_target[item.target_id].append(item)
    for target in targets:
        target.listed_items = by_target[target.pk]  # type: ignore[attr-defined]
    return targets


def checklist_targets(plan: Plan) -> QuerySet:
    """Return the checklist targets of ``plan`` (targets with items), to look one up in."""
    return (
        plan.targets.filter(items__isnull=False)
        .distinct()
        .select_related("indicator", "plan__province")
    )


def checklist_target(plan: Plan, target_id: int) -> Target | None:
    """Return ``plan``'s checklist target ``target_id``, or None: one query."""
    return checklist_targets(plan).filter(pk=target_id).first()
