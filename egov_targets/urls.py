from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from egov_targets import views
from plans.api.docs import api_docs
from plans.api.site import api

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links: answer with the icon, not a 404.
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Django's account pages without password reset: it e-mails a link, the product has no
    # mail server, and admins manage accounts (manage.py create_account, the admin).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    # The JSON API for other systems (plans.api); its docs page is the project's own.
    path("api/v1/docs", api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("indicators/", include("plans.urls.indicators")),
    path("", include("plans.urls")),
]

handler500 = "egov_targets.views.server_error"

admin.site.site_header = _("Quản trị – Chỉ tiêu ứng dụng CNTT")
admin.site.site_title = _("Quản trị egov-targets")
admin.site.index_title = _("Danh mục, đơn vị, kế hoạch và kết quả")
