"""``/provinces/<code>/plans/<year>/results``: read a plan's results a page at a time, and
send results, all or nothing, through the upload's service."""

from django.conf import settings
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import CursorPagination, paginate

from egov_targets.vocabulary import Tier
from plans.api.caching import etagged
from plans.api.errors import ApiError
from plans.api.schemas import (
    ConflictsOut,
    ErrorOut,
    ResultOut,
    ResultsIn,
    ResultsWrittenOut,
    RowErrorsOut,
)
from plans.policy.access import get_plan_for_user, is_reporter, reporter_agency_ids
from plans.selectors.listing import plan_results
from plans.services.api_results import (
    ResultsConflict,
    ResultsInvalid,
    ResultsLocked,
    results_post,
)

router = Router(tags=["results"])


class ResultFilters(Schema):
    agency: str | None = None
    indicator: str | None = None
    tier: Tier | None = None


@router.get(
    "/{code}/plans/{year}/results",
    response={200: list[ResultOut], 400: ErrorOut, 401: ErrorOut, 404: ErrorOut,
              429: ErrorOut},
    summary="A plan's results, a page at a time",
)
@decorate_view(etagged)
# In the order of the unique index (agency, year, indicator): a page is an index range of the
# province's agencies. By id, PostgreSQL walked the whole table's ids to fill a page (bench,
# 63 provinces: 543 ms against 0.4 ms). The cursor holds the agency and how many of its
# results were already given.
@paginate(CursorPagination, ordering=("agency_id", "indicator_id"),
          page_size=settings.API_RESULTS_PAGE_SIZE,
          max_page_size=settings.API_RESULTS_MAX_PAGE_SIZE)
def result_list(request, code: str, year: int, filters: Query[ResultFilters]):
    """Return the results of the plan's province and year, by agency then indicator; ``next``
    is the address of the following page (null on the last)."""
    plan = get_plan_for_user(request.auth.owner, code, year)
    return plan_results(
        plan, agency_code=filters.agency, indicator_code=filters.indicator, tier=filters.tier
    )


@router.post(
    "/{code}/plans/{year}/results",
    response={
        200: ResultsWrittenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
        409: ConflictsOut, 411: ErrorOut, 413: ErrorOut, 422: RowErrorsOut, 429: ErrorOut,
    },
    summary="Send results: all are written, or none",
)
def result_send(request, code: str, year: int, payload: ResultsIn):
    """Create or update the results sent, as the upload does; ``dry_run`` only checks.

    Officers and admins write any agency of their province, a reporter its own agencies; a
    leader's token gets 403.
    """
    owner = request.auth.owner
    plan = get_plan_for_user(owner, code, year, write=True, reporters=True)
    try:
        report = results_post(
            plan=plan,
            results=[result.model_dump() for result in payload.results],
            user=owner,
            token=request.auth,
            agency_ids=reporter_agency_ids(owner) if is_reporter(owner) else None,
            dry_run=payload.dry_run,
        )
    except ResultsLocked as locked:
        raise ApiError(409, locked.message, english=locked.message_en, conflicts=[]) from None
    except ResultsInvalid as invalid:
        raise ApiError(
            422, errors=[
                {"index": p.index, "field": p.field, "message": p.message,
                 "message_en": p.message_en} for p in invalid.problems
            ],
        ) from None
    except ResultsConflict as conflict:
        raise ApiError(
            409, conflicts=[
                {"index": c.index, "agency_code": c.agency_code,
                 "indicator_code": c.indicator_code, "message": c.message,
                 "message_en": c.message_en,
                 "current": c.current and ResultOut.from_orm(c.current).model_dump(mode="json")}
                for c in conflict.conflicts
            ],
        ) from None
    return {
        "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
        "skipped_blank": report.skipped_blank, "dry_run": payload.dry_run,
    }
