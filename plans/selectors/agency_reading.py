"""Reads for one agency's pages: its figures of a year, its change history in words, and how
many evidence files stand behind each agency's figures.

Used by the entry pages (history) and by the leaders' read-only agency page
(plans.views.agency_page); a constant number of queries each.
"""

from django.db.models import Count, Q

from indicators.models import Indicator
from plans.models import Agency, Change, Evidence, Plan, Result, Submission
from plans.words.wording import change_figures_text


def agency_changes(agency: Agency, *, indicator: Indicator | None = None,
                   limit: int) -> list[Change]:
    """Return the latest ``limit`` changes to ``agency``'s results, newest first, each with
    ``indicator``, ``year``, ``old_text`` and ``new_text`` (the figures in words) set.

    ``indicator`` narrows them to one indicator. Two queries: the changes, and the indicators
    of results cleared since.
    """
    # A cleared result's last entry stays on its plan, naming the agency in ``old``
    # (plans.services.plans.results_delete): the clearing is part of the agency's history.
    # Its snapshot holds figures ("value"); a deleted evidence file's, also on the plan and
    # naming the agency, does not (plans.services.history.evidence_snapshot).
    cleared = Q(
        result__isnull=True,
        plan__province=agency.province_id,
        old__agency=agency.code,
        old__has_key="value",
    )
    changes = Change.objects.filter(Q(result__agency=agency) | cleared).select_related(
        "result__indicator", "changed_by"
    )
    if indicator is not None:
        changes = changes.filter(Q(result__indicator=indicator) | Q(old__indicator=indicator.code))
    shown = list(changes[:limit])
    gone = {(c.old or {}).get("indicator") for c in shown if c.result is None}
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=gone)} if gone else {}
    for change in shown:
        if change.result is not None:
            shown_indicator, year = change.result.indicator, change.result.year
        else:
            old = change.old or {}  # the query's ``cleared`` entries name what was cleared
            shown_indicator, year = by_code[old["indicator"]], old["year"]
        # For the template; Change itself has no such fields.
        change.indicator = shown_indicator  # type: ignore[attr-defined]
        change.year = year  # type: ignore[attr-defined]
        change.old_text = change_figures_text(  # type: ignore[attr-defined]
            shown_indicator, change.old
        )
        change.new_text = change_figures_text(  # type: ignore[attr-defined]
            shown_indicator, change.new
        )
    return shown


def agency_year_results(agency: Agency, year: int) -> dict[int, Result]:
    """Return ``agency``'s results of ``year`` by indicator id: one query."""
    return {result.indicator_id: result for result in agency.results.filter(year=year)}


def agency_evidence(agency: Agency, year: int) -> list[Evidence]:
    """Return ``agency``'s evidence files of ``year``, newest first: one query."""
    return list(
        agency.evidence.filter(year=year).select_related("indicator", "uploaded_by")
    )


def evidence_counts(plan: Plan, agency_ids, *, indicator_id: int) -> dict[int, int]:
    """Return {agency id: files} of the evidence behind ``indicator_id``'s figures of ``plan``'s
    year: the files attached to that indicator or to the whole report. One query."""
    rows = (
        Evidence.objects.filter(year=plan.year, agency_id__in=agency_ids)
        .filter(Q(indicator_id=indicator_id) | Q(indicator__isnull=True))
        .order_by()
        .values("agency_id")
        .annotate(files=Count("pk"))
    )
    return {row["agency_id"]: row["files"] for row in rows}


def report_approved(plan: Plan, agency: Agency) -> bool:
    """Return True if ``agency``'s report for ``plan`` is approved: one query."""
    return plan.submissions.filter(agency=agency, state=Submission.State.APPROVED).exists()
