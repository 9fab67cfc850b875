"""The reporting cycle as one table: which move takes an agency's report from which states to
which, who may make it, and whose changes a state refuses.

The service that makes the moves (plans.services.submissions), the agency page's report panel
and the status board all read this table; none of them states a rule of its own. Pure: the
caller says who the person is (``reports``: may enter the agency's results; ``reviews``: an
officer or admin of its province), this module says what follows.
"""

import enum
from dataclasses import dataclass

from egov_targets.vocabulary import SubmissionState as State


class Actor(enum.StrEnum):
    """Who may make a move."""

    # Whoever may enter the agency's results: its reporters, the province's officers, admins.
    REPORTER = "reporter"
    # The province's officers and admins.
    REVIEWER = "reviewer"


@dataclass(frozen=True)
class Transition:
    """One move of a report: from ``sources`` to ``target``, by ``actor``.

    The Submission row keeps who made it and when in ``<stamp>_at`` and ``<stamp>_by``, and its
    reason, when one is asked for, in ``reason_field``.
    """

    name: str
    sources: frozenset[State]
    target: State
    actor: Actor
    stamp: str
    reason_field: str = ""

    @property
    def needs_reason(self) -> bool:
        return bool(self.reason_field)

    def allows(self, state: str, *, reports: bool, reviews: bool) -> bool:
        """Return True if a person who ``reports`` / ``reviews`` may make this move from
        ``state``."""
        permitted = reports if self.actor == Actor.REPORTER else reviews
        return permitted and state in self.sources


# The table: name, from, to, by whom, stamp, the field of its reason (if it asks one).
# WITHDRAW: the reporter takes a submitted report back to correct it, then sends it again.
SUBMIT, WITHDRAW, APPROVE, RETURN, REOPEN = (
    Transition("submit", frozenset({State.NOT_STARTED, State.DRAFT, State.RETURNED}),
               State.SUBMITTED, Actor.REPORTER, "submitted"),
    Transition("withdraw", frozenset({State.SUBMITTED}), State.DRAFT, Actor.REPORTER,
               "withdrawn"),
    Transition("approve", frozenset({State.SUBMITTED}), State.APPROVED, Actor.REVIEWER,
               "approved"),
    Transition("return", frozenset({State.SUBMITTED}), State.RETURNED, Actor.REVIEWER,
               "returned", "return_reason"),
    Transition("reopen", frozenset({State.APPROVED}), State.DRAFT, Actor.REVIEWER, "reopened",
               "reopen_reason"),
)
TRANSITIONS: dict[str, Transition] = {
    transition.name: transition for transition in (SUBMIT, WITHDRAW, APPROVE, RETURN, REOPEN)
}

# Not (or no longer) sent: what may be submitted, and is overdue once the deadline has passed.
UNSENT = SUBMIT.sources


def allowed_moves(state: str, *, reports: bool, reviews: bool, plan_open: bool) -> set[str]:
    """Return the names of the moves a person may make on a report in ``state``.

    Nothing moves while the plan is not open (a draft or a closed plan).
    """
    if not plan_open:
        return set()
    return {
        name
        for name, transition in TRANSITIONS.items()
        if transition.allows(state, reports=reports, reviews=reviews)
    }


def figures_frozen(state: str | None, *, reviews: bool) -> bool:
    """Return True if a report in ``state`` refuses changes to its figures and evidence by a
    person who ``reviews`` (or not).

    An approved report refuses everyone until it is reopened; a submitted one refuses its
    reporters, who withdraw it first, while officers and admins may still correct it.
    """
    return state == State.APPROVED or (state == State.SUBMITTED and not reviews)
