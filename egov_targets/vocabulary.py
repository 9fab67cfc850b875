"""The words of the data contract (docs/FORMATS.md): tiers, kinds, units, comparators, statuses.

Each word is defined here once and used by the models (as their nested ``TextChoices``:
``Agency.Tier``, ``Indicator.Kind``, ``Target.Unit``, ``Target.Comparator``, ``Plan.Status``,
``Profile.Role``), by the database constraints (``.values``: a model's ``Meta`` cannot see the
classes nested in the model, so the constraints name these), by the progress arithmetic
(plans.rules.progress), the imports, and every page and file that shows a status.
tests/test_vocabulary.py holds them to docs/FORMATS.md.

A plain module of enumerations, no models: both apps import it (plans already imports
indicators, so neither app's package is the place), and so does plans.rules.progress, which must
stay
free of the database.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """A tier of government, in the canonical order a set of tiers is written in."""

    PROVINCE = "province", _("UBND tỉnh")
    DEPARTMENT = "department", _("sở, ban, ngành tỉnh")
    DISTRICT = "district", _("UBND cấp huyện")
    COMMUNE = "commune", _("UBND cấp xã")


class Kind(models.TextChoices):
    """What an agency reports for an indicator: yes or no, a ratio, or a count."""

    YES_NO = "yes_no", _("Có/không")
    RATIO = "ratio", _("Tỉ lệ (tử số/mẫu số)")
    COUNT = "count", _("Số lượng")


class Group(models.TextChoices):
    """The group an indicator of the catalogue belongs to."""

    INFRASTRUCTURE = "infrastructure", _("Hạ tầng kỹ thuật")
    INTERNAL = "internal", _("Ứng dụng CNTT trong nội bộ cơ quan nhà nước")
    SERVICES = "services", _("Ứng dụng CNTT phục vụ người dân và doanh nghiệp")


class Unit(models.TextChoices):
    """The unit of a target's value: a percentage or a whole number."""

    PERCENT = "percent", _("%")
    COUNT = "count", _("số lượng")


class Comparator(models.TextChoices):
    """How the achieved figure is held against a target's value (*trên X %* is ``>``)."""

    GTE = ">=", _("≥ (từ … trở lên)")
    GT = ">", _("> (trên)")
    LTE = "<=", _("≤ (không quá)")
    LT = "<", _("< (dưới)")


class Status(models.TextChoices):
    """The status of a target's progress, as computed by plans.rules.progress."""

    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NO_DATA = "no_data", _("Chưa có số liệu")


class ForecastStatus(models.TextChoices):
    """Where a programme target is heading by its last year, as plans.rules.forecast says."""

    MET = "met", _("Đã đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    SLOW = "slow", _("Chậm")
    NO_PROGRESS = "no_progress", _("Không tiến triển hoặc đi lùi")
    MISSED = "missed", _("Không đạt khi kết thúc chương trình")
    NO_DATA = "no_data", _("Chưa đủ số liệu")


class PlanStatus(models.TextChoices):
    """Where a plan stands: drafted, being carried out, or closed with its review."""

    DRAFT = "draft", _("Dự thảo")
    OPEN = "open", _("Đang thực hiện")
    CLOSED = "closed", _("Đã tổng kết")


class Role(models.TextChoices):
    """What a user may do (``create_account --role``)."""

    OFFICER = "officer", _("Cán bộ nhập liệu")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")
    ADMIN = "admin", _("Quản trị")
    REPORTER = "reporter", _("Cán bộ báo cáo của đơn vị")


class SubmissionState(models.TextChoices):
    """Where an agency's report for a plan stands.

    Only draft (a reopened report), submitted, returned and approved are stored
    (``Submission.state``); not started and draft are otherwise derived: no Submission row is
    draft if the agency has a result for the plan's year, else not started.
    """

    NOT_STARTED = "not_started", _("Chưa nhập")
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


# The states a Submission row may hold (not started is never stored).
STORED_SUBMISSION_STATES = [
    SubmissionState.DRAFT,
    SubmissionState.SUBMITTED,
    SubmissionState.RETURNED,
    SubmissionState.APPROVED,
]
