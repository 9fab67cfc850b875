from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from egov_targets import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("plans.urls")),
]

handler500 = "egov_targets.views.server_error"

admin.site.site_header = _("Quản trị – Chỉ tiêu ứng dụng CNTT")
admin.site.site_title = _("Quản trị egov-targets")
admin.site.index_title = _("Danh mục, đơn vị, kế hoạch và kết quả")
