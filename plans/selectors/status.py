"""Where each agency's report for a plan stands: the status board, its CSV and the agency page.

Read helpers only (the transitions are plans.services.submissions). A plan's board is four
queries whatever the number of agencies: the plan's targets (its scope), the agencies in scope,
the plan's submissions, and the figures of those agencies for the year (whether each has
reported, and the digest compared with the one kept at its last approval).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from indicators.models import Indicator
from plans.files.csv_writing import csv_safe
from plans.models import Agency, Change, Plan, Result, Submission
from plans.rules.cycle import UNSENT
from plans.rules.digest import DIGEST_FIELDS, results_digest
from plans.rules.tiers import TIER_ORDER
from plans.selectors import caching
from plans.selectors.agencies import plan_agencies, target_scopes
from plans.selectors.naming import name_agencies

State = Submission.State


@dataclass
class AgencyStatus:
    """One agency's report for a plan, as the board and the agency page show it."""

    agency: Agency
    state: str
    submission: Submission | None
    # Submitted after the deadline.
    late: bool
    # Not submitted and the deadline has passed.
    overdue: bool
    changed_since_approval: bool
    # The figures differ from those last submitted (an officer's correction, or a reopened
    # report's changes).
    changed_since_submission: bool = False

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def version(self) -> int:
        return self.submission.version if self.submission is not None else 0

    @property
    def late_or_overdue(self) -> bool:
        return self.late or self.overdue


def deadline_passed(plan: Plan) -> bool:
    """Return True if ``plan``'s report deadline is before today in Vietnam."""
    return bool(plan.report_deadline and timezone.localdate() > plan.report_deadline)


def _status(plan: Plan, agency: Agency, submission, figures: list | None, passed: bool):
    if submission is None or submission.state == State.DRAFT:
        state = State.DRAFT if figures else State.NOT_STARTED
    else:
        state = State(submission.state)
    digest = results_digest(figures or []) if submission is not None else ""
    changed = bool(
        submission is not None
        and submission.approved_at is not None
        and submission.approved_results_digest != digest
    )
    # A report submitted before the digest was kept says nothing rather than "changed".
    changed_since_submission = bool(
        submission is not None
        and submission.submitted_results_digest
        and submission.submitted_results_digest != digest
    )
    return AgencyStatus(
        agency=agency,
        state=state,
        submission=submission,
        late=bool(submission is not None and submission.late and state != State.DRAFT),
        overdue=passed and state in UNSENT,
        changed_since_approval=changed,
        changed_since_submission=changed_since_submission,
    )


def _figures_by_agency(year: int, agency_ids) -> dict[int, list]:
    figures: dict[int, list] = {}
    rows = (
        Result.objects.filter(year=year, agency_id__in=agency_ids)
        .order_by()
        .values_list("agency_id", *DIGEST_FIELDS)
    )
    for agency_id, *row in rows:
        figures.setdefault(agency_id, []).append(row)
    return figures


def plan_agency_statuses(plan: Plan) -> list[AgencyStatus]:
    """Return the status of every agency in ``plan``'s scope, by tier, then in Vietnamese
    alphabetical order of the names people are shown (``agency.display_name``).

    The scope: the agencies of the tiers some target covers, active in the plan's year.
    """
    covered = set().union(*target_scopes(plan).values())
    scope = plan_agencies(plan).filter(tier__in=covered).order_by()
    agencies = name_agencies(scope, province_id=plan.province_id)
    # A stable sort: within a tier the agencies keep name_agencies' order.
    agencies.sort(key=lambda agency: TIER_ORDER.index(agency.tier))
    submissions = {
        submission.agency_id: submission
        for submission in plan.submissions.order_by().select_related(
            "submitted_by", "approved_by", "returned_by", "reopened_by", "withdrawn_by"
        )
    }
    # The scope as a subquery, not a list of ids: SQLite reads a long IN list by scanning every
    # result of every year, and the subquery through the (agency, year) index.
    figures = _figures_by_agency(plan.year, scope.values("pk"))
    passed = deadline_passed(plan)
    return [
        _status(plan, agency, submissions.get(agency.pk), figures.get(agency.pk), passed)
        for agency in agencies
    ]


def kept_agency_statuses(plan: Plan) -> tuple[dict, Sequence[AgencyStatus], str]:
    """Return (``total`` and tier ``counts`` of :func:`plan_agency_statuses`, the statuses, the
    key the board keeps its rendering of the rows under: "" when nothing is kept).

    From the cache when the plan's year has not changed since on the same day (lateness counts
    days): one query on a hit. The statuses, one per agency in scope, are read only when used
    (a lazy list): a board whose rows are kept rendered reads none of them.
    """
    if not caching.enabled():
        found = plan_agency_statuses(plan)
        return {"total": len(found), "counts": tier_counts(found)}, found, ""
    parts = (
        caching.figures_versions([plan.province_id], [plan.year]), plan.pk,
        timezone.localdate(),
    )
    read: dict[str, list[AgencyStatus]] = {}

    def statuses() -> list[AgencyStatus]:
        # Not kept themselves (pickling a status per agency costs a cold board more than the
        # rare board whose rows are not kept rendered pays to read them again).
        if "rows" not in read:
            read["rows"] = plan_agency_statuses(plan)
        return read["rows"]

    summary = caching.kept(
        "status-summary", parts,
        lambda: {"total": len(statuses()), "counts": tier_counts(statuses())},
    )
    return (summary, cast(Sequence[AgencyStatus], SimpleLazyObject(statuses)),
            caching.key_of("status-summary", parts))


def agency_status(plan: Plan, agency: Agency) -> AgencyStatus:
    """Return ``agency``'s status for ``plan`` (two queries)."""
    submission = (
        plan.submissions.filter(agency=agency)
        .select_related(
            "submitted_by", "approved_by", "returned_by", "reopened_by", "withdrawn_by"
        )
        .first()
    )
    figures = _figures_by_agency(plan.year, [agency.pk]).get(agency.pk)
    return _status(plan, agency, submission, figures, deadline_passed(plan))


def tier_counts(statuses: list[AgencyStatus]) -> list[dict]:
    """Return, for each tier with agencies, how many agencies are in each state."""
    counts: dict[str, Counter] = {}
    for status in statuses:
        counts.setdefault(status.agency.tier, Counter())[status.state] += 1
    return [
        {
            "tier": tier,
            "label": Agency.Tier(tier).label,
            "total": sum(counts[tier].values()),
            "states": [(state, state.label, counts[tier][state]) for state in State],
        }
        for tier in TIER_ORDER
        if tier in counts
    ]


def iso_time(moment) -> str:
    """Return a stored time in ISO 8601 with Vietnam's offset, "" for none."""
    if moment is None:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")


STATUS_CSV_COLUMNS = [
    "agency_code", "agency_name", "tier", "state", "submitted_at", "approved_at", "late",
    "changed_since_approval", "changed_since_submission",
]


def status_csv_rows(statuses: list[AgencyStatus]) -> list[list[str]]:
    """Return the rows of status.csv (docs/FORMATS.md), after its header: by tier, then by
    agency code, as a file for machines is ordered."""

    def flag(value: bool) -> str:
        return "true" if value else "false"

    statuses = sorted(
        statuses, key=lambda status: (TIER_ORDER.index(status.agency.tier), status.agency.code)
    )
    return [
        [
            status.agency.code,
            csv_safe(status.agency.name),
            status.agency.tier,
            status.state,
            iso_time(status.submission.submitted_at if status.submission else None),
            iso_time(status.submission.approved_at if status.submission else None),
            flag(status.late_or_overdue),
            flag(status.changed_since_approval),
            flag(status.changed_since_submission),
        ]
        for status in statuses
    ]


@dataclass
class FigureChange:
    """How one indicator's figures changed since the report was submitted: the first snapshot
    before and the last after (Change snapshots, None for no result), who last changed it and
    when."""

    indicator: Indicator
    old: dict | None
    new: dict | None
    changed_by: object
    changed_at: object


def changes_since_submission(plan: Plan, status: AgencyStatus) -> list[FigureChange]:
    """Return, by indicator, how ``status``'s agency's figures for ``plan``'s year changed since
    its report was last submitted (from the change history), when they did; [] otherwise.

    No query unless the figures changed (``status.changed_since_submission``): then one for the
    history and, when a result was cleared, one for its indicator.
    """
    submission = status.submission
    if not status.changed_since_submission or submission is None or not submission.submitted_at:
        return []
    agency = status.agency
    # A cleared result's entry names the agency and indicator in ``old`` (see entry_history).
    cleared = Q(
        result__isnull=True, plan=plan, old__agency=agency.code, old__has_key="value",
        old__year=plan.year,
    )
    changes = list(
        Change.objects.filter(Q(result__agency=agency, result__year=plan.year) | cleared)
        .filter(changed_at__gt=submission.submitted_at)
        .select_related("result__indicator", "changed_by")
        .order_by("changed_at", "pk")
    )
    gone = {(c.old or {}).get("indicator") for c in changes if c.result is None}
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=gone)} if gone else {}
    by_indicator: dict[int, FigureChange] = {}
    for change in changes:
        indicator = (
            change.result.indicator if change.result is not None
            else by_code[(change.old or {})["indicator"]]
        )
        shown = by_indicator.get(indicator.pk)
        if shown is None:
            by_indicator[indicator.pk] = FigureChange(
                indicator=indicator, old=change.old, new=change.new,
                changed_by=change.changed_by, changed_at=change.changed_at,
            )
        else:
            shown.new, shown.changed_by, shown.changed_at = (
                change.new, change.changed_by, change.changed_at
            )
    return [
        figure for figure in by_indicator.values() if _figures(figure.old) != _figures(figure.new)
    ]


def _figures(snapshot: dict | None) -> tuple | None:
    if snapshot is None:
        return None
    return tuple(snapshot.get(key) for key in ("value", "numerator", "denominator", "note"))


def report_state(plan: Plan, agency: Agency) -> str | None:
    """Return the state of ``agency``'s report for ``plan`` (None: never started): one query."""
    return (
        Submission.objects.filter(plan=plan, agency=agency)
        .order_by()
        .values_list("state", flat=True)
        .first()
    )
