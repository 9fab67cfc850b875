"""The change history as people read it: an agency's changes, newest first."""

from django.db.models import Q

from indicators.models import Indicator
from plans.models import Agency, Change


def agency_history(agency: Agency, *, indicator: Indicator | None, limit: int) -> list[Change]:
    """Return the latest ``limit`` changes to ``agency``'s results, newest first (of one
    ``indicator`` if given), each with ``indicator`` and ``year`` set for the page: two
    queries, the changes and the indicators of cleared results.

    A cleared result's last entry stays on its plan, naming the agency in ``old``
    (plans.services.plans.results_delete): the clearing is part of the agency's history. Its
    snapshot holds figures ("value"); a deleted evidence file's, also on the plan and naming
    the agency, does not (plans.services.history.evidence_snapshot).
    """
    cleared = Q(
        result__isnull=True,
        plan__province_id=agency.province_id,
        old__agency=agency.code,
        old__has_key="value",
    )
    changes = Change.objects.filter(Q(result__agency=agency) | cleared).select_related(
        "result__indicator", "changed_by"
    )
    if indicator is not None:
        changes = changes.filter(
            Q(result__indicator=indicator) | Q(old__indicator=indicator.code)
        )
    shown = list(changes[:limit])
    gone = {(c.old or {}).get("indicator") for c in shown if c.result is None}
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=gone)}
    for change in shown:
        if change.result is not None:
            shown_indicator, year = change.result.indicator, change.result.year
        else:
            old = change.old or {}  # the query's ``cleared`` entries name what was cleared
            shown_indicator, year = by_code[old["indicator"]], old["year"]
        # For the page; Change itself has no such fields.
        change.indicator = shown_indicator  # type: ignore[attr-defined]
        change.year = year  # type: ignore[attr-defined]
    return shown
