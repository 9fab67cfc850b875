from django.urls import path

from plans.views import checklists, entry, evidence, submissions, upload

# Included under the ``plans`` namespace at entry/. Fixed words come before <str:tier> so
# that "upload" or "agency" is never read as a tier.
urlpatterns = [
    path("<str:province_code>/<int:year>/", entry.entry_year, name="entry_year"),
    path("<str:province_code>/<int:year>/close/", entry.entry_close, name="entry_close"),
    path("<str:province_code>/<int:year>/reopen/", entry.entry_reopen, name="entry_reopen"),
    path("<str:province_code>/<int:year>/upload/", upload.entry_upload, name="entry_upload"),
    path(
        "<str:province_code>/<int:year>/checklist/<int:target_id>/",
        checklists.entry_checklist,
        name="entry_checklist",
    ),
    path("<str:province_code>/<int:year>/status/", submissions.status_board, name="status_board"),
    path("<str:province_code>/<int:year>/status.csv", submissions.status_csv, name="status_csv"),
    path(
        "<str:province_code>/<int:year>/template.<str:file_format>",
        upload.entry_template,
        name="entry_template",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/",
        entry.entry_agency,
        name="entry_agency",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/clear/<str:indicator_code>/",
        entry.entry_result_clear,
        name="entry_result_clear",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/submit/",
        submissions.submission_submit_view,
        name="submission_submit",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/withdraw/",
        submissions.submission_withdraw_view,
        name="submission_withdraw",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/approve/",
        submissions.submission_approve_view,
        name="submission_approve",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/return/",
        submissions.submission_return_view,
        name="submission_return",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/reopen/",
        submissions.submission_reopen_view,
        name="submission_reopen",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/history/",
        entry.entry_history,
        name="entry_history",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/evidence/",
        evidence.entry_evidence_add,
        name="entry_evidence_add",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/evidence/<int:evidence_id>/",
        evidence.entry_evidence,
        name="entry_evidence",
    ),
    path(
        "<str:province_code>/<int:year>/agency/<str:agency_code>/evidence/<int:evidence_id>/"
        "delete/",
        evidence.entry_evidence_delete,
        name="entry_evidence_delete",
    ),
    path("<str:province_code>/<int:year>/<str:tier>/", entry.entry_grid, name="entry_grid"),
]
