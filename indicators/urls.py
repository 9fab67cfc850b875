from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("<str:code>/", views.indicator_definition, name="definition"),
]
