from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Kế hoạch và kết quả")

    def ready(self):
        from django.db.backends.signals import connection_created

        from plans.words.collation import register_sqlite_collation

        # SQLite has no Vietnamese collation of its own: the admin's lists order by ours.
        connection_created.connect(register_sqlite_collation)
