"""URLs: the addresses of the pages.

May import: views.
"""

from django.urls import include, path

from plans.views import home

app_name = "plans"

urlpatterns = [
    path("", home.home, name="home"),
    path("entry/", include("plans.urls.entry")),
    path("dashboard/", include("plans.urls.dashboard")),
]
