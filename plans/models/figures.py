"""What the pages of a province's year were last computed from: a version, and when its figures
last changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models.places import Province


class FiguresVersion(models.Model):
    """The figures version of a province's year: every write that changes what a page of that
    year shows moves ``version`` on, in the write's own transaction (plans.services.figures).

    Pages and their caches are keyed by it, so a page read after a write never shows the figures
    of before. ``figures_at`` is when a result or a target of the year last changed (a
    deletion included): the dashboards' "figures as of" line, kept here rather than found by
    scanning the results and the history on every page. Results of a year without a plan
    belong to no plan, so the key is the province and the year, not the plan.
    """

    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="+", verbose_name=_("tỉnh")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    version = models.PositiveBigIntegerField(_("phiên bản số liệu"), default=0)
    figures_at = models.DateTimeField(_("số liệu thay đổi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản số liệu")
        verbose_name_plural = _("phiên bản số liệu")
        constraints = [
            # One row per province and year: the pages read it by both, the writes add to it.
            models.UniqueConstraint(fields=["province", "year"], name="figures_version_unique"),
        ]

    def __str__(self):
        return f"{self.province_id}/{self.year} v{self.version}"
