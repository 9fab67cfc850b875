"""The leaders' dashboard, included under ``dashboard/`` in the ``plans`` namespace."""

from django.urls import path

from plans.views import agency_page, dashboard, programmes

urlpatterns = [
    path("", dashboard.dashboard_index, name="dashboard_index"),
    path("compare/<int:year>/", dashboard.dashboard_compare, name="dashboard_compare"),
    path(
        "<str:province_code>/trend/<str:indicator_code>/",
        dashboard.dashboard_trend,
        name="dashboard_trend",
    ),
    path(
        "<str:province_code>/programme/<str:programme_code>/",
        programmes.dashboard_programme,
        name="dashboard_programme",
    ),
    path("<str:province_code>/<int:year>/", dashboard.dashboard_plan, name="dashboard_plan"),
    path(
        "<str:province_code>/<int:year>/target/<int:target_id>/",
        dashboard.dashboard_target,
        name="dashboard_target",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/",
        agency_page.dashboard_agency,
        name="dashboard_agency",
    ),
    path(
        "<str:province_code>/<int:year>/report/",
        dashboard.dashboard_report,
        name="dashboard_report",
    ),
    path(
        "<str:province_code>/<int:year>/progress.csv",
        dashboard.dashboard_csv,
        name="dashboard_csv",
    ),
    path(
        "<str:province_code>/<int:year>/progress.xlsx",
        dashboard.dashboard_xlsx,
        name="dashboard_xlsx",
    ),
]
