from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("plans.urls")),
]

admin.site.site_header = "egov-targets"
admin.site.site_title = "egov-targets"
admin.site.index_title = settings.ADMIN_INDEX_TITLE if hasattr(settings, "ADMIN_INDEX_TITLE") else "egov-targets"
