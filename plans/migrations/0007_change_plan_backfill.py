"""Give the history entries of results their plan, where an earlier import left it blank.

Results imported before history was written in one place were recorded with no plan, so the
admin's history search by province missed them. The plan is the one of the result's agency's
province for the result's year; entries whose province has no plan that year keep none.
"""

from django.db import migrations

BATCH = 10_000


def backfill(apps, schema_editor):
    Change = apps.get_model("plans", "Change")
    Plan = apps.get_model("plans", "Plan")
    plan_ids = {
        (province_id, year): pk for pk, province_id, year in
        Plan.objects.values_list("pk", "province_id", "year")
    }
    missing = Change.objects.filter(plan__isnull=True, result__isnull=False).order_by("pk")
    last = 0
    while True:
        rows = list(
            missing.filter(pk__gt=last).values_list(
                "pk", "result__agency__province_id", "result__year"
            )[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        by_plan: dict[int, list[int]] = {}
        for pk, province_id, year in rows:
            plan_id = plan_ids.get((province_id, year))
            if plan_id is not None:
                by_plan.setdefault(plan_id, []).append(pk)
        for plan_id, pks in by_plan.items():
            Change.objects.filter(pk__in=pks).update(plan_id=plan_id)


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_change_history_indexes")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
