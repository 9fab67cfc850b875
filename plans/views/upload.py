"""Results uploads for steering-committee staff: the template to fill in, the upload, the confirm.

Every view gets its plan through :func:`plans.views.decorators.entry_view` with ``write=True``,
as the other entry pages do. A reporter may use them too, for its own agencies only: its
template lists them alone, and its upload refuses any other agency's row as an unknown code.
The file is read by ``plans.services.imports.results_import``; the template is written by
:mod:`plans.outputs.results_template`.
"""

import base64
import hashlib

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.files.uploads import oversized_upload, upload_limit
from plans.models import Change
from plans.outputs import results_template
from plans.policy.access import is_reporter, reporter_agency_ids
from plans.rules.parsing import parse_ascii_int
from plans.selectors.agencies import agencies_by_name
from plans.services import imports
from plans.views.decorators import entry_view
from plans.words.wording import change_figures_text, time_text

UPLOAD_SESSION_KEY = "entry_upload"
# The preview keeps the file in the session (base64) until it is confirmed; larger files are
# refused rather than stored there.
UPLOAD_SESSION_MAX_BYTES = 2 * 1024 * 1024


@entry_view("GET", reporters=True)
def entry_template(request, entry, file_format):
    """Download results.csv (or .xlsx) pre-filled with the year's agencies and indicators."""
    plan = entry.plan
    if file_format not in results_template.CONTENT_TYPES:
        raise Http404
    response = HttpResponse(
        results_template.template_file(
            plan,
            file_format,
            agency_ids=_reporter_agencies(request),
            # The host the person downloaded from: the definitions' addresses open from the file.
            site_root=request.build_absolute_uri("/").rstrip("/"),
        ),
        content_type=results_template.CONTENT_TYPES[file_format],
    )
    filename = f"results-{plan.province.code}-{plan.year}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@upload_limit("UPLOAD_MAX_BYTES")
@entry_view("GET", "POST", reporters=True)
def entry_upload(request, entry):
    """Upload results (CSV or XLSX): preview every bad row, then confirm to write all or none.

    A good file's preview lists the results it will create or change, old and new, by agency,
    and apart from them its conflicts: rows whose result someone changed after the template was
    downloaded. The previewed file is kept in the session until confirmed, with a digest of
    those changes; the confirm imports it again from scratch and writes only if it makes exactly
    the changes previewed, so anything that changed in between is checked again. A conflict is
    written only when ticked (one by one, or all at once); the others stay as they are.
    """
    plan = entry.plan
    # The preview's session copy and the request's own limit both apply; show the smaller.
    limit = min(UPLOAD_SESSION_MAX_BYTES, settings.UPLOAD_MAX_BYTES)
    context = {
        "plan": plan,
        "province": plan.province,
        "closed_message": entry.read_only,
        "max_bytes": limit,
    }
    agency_ids = _reporter_agencies(request)
    if agency_ids is not None:
        context["reporter_agencies"] = agencies_by_name(plan, agency_ids)
    if request.method == "GET":
        request.session.pop(UPLOAD_SESSION_KEY, None)
        return render(request, "plans/entry_upload.html", context)

    if "confirm" in request.POST:
        return _upload_confirm(request, plan, context)

    upload = request.FILES.get("file")
    # A file past UPLOAD_MAX_BYTES was skipped while it arrived: it is not in request.FILES.
    skipped = oversized_upload(request, "file")
    if upload is None and skipped is None:
        context["file_error"] = _("Chưa chọn tệp. Hãy chọn tệp CSV hoặc Excel (.xlsx).")
        return render(request, "plans/entry_upload.html", context, status=400)
    name, size = skipped or (upload.name, upload.size)
    if skipped or size > limit:
        # The same words for sizes as the page's "tối đa 2,0 MB" (filesizeformat).
        context["file_error"] = _(
            "Tệp %(name)s quá lớn (%(size)s; tối đa %(max)s). Hãy chia thành nhiều tệp."
        ) % {"name": name, "size": filesizeformat(size), "max": filesizeformat(limit)}
        return render(request, "plans/entry_upload.html", context, status=400)
    data = upload.read()
    report, refused = _import(request, plan, data, dry_run=True)
    context.update({"report": report, "refused": refused, "filename": upload.name})
    if refused:
        request.session.pop(UPLOAD_SESSION_KEY, None)
        return render(request, "plans/entry_upload.html", context, status=400)
    request.session[UPLOAD_SESSION_KEY] = {
        "plan": plan.pk,
        "name": upload.name,
        "data": base64.b64encode(data).decode("ascii"),
        "sha256": hashlib.sha256(data).hexdigest(),
        "digest": report.changes_digest,
    }
    _preview_context(context, report, request.session[UPLOAD_SESSION_KEY])
    return render(request, "plans/entry_upload.html", context)


def _preview_context(context, report, kept) -> None:
    """Add to ``context`` the preview of ``report``'s changes and what the confirm sends."""
    context["confirm_sha256"] = kept["sha256"]
    context["change_groups"] = change_groups(report)
    context["conflicts"] = conflict_rows(report)


def conflict_rows(report) -> list[dict]:
    """Return the report's listed conflicts in words: line, agency, indicator, the current
    figures and the file's, who saved the current ones and when (Vietnam time)."""
    return [
        {
            "line": conflict.line,
            "agency": conflict.agency_name,
            "indicator": conflict.indicator,
            "current": change_figures_text(conflict.indicator, _snapshot(conflict.current)),
            "new": change_figures_text(conflict.indicator, _snapshot(conflict.new)),
            "who": conflict.changed_by,
            "when": time_text(conflict.changed_at) if conflict.changed_at else "",
            "overwritten": conflict.overwritten,
        }
        for conflict in report.conflicts
    ]


def change_groups(report) -> list[dict]:
    """Return the report's listed changes by agency, in the file's order, in words.

    Each group: the agency's name, its counts of new and changed results (all of them, listed
    or not), and its rows (line, indicator, old and new figures in words, new or not).
    """
    groups: dict[int, dict] = {}
    for change in report.changes:
        group = groups.get(change.agency_id)
        if group is None:
            created, updated = report.changes_by_agency[change.agency_id]
            group = groups[change.agency_id] = {
                "name": change.agency_name, "created": created, "updated": updated, "rows": [],
            }
        group["rows"].append({
            "line": change.line,
            "indicator": change.indicator,
            "is_new": change.old is None,
            "old": change_figures_text(change.indicator, _snapshot(change.old)),
            "new": change_figures_text(change.indicator, _snapshot(change.new)),
        })
    return list(groups.values())


def _snapshot(figures: tuple | None) -> dict | None:
    if figures is None:
        return None
    return dict(zip(("value", "numerator", "denominator", "note"), figures, strict=True))


def _upload_confirm(request, plan, context):
    kept = request.session.get(UPLOAD_SESSION_KEY)
    if (
        not kept
        or kept.get("plan") != plan.pk
        or kept.get("sha256") != request.POST.get("sha256")
    ):
        context["file_error"] = _(
            "Không tìm thấy tệp đã xem trước (có thể bạn đã mở trang tải lên ở thẻ khác). "
            "Hãy chọn tệp và xem trước lại."
        )
        return render(request, "plans/entry_upload.html", context, status=400)
    data = base64.b64decode(kept["data"])
    overwrite_all = request.POST.get("overwrite_all") == "1"
    # The lines ticked; anything else posted is no line of the file and ticks nothing.
    ticked = {
        line for line in (parse_ascii_int(text) for text in request.POST.getlist("overwrite"))
        if line is not None
    }
    try:
        # A session kept before digests were stored has none: "" matches no import.
        report, refused = _import(
            request, plan, data, dry_run=False, expected_digest=kept.get("digest", ""),
            newer=imports.NEWER_OVERWRITE if overwrite_all else imports.NEWER_KEEP,
            overwrite_lines=ticked,
        )
    except imports.ChangesDiffer as differ:
        # Someone changed these results since the preview: show what the file would do now.
        kept["digest"] = differ.report.changes_digest
        request.session[UPLOAD_SESSION_KEY] = kept
        context.update({"report": differ.report, "refused": False, "filename": kept["name"]})
        context["file_error"] = _(
            "Kết quả đã thay đổi kể từ lúc bạn xem trước (có người vừa nhập hoặc sửa), nên "
            "chưa ghi gì. Hãy xem lại các thay đổi dưới đây rồi xác nhận lại."
        )
        _preview_context(context, differ.report, kept)
        return render(request, "plans/entry_upload.html", context, status=409)
    if refused:
        request.session.pop(UPLOAD_SESSION_KEY, None)
        context.update({"report": report, "refused": True, "filename": kept["name"]})
        return render(request, "plans/entry_upload.html", context, status=400)
    request.session.pop(UPLOAD_SESSION_KEY, None)
    done = _(
        "Đã nhập tệp %(name)s: %(created)s kết quả mới, %(updated)s kết quả được sửa, "
        "%(unchanged)s không đổi, %(skipped)s dòng trống bỏ qua."
    ) % {
        "name": kept["name"],
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped_blank,
    }
    if report.sheet:
        done += " " + _("Đã đọc trang tính “%(sheet)s”.") % {"sheet": report.sheet}
    if report.overwritten:
        done += " " + ngettext(
            "%(count)s kết quả người khác sửa sau khi tải tệp mẫu đã được ghi đè theo lựa chọn "
            "của bạn.",
            "%(count)s kết quả người khác sửa sau khi tải tệp mẫu đã được ghi đè theo lựa chọn "
            "của bạn.",
            report.overwritten,
        ) % {"count": report.overwritten}
    messages.success(request, done)
    kept_conflicts = [row for row in conflict_rows(report) if not row["overwritten"]]
    left = len(kept_conflicts) + report.conflicts_unlisted
    if left:
        # Not written, and said so, each by name: the person decides what to do with them.
        messages.warning(request, ngettext(
            "%(count)s kết quả được giữ nguyên vì người khác đã sửa sau khi bạn tải tệp mẫu "
            "(không được chọn ghi đè): %(rows)s.",
            "%(count)s kết quả được giữ nguyên vì người khác đã sửa sau khi bạn tải tệp mẫu "
            "(không được chọn ghi đè): %(rows)s.",
            left,
        ) % {"count": left, "rows": "; ".join(
            _("dòng %(line)s, %(agency)s, %(indicator)s") % {
                "line": row["line"], "agency": row["agency"], "indicator": row["indicator"].name,
            }
            for row in kept_conflicts
        )})
    if is_reporter(request.user):
        # The year page is not a reporter's: back to the upload page, where the message shows.
        return redirect("plans:entry_upload", province_code=plan.province.code, year=plan.year)
    return redirect("plans:entry_year", province_code=plan.province.code, year=plan.year)


def _reporter_agencies(request) -> set[int] | None:
    """Return the ids of the agencies a reporter enters, or None for anyone else (no limit)."""
    return reporter_agency_ids(request.user) if is_reporter(request.user) else None


def _import(
    request, plan, data: bytes, *, dry_run: bool, expected_digest: str | None = None,
    newer: str = imports.NEWER_KEEP, overwrite_lines=(),
):
    """Return (report, refused) for importing ``data`` into ``plan``'s province and year.

    The report describes the changes; with ``expected_digest`` the import raises
    ChangesDiffer, writing nothing, unless its changes are the ones that digest was made of.
    Conflicts are left as they are unless ``newer`` or ``overwrite_lines`` say otherwise.
    """
    try:
        report = imports.results_import(
            source=data,
            user=request.user,
            channel=Change.Channel.UPLOAD,
            dry_run=dry_run,
            provinces=[plan.province_id],
            agencies=_reporter_agencies(request),
            years=[plan.year],
            budget=imports.ReadBudget.web(),
            describe=True,
            expected_digest=expected_digest,
            newer=newer,
            overwrite_lines=overwrite_lines,
        )
    except imports.ImportRefused as refusal:
        return refusal.report, True
    return report, False
