from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Kế hoạch và kết quả")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save

        from indicators.models import Indicator
        from plans.models import Agency, Plan, Programme, ProgrammeTarget, Province, Target
        from plans.services import figures
        from plans.words.collation import register_sqlite_collation

        # SQLite has no Vietnamese collation of its own: the admin's lists order by ours.
        connection_created.connect(register_sqlite_collation)
        # Single saves of what pages show around the figures (names, scopes, plans) move the
        # figures versions on, whoever saves them; the writes of results, reports and evidence
        # do it through the history (plans.services.history), bulk writes by themselves.
        for signal in (post_save, post_delete):
            receivers = [
                (Province, figures.on_place_saved), (Agency, figures.on_place_saved),
                (Plan, figures.on_plan_saved), (Target, figures.on_plan_saved),
                (Programme, figures.on_programme_saved),
                (ProgrammeTarget, figures.on_programme_saved),
            ]
            for model, receiver in receivers:
                signal.connect(receiver, sender=model,
                               dispatch_uid=f"figures-{model.__name__}-{signal is post_save}")
            signal.connect(figures.on_catalogue_saved, sender=Indicator,
                           dispatch_uid=f"figures-Indicator-{signal is post_save}")
