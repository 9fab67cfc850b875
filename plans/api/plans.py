"""``/provinces/<code>/plans/<year>/``: a plan's progress and its agencies' reports."""

from django.utils import timezone
from ninja import Router
from ninja.decorators import decorate_view

from plans.api.caching import etagged
from plans.api.numbers import json_number
from plans.api.schemas import ErrorOut, ProgressOut, StatusOut
from plans.outputs.exports import progress_rows
from plans.policy.access import get_plan_for_user
from plans.selectors.figures import year_figures
from plans.selectors.status import STATUS_CSV_COLUMNS, plan_agency_statuses, status_csv_rows

router = Router(tags=["plans"])

# Columns of progress.csv that hold a Decimal; the API gives them as JSON numbers.
DECIMAL_COLUMNS = ("target", "achieved")
# Columns of status.csv that hold true/false; the API gives them as JSON booleans.
FLAG_COLUMNS = ("late", "changed_since_approval", "changed_since_submission")


@router.get(
    "/{code}/plans/{year}/progress",
    response={200: ProgressOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="A plan's progress: the rows of progress.csv",
)
@decorate_view(etagged)
def plan_progress_read(request, code: str, year: int):
    """Return every target of the plan with the columns of progress.csv, and its status.

    The figures are progress.csv's (the same row building) over the year's figures bundle the
    dashboard reads (plans.selectors.figures.year_figures), kept in the cache under the year's
    figures version: the API, the file and the dashboard agree to the digit, a write is seen at
    once, and a warm read costs the one query of the version. The ETag is made from the body,
    so it changes whenever a figure or the time the figures changed does.
    """
    plan = get_plan_for_user(request.auth.owner, code, year)
    bundle = year_figures(province=plan.province, year=plan.year, plan=plan)
    targets = []
    for row in progress_rows(plan, bundle.rows):
        for column in DECIMAL_COLUMNS:
            row[column] = json_number(row[column])
        targets.append(row)
    as_of = bundle.as_of
    return {
        "province_code": plan.province.code,
        "year": plan.year,
        "status": plan.status,
        "figures_as_of": as_of.changed_at and timezone.localtime(as_of.changed_at),
        "targets": targets,
    }


@router.get(
    "/{code}/plans/{year}/status",
    response={200: StatusOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
              429: ErrorOut},
    summary="Each agency's report: the rows of status.csv",
)
@decorate_view(etagged)
def plan_status_read(request, code: str, year: int):
    """Return every agency in the plan's scope with the columns of status.csv.

    For officers and admins, as the status board; a leader's or reporter's token gets 403.
    """
    plan = get_plan_for_user(request.auth.owner, code, year, write=True)
    statuses = plan_agency_statuses(plan)
    # status.csv guards names for spreadsheets; JSON gives them as they are.
    names = {status.agency.code: status.agency.name for status in statuses}
    agencies = []
    for cells in status_csv_rows(statuses):
        row: dict = dict(zip(STATUS_CSV_COLUMNS, cells, strict=True))
        row["agency_name"] = names[row["agency_code"]]
        for column, text in row.items():
            if column in FLAG_COLUMNS:
                row[column] = text == "true"
            elif text == "":
                row[column] = None
        agencies.append(row)
    return {"province_code": plan.province.code, "year": plan.year, "agencies": agencies}
