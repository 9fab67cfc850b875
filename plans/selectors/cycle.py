"""Where a plan's reporting cycle stands as a whole: what closing the year would leave behind.

Read helpers only; built on the status board's reads (:mod:`plans.selectors.status`), so the
close page names the agencies and their states exactly as the board does.
"""

from dataclasses import dataclass

from plans.models import Agency, Plan, Submission
from plans.selectors.naming import name_agencies
from plans.selectors.status import AgencyStatus, plan_agency_statuses

State = Submission.State
# The order the close page lists the states in: furthest from approval first.
CLOSE_STATES = (
    State.NOT_STARTED, State.DRAFT, State.RETURNED, State.SUBMITTED, State.APPROVED,
)


@dataclass(frozen=True)
class StateGroup:
    """The agencies of one state, by the names the status board shows."""

    state: str
    label: str
    names: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class CycleSummary:
    """Every in-scope agency's report of a plan, grouped by state (CLOSE_STATES' order)."""

    groups: tuple[StateGroup, ...]

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def approved(self) -> int:
        return sum(group.count for group in self.groups if group.state == State.APPROVED)

    @property
    def pending(self) -> int:
        """Return how many in-scope reports are not approved."""
        return self.total - self.approved

    @property
    def all_approved(self) -> bool:
        return self.total > 0 and self.pending == 0

    def pending_record(self) -> dict[str, list[str]]:
        """Return {state: [agency names]} of the reports not approved, as a closed plan keeps
        them (states without agencies left out)."""
        return {
            group.state: list(group.names)
            for group in self.groups
            if group.state != State.APPROVED and group.names
        }


def cycle_summary(plan: Plan) -> CycleSummary:
    """Return the states of ``plan``'s in-scope reports (the status board's queries)."""
    names: dict[str, list[str]] = {state: [] for state in CLOSE_STATES}
    for status in plan_agency_statuses(plan):
        names[status.state].append(status.agency.display_name)
    return CycleSummary(tuple(
        StateGroup(state, str(State(state).label), tuple(names[state])) for state in CLOSE_STATES
    ))


def pending_groups(record: dict) -> list[StateGroup]:
    """Return a closed plan's record of pending reports (Plan.pending_at_close) as groups."""
    return [
        StateGroup(state, str(State(state).label), tuple(record[state]))
        for state in CLOSE_STATES
        if record.get(state)
    ]


@dataclass(frozen=True)
class ReporterReport:
    """One report a reporter owes or has made: its agency, for one open plan."""

    plan: Plan
    agency: Agency  # with ``display_name``, as the status board names it
    status: AgencyStatus | None  # None: the plan sets no target for the agency's tier


def reporter_reports(plans, agency_ids) -> list[ReporterReport]:
    """Return the reports of the agencies ``agency_ids`` for each open plan of ``plans`` (their
    provinces loaded), plan by plan, agencies as on the status board.

    The status board's queries for each open plan (a reporter's province has one or two), plus
    one for the agencies and one for their names.
    """
    open_plans = [plan for plan in plans if plan.status == Plan.Status.OPEN]
    if not open_plans or not agency_ids:
        return []
    agencies_by_province: dict[int, list[Agency]] = {}
    for agency in Agency.objects.filter(
        pk__in=agency_ids, province_id__in={plan.province_id for plan in open_plans}
    ).order_by():
        agencies_by_province.setdefault(agency.province_id, []).append(agency)
    reports = []
    for plan in open_plans:
        mine = [
            agency for agency in agencies_by_province.get(plan.province_id, [])
            if agency.is_active_in(plan.year)
        ]
        if not mine:
            continue
        statuses = {
            status.agency.pk: status
            for status in plan_agency_statuses(plan) if status.agency.pk in agency_ids
        }
        named = {
            agency.pk: agency for agency in name_agencies(mine, province_id=plan.province_id)
        }
        for agency in mine:
            status = statuses.get(agency.pk)
            reports.append(ReporterReport(
                plan, status.agency if status is not None else named[agency.pk], status
            ))
    return reports
