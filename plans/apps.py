from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Kế hoạch và kết quả")

    def ready(self):
        # The project's own system checks (egov_targets is a package, not an app).
        from egov_targets import checks  # noqa: F401
