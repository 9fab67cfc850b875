"""The plans app's models, one module per kind of thing; every name is importable from here.

- places: Province, Agency (and the active-year rule), Profile
- planning: Plan, Target
- results: Result (and the rule its figures keep)
- reporting: Submission, Evidence
- history: Change
- figures: FiguresVersion (what the pages of a province's year were computed from)

May import: models, rules, files, indicators.models.
"""

from plans.models.figures import FiguresVersion
from plans.models.history import Change
from plans.models.places import (
    MAX_YEAR,
    MIN_YEAR,
    Agency,
    Profile,
    Province,
    active_in_year,
    year_validators,
)
from plans.models.planning import Plan, Target
from plans.models.reporting import Evidence, Submission, evidence_file_name
from plans.models.results import Result, result_errors

__all__ = [
    "MAX_YEAR", "MIN_YEAR", "Agency", "Change", "Evidence", "FiguresVersion", "Plan", "Profile",
    "Province",
    "Result", "Submission", "Target", "active_in_year", "evidence_file_name", "result_errors",
    "year_validators",
]
