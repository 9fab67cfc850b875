"""The change history as the admin shows it to a person: what each entry is about, and what
changed, in words.

A Change keeps snapshots (``old``, ``new``) whose keys are field names and whose values are
codes and ISO times (plans.services.history). Here every key becomes its label, a state or a
status its Vietnamese label, a time Vietnam's time, a yes/no "có"/"không"; an entry of an
agency's report or evidence names the agency, not only the plan. No raw field name reaches the
page: a key without a label of its own is shown by its model field's name, or as "một trường
khác".
"""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from egov_targets.vocabulary import PlanStatus, SubmissionState
from plans.models import Agency, Change, Evidence, Plan, Submission, Target
from plans.words.wording import date_text, time_text

# The keys kept in Change.old / Change.new, in words, where a model field's name does not say
# it (or there is no field).
CHANGE_FIELD_LABELS = {
    "value": _("giá trị"),
    "numerator": _("tử số"),
    "denominator": _("mẫu số"),
    "note": _("ghi chú"),
    "status": _("trạng thái"),
    "closed_by": _("người tổng kết"),
    "closed_at": _("thời điểm tổng kết"),
    "indicator": _("chỉ tiêu"),
    "tiers": _("phạm vi"),
    "comparator": _("so sánh"),
    "unit": pgettext_lazy("unit of measure", "đơn vị"),
    "position": _("thứ tự"),
    "copied_from": _("sao chép từ kế hoạch năm"),
    # An evidence file's (plans.services.history.evidence_snapshot).
    "evidence": _("tài liệu minh chứng"),
    "agency": _("đơn vị"),
    "year": _("năm"),
    "size": _("dung lượng (byte)"),
    "sha256": _("mã băm SHA-256"),
    "description": _("mô tả"),
    # A checklist item's, recorded on its target (plans.services.history.item_snapshot).
    "item": _("hạng mục"),
    "done": _("đã hoàn thành"),
    "done_on": _("ngày hoàn thành"),
    # An agency's report (plans.services.history.submission_snapshot).
    "state": _("trạng thái báo cáo"),
    "late": _("gửi muộn"),
    "province": _("tỉnh"),
}
# Models whose fields a snapshot may name: their verbose names label the other keys.
SNAPSHOT_MODELS = (Submission, Plan, Target, Evidence)
# Snapshot keys whose values are yes/no.
YES_NO_KEYS = {"late", "is_sample"}


def field_label(key: str) -> str:
    """Return the words for snapshot key ``key``."""
    if key in CHANGE_FIELD_LABELS:
        return str(CHANGE_FIELD_LABELS[key])
    for model in SNAPSHOT_MODELS:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        # A reverse relation has no verbose name; a snapshot never keeps one anyway.
        name = getattr(field, "verbose_name", None)
        if name:
            return str(name)
    return gettext("một trường khác")


def value_text(key: str, value, *, is_report: bool) -> str:
    """Return a snapshot's value of ``key`` as a person reads it."""
    if value is None or value == "":
        return gettext("(trống)")
    if key == "state" and value in SubmissionState.values:
        return str(SubmissionState(value).label)
    if key == "status" and not is_report and value in PlanStatus.values:
        return str(PlanStatus(value).label)
    if key in YES_NO_KEYS or isinstance(value, bool):
        return gettext("có") if value else gettext("không")
    if isinstance(value, str) and key.endswith(("_at", "_date", "_deadline", "_cutoff")):
        moment = parse_datetime(value)
        if moment is not None:
            return time_text(moment)
        try:
            return date_text(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def is_report_entry(change: Change) -> bool:
    """Return True if ``change`` records an agency's report (submit, approve, return...)."""
    snapshot = change.new or change.old or {}
    return change.result_id is None and change.target_id is None and "state" in snapshot


def agency_code_of(change: Change) -> str | None:
    """Return the code of the agency a report or evidence entry is about, else None."""
    if change.result_id or change.target_id:
        return None
    snapshot = change.new or change.old or {}
    code = snapshot.get("agency")
    return code if isinstance(code, str) else None


def agency_names(changes) -> dict[str, str]:
    """Return {agency code: name} for the report and evidence entries of ``changes``: one
    query, none when there is no such entry."""
    codes = {code for code in map(agency_code_of, changes) if code}
    if not codes:
        return {}
    return dict(Agency.objects.filter(code__in=codes).values_list("code", "name"))


def subject_text(change: Change, names: dict[str, str]) -> str:
    """Return what ``change`` is about: a result, a target, an agency's report or evidence
    file (by the agency's name), or the plan."""
    if change.result_id:
        return str(change.result)
    if change.target_id:
        return str(change.target)
    code = agency_code_of(change)
    if code:
        agency = names.get(code, code)
        if is_report_entry(change):
            return gettext("Báo cáo của %(agency)s – %(plan)s") % {
                "agency": agency, "plan": change.plan,
            }
        return gettext("Minh chứng của %(agency)s – %(plan)s") % {
            "agency": agency, "plan": change.plan,
        }
    return str(change.plan)


def difference_lines(change: Change) -> list[tuple[str, str, str | None]]:
    """Return what changed as (label, before, after) in words; ``before`` is "" for a
    creation, ``after`` None for a deletion. The agency a report names is in its subject."""
    old, new = change.old or {}, change.new or {}
    report = is_report_entry(change)
    lines: list[tuple[str, str, str | None]] = []
    if "item" in old and old.get("item") == new.get("item"):
        # A checklist item's change keeps its name: say which item changed.
        lines.append((field_label("item"), str(old["item"]), str(old["item"])))
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key), new.get(key)
        if before == after or (report and key == "agency"):
            continue
        label = field_label(key)
        if change.old is None:
            lines.append((label, "", value_text(key, after, is_report=report)))
        elif change.new is None:
            lines.append((label, value_text(key, before, is_report=report), None))
        else:
            lines.append((label, value_text(key, before, is_report=report),
                          value_text(key, after, is_report=report)))
    return lines
