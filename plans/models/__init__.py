"""The plans app's models, one module per kind of thing; every name is importable from here.

- places: Province, Agency (and the active-year rule), Profile
- planning: Plan, Target
- programmes: Programme, ProgrammeTarget (multi-year programmes)
- results: Result (and the rule its figures keep)
- reporting: Submission, Evidence
- checklists: TargetItem (the items of a checklist target)
- history: Change
- api: ApiToken
- figures: FiguresVersion (what the pages of a province's year were computed from)

May import: models, rules, files, indicators.models.
"""

from plans.models.api import ApiToken
from plans.models.checklists import TargetItem
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
from plans.models.programmes import Programme, ProgrammeTarget
from plans.models.reporting import Evidence, Submission, evidence_file_name
from plans.models.results import Result, result_errors

__all__ = [
    "MAX_YEAR", "MIN_YEAR", "Agency", "ApiToken", "Change", "Evidence", "FiguresVersion",
    "Plan", "Profile", "Programme", "ProgrammeTarget", "Province", "Result", "Submission",
    "Target", "TargetItem", "active_in_year", "evidence_file_name", "result_errors",
    "year_validators",
]
