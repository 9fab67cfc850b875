"""The named items of a checklist target: each done or not, with a date and evidence."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans.models.places import Agency
from plans.models.planning import Target
from plans.models.reporting import Evidence
from plans.rules.limits import NOTE_MAX_LENGTH

# An item's name is what a plan's text calls it ("Cấp giấy phép xây dựng"): one line.
ITEM_NAME_MAX_LENGTH = 200


class TargetItem(models.Model):
    """One named item of a checklist target (a target with items is met by items done).

    Its target's ``value`` is the number of items that must be done; the progress rules
    (plans.rules.progress.checklist) compare the number done with it.
    """

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="items", verbose_name=_("chỉ tiêu kế hoạch")
    )
    name = models.CharField(_("hạng mục"), max_length=ITEM_NAME_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    done = models.BooleanField(_("đã hoàn thành"), default=False)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=NOTE_MAX_LENGTH, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="target_items",
        verbose_name=_("đơn vị thực hiện"),
        help_text=_("Để trống: tỉnh báo cáo hạng mục này."),
    )
    evidence = models.ForeignKey(
        Evidence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="target_items",
        verbose_name=_("tài liệu minh chứng"),
    )

    class Meta:
        verbose_name = _("hạng mục của chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "hạng mục của chỉ tiêu")
        ordering = ["position", "pk"]
        constraints = [
            # items.csv is keyed on the target and the item's name.
            models.UniqueConstraint(
                fields=["target", "name"],
                name="target_item_one_per_name",
                violation_error_message=_("Chỉ tiêu đã có hạng mục cùng tên."),
            ),
            # A date says when an item was done: an item not done has none.
            models.CheckConstraint(
                condition=Q(done=True) | Q(done_on__isnull=True),
                name="target_item_date_only_when_done",
                violation_error_message=_(
                    "Hạng mục chưa hoàn thành thì không ghi ngày hoàn thành."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="target_item_name_not_blank",
                violation_error_message=_("Hạng mục phải có tên."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.target_id:
            return
        plan = self.target.plan
        errors: dict[str, str] = {}
        agency, evidence = self.agency, self.evidence
        if agency is not None and agency.province_id != plan.province_id:
            errors["agency"] = str(_("Đơn vị thực hiện phải thuộc tỉnh của kế hoạch."))
        if evidence is not None and (
            evidence.agency.province_id != plan.province_id
            or evidence.year != plan.year
            or (agency is not None and evidence.agency_id != agency.pk)
        ):
            errors["evidence"] = _(
                "Tài liệu minh chứng phải là tệp năm %(year)s của đơn vị thực hiện hạng mục "
                "(hoặc của tỉnh, khi hạng mục do tỉnh báo cáo)."
            ) % {"year": plan.year}
        if errors:
            raise ValidationError(errors)
