"""The programme page: each programme target's series, chart and on-track forecast.

The programme comes through :func:`plans.policy.access.get_programme_for_user`, its figures
through :mod:`plans.selectors.programmes`.
"""

from django.shortcuts import render

from plans.outputs.programme_charts import forecast_chart
from plans.policy.access import get_programme_for_user
from plans.selectors import programmes as selectors
from plans.selectors.plans import visible_plans
from plans.views.decorators import dashboard_view


@dashboard_view
def dashboard_programme(request, province_code: str, programme_code: str):
    """Show a programme's targets, each with its series by year, its chart and its forecast.

    Queries: profile, province, programme, its targets, agency counts, result sums, the plans'
    milestones.
    """
    programme = get_programme_for_user(request.user, province_code, programme_code)
    items = selectors.forecasts(
        selectors.programme_targets(programme),
        plans=visible_plans(request.user),
    )
    return render(
        request,
        "plans/programme_detail.html",
        {
            "province": programme.province,
            "programme": programme,
            "items": [
                (item, forecast_chart(item, title_id=f"chart-title-{index}"))
                for index, item in enumerate(items, start=1)
            ],
        },
    )
