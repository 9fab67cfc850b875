from django.apps import AppConfig
from django.core import checks


class EgovTargetsConfig(AppConfig):
    """The project package as an app: it owns the checks of the project's own settings."""

    name = "egov_targets"
    verbose_name = "egov-targets"

    def ready(self):
        from egov_targets.checks import check_secret_key

        checks.register(check_secret_key, checks.Tags.security, deploy=True)
