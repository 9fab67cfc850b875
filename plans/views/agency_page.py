"""The read-only page of one agency's report for a plan, for those who read the province.

Leaders reach it from a target's page (each agency in scope links here): the agency's figures
of the year, its report's state, its evidence files to download and the history of its
figures. It changes nothing; the access helper is
:func:`plans.policy.access.get_agency_page_for_reader`.
"""

from django.shortcuts import render

from plans.policy.access import get_agency_page_for_reader
from plans.selectors.agencies import ordered_indicators, targeted_indicator_ids
from plans.selectors.agency_reading import (
    agency_changes,
    agency_evidence,
    agency_year_results,
)
from plans.selectors.naming import name_agencies
from plans.views.decorators import dashboard_view
from plans.views.entry import agency_report
from plans.words.wording import change_figures_text

# The page shows this many of the agency's latest changes.
HISTORY_SHOWN = 50


@dashboard_view
def dashboard_agency(request, province_code: str, year: int, agency_code: str):
    """Show one agency's figures, report state, evidence and history for the plan's year.

    Queries: session, user, profile, province, plan, agency, reporter's agencies (reporters
    only), the names people are shown, targets, the catalogue, the year's results, the
    submission, the figures' digest, evidence files, changes.
    """
    plan, agency = get_agency_page_for_reader(request.user, province_code, year, agency_code)
    name_agencies([agency], province_id=plan.province_id)
    targeted = targeted_indicator_ids(plan, agency.tier)
    results = agency_year_results(agency, plan.year)
    figures = [
        {
            "indicator": indicator,
            "targeted": indicator.pk in targeted,
            "result": results.get(indicator.pk),
            "text": change_figures_text(
                indicator,
                results[indicator.pk].as_dict() if indicator.pk in results else None,
            ),
        }
        for indicator in ordered_indicators(targeted)
        if indicator.pk in targeted or indicator.pk in results
    ]
    return render(
        request,
        "plans/dashboard_agency.html",
        {
            "plan": plan,
            "province": plan.province,
            "year": plan.year,
            "agency": agency,
            "report": agency_report(request.user, plan, agency, read_only=True),
            "figures": figures,
            "evidence_files": agency_evidence(agency, plan.year),
            "changes": agency_changes(agency, limit=HISTORY_SHOWN),
            "history_shown": HISTORY_SHOWN,
        },
    )
