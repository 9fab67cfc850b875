"""Evidence files behind an agency's figures: attach one, download one, delete one.

Attaching and deleting are entry pages (:func:`plans.views.decorators.entry_view`): officers of
the province, admins, and reporters for their own agencies (403 for another, as on its agency
page). Downloading is for every reader of the province, leaders included, and reporters for
their own agencies (404 for another); it goes through
:func:`plans.policy.access.get_evidence_for_user`,
which finds the file through its province, year and agency. Files are never served from a
public address. While an agency's report is approved its files can be neither attached nor
deleted (plans.services.evidence) until an officer reopens it.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from plans.files import filetypes
from plans.files.uploads import oversized_upload, upload_limit
from plans.policy.access import get_evidence_for_user
from plans.selectors.agencies import catalogue, indicator_by_code
from plans.services.evidence import (
    DESCRIPTION_MAX_LENGTH,
    EvidenceRefused,
    EvidenceStorageFailed,
    evidence_add,
    evidence_delete,
    evidence_usage,
)
from plans.views.decorators import entry_view


def agency_page_url(plan, agency) -> str:
    return reverse("plans:entry_agency", args=[plan.province.code, plan.year, agency.code])


def evidence_form_context(plan, agency, indicators) -> dict:
    """Return what the upload form needs, on the agency page and on its own page."""
    return {
        "evidence_indicators": indicators,
        "evidence_max_bytes": settings.EVIDENCE_MAX_BYTES,
        "evidence_accept": filetypes.ACCEPT,
        "evidence_kinds": filetypes.allowed_kinds_text(),
        "evidence_description_max": DESCRIPTION_MAX_LENGTH,
        "evidence_usage": evidence_usage(agency=agency, year=plan.year),
        "evidence_add_url": reverse(
            "plans:entry_evidence_add", args=[plan.province.code, plan.year, agency.code]
        ),
    }


@upload_limit("EVIDENCE_MAX_BYTES")
@entry_view("GET", "POST", reporters=True, active_agency=True)
def entry_evidence_add(request, entry):
    """Show the form to attach a file (GET); store the file as evidence (POST)."""
    plan, agency, read_only = entry.plan, entry.agency, entry.read_only
    context = {
        "plan": plan,
        "province": plan.province,
        "agency": agency,
        "closed_message": read_only,
        "agency_url": agency_page_url(plan, agency),
        "chosen_indicator": request.POST.get("indicator", ""),
        "description": request.POST.get("description", ""),
        **evidence_form_context(plan, agency, catalogue()),
    }
    if request.method == "GET":
        return render(request, "plans/evidence_add.html", context)
    if read_only:
        context["refusal"] = read_only
        return render(request, "plans/evidence_add.html", context, status=409)
    upload = request.FILES.get("file")
    skipped = oversized_upload(request, "file")
    refusal = ""
    indicator = None
    code = request.POST.get("indicator", "").strip()
    if skipped is not None:
        name, size = skipped
        refusal = _("Tệp %(name)s quá lớn (%(size)s; tối đa %(max)s).") % {
            "name": name,
            "size": filesizeformat(size),
            "max": filesizeformat(settings.EVIDENCE_MAX_BYTES),
        }
    elif upload is None:
        refusal = _("Chưa chọn tệp. Hãy chọn tệp %(kinds)s.") % {
            "kinds": filetypes.allowed_kinds_text()
        }
    elif code:
        indicator = indicator_by_code(code)
        if indicator is None:
            refusal = _("Không có chỉ tiêu mã %(code)s.") % {"code": code}
    if not refusal:
        assert upload is not None
        try:
            evidence = evidence_add(
                agency=agency,
                year=plan.year,
                indicator=indicator,
                file=upload,
                original_name=upload.name or "",
                description=request.POST.get("description", ""),
                user=request.user,
            )
        except EvidenceRefused as refused:
            refusal = refused.message
        except EvidenceStorageFailed as failed:
            # Not the person's fault: the storage's status (507 full, 503 not writable).
            context["refusal"] = failed.message
            return render(request, "plans/evidence_add.html", context, status=failed.status)
        else:
            messages.success(
                request,
                _("Đã đính kèm tệp %(name)s (%(size)s).")
                % {"name": evidence.original_name, "size": filesizeformat(evidence.size)},
            )
            return redirect(context["agency_url"] + "#evidence")
    context["refusal"] = refusal
    return render(request, "plans/evidence_add.html", context, status=400)


@login_required
def entry_evidence(request, province_code, year, agency_code, evidence_id):
    """Send an evidence file as a download, with the type detected when it was attached and a
    name ending in that type's extension."""
    evidence = get_evidence_for_user(request.user, province_code, year, agency_code, evidence_id)
    # After the access check, as on the entry pages: a stranger learns nothing from the method.
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    try:
        file = evidence.file.open("rb")
    except FileNotFoundError:
        # The row is there but its file is not (a database restored without the files).
        raise Http404 from None
    response = FileResponse(
        file,
        as_attachment=True,
        filename=evidence.download_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@entry_view("GET", "POST", reporters=True)
def entry_evidence_delete(request, entry, evidence_id):
    """Show which file deleting removes (GET), and delete it (POST)."""
    plan, agency, read_only = entry.plan, entry.agency, entry.read_only
    evidence = get_evidence_for_user(
        request.user, plan.province.code, plan.year, agency.code, evidence_id, write=True
    )
    refusal, status = read_only, 200
    if read_only and request.method == "POST":
        status = 409
    elif request.method == "POST":
        try:
            evidence_delete(evidence=evidence, user=request.user)
        except EvidenceRefused as refused:
            refusal, status = refused.message, 409
        else:
            messages.success(
                request,
                _("Đã xoá tệp %(name)s. Lịch sử thay đổi vẫn ghi tên và mã băm của tệp.")
                % {"name": evidence.original_name},
            )
            return redirect(agency_page_url(plan, agency) + "#evidence")
    return render(
        request,
        "plans/evidence_delete.html",
        {
            "plan": plan,
            "province": plan.province,
            "agency": agency,
            "evidence": evidence,
            "refusal": refusal,
            "read_only": bool(read_only),
            "agency_url": agency_page_url(plan, agency),
        },
        status=status,
    )
