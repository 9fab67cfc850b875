"""The indicators' definitions pages, under their own namespace (``indicators:definition``).

Served by plans: the page reads plans and results, and the indicators app depends on nothing
in plans.
"""

from django.urls import path

from plans.views import indicators as views

app_name = "indicators"

urlpatterns = [
    path("<str:code>/", views.indicator_definition, name="definition"),
]
