"""The indicators' definitions pages (dữ liệu đặc tả)."""

from django.http import Http404
from django.shortcuts import render

from plans.selectors.indicators import indicator_with_years, years_in_use
from plans.views.decorators import dashboard_view


# Readers as on the dashboards that link here: any logged-in user, anyone when the dashboards
# are public (settings.PUBLIC_DASHBOARD).
@dashboard_view
def indicator_definition(request, code: str):
    """Show what an indicator measures, how it is computed, on what legal basis, and the years
    it is used in.

    Queries (besides the session's): the indicator with its years in use.
    """
    indicator = indicator_with_years(code)
    if indicator is None:
        raise Http404
    return render(
        request,
        "indicators/indicator_definition.html",
        {"indicator": indicator, "years": years_in_use(indicator)},
    )
