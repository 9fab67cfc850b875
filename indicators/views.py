"""The indicators' definitions pages (dữ liệu đặc tả)."""

from django.shortcuts import get_object_or_404, render

from indicators import selectors
from indicators.models import Indicator
from plans.views.decorators import dashboard_view


# Readers as on the dashboards that link here: any logged-in user, anyone when the dashboards
# are public (settings.PUBLIC_DASHBOARD).
@dashboard_view
def indicator_definition(request, code: str):
    """Show what an indicator measures, how it is computed, on what legal basis, and the years
    it is used in.

    Queries (besides the session's): the indicator with its years in use.
    """
    indicator = get_object_or_404(selectors.with_years_in_use(Indicator.objects.all()), code=code)
    return render(
        request,
        "indicators/indicator_definition.html",
        {"indicator": indicator, "years": selectors.years_in_use(indicator)},
    )
