"""The Django admin: where admins keep provinces, agencies, plans with their targets, results,
the change history and accounts.

Every changelist runs a constant number of queries (``list_select_related``, annotations).
Writes that must leave a history go through the services of ``plans.services``. One module per
subject; importing them registers their pages.

May import: forms, services, selectors, outputs, policy, models, rules, words, files, admin,
indicators.models.
"""

from plans.admin.accounts import AccountAdmin, ProfileInline
from plans.admin.api import ApiTokenAdmin
from plans.admin.checklists import TargetAdmin, TargetItemInline
from plans.admin.history import ChangeAdmin, HistoryPaginator, HistoryQuerySet
from plans.admin.places import ActiveInYearFilter, AgencyAdmin, ProvinceAdmin
from plans.admin.planning import PlanAdmin, TargetInline
from plans.admin.programmes import ProgrammeAdmin
from plans.admin.results import ResultAdmin

__all__ = [
    "AccountAdmin", "ActiveInYearFilter", "AgencyAdmin", "ApiTokenAdmin", "ChangeAdmin",
    "HistoryPaginator", "HistoryQuerySet", "PlanAdmin", "ProfileInline", "ProgrammeAdmin",
    "ProvinceAdmin", "ResultAdmin", "TargetAdmin", "TargetInline", "TargetItemInline",
]
