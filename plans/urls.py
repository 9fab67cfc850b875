from django.urls import path

from plans.views import home

app_name = "plans"

urlpatterns = [
    path("", home.home, name="home"),
]
