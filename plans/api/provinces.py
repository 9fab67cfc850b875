"""``/provinces/``: the provinces a token may read, and each one's plans."""

from ninja import Router
from ninja.decorators import decorate_view

from plans.api.caching import etagged
from plans.api.schemas import ErrorOut, PlanOut, ProvinceOut
from plans.policy.access import get_province_for_user, provinces_for_user
from plans.selectors.listing import readable_plans

router = Router(tags=["provinces"])


@router.get(
    "/", response={200: list[ProvinceOut], 401: ErrorOut, 429: ErrorOut},
    summary="Provinces the token may read",
)
@decorate_view(etagged)
def province_list(request):
    """Return the provinces the token's owner may read, by code."""
    return [
        {"code": province.code, "name": province.name}
        for province in provinces_for_user(request.auth.owner).order_by("code")
    ]


@router.get(
    "/{code}/plans/",
    response={200: list[PlanOut], 401: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="A province's plans",
)
@decorate_view(etagged)
def plan_list(request, code: str):
    """Return the province's plans the token's owner may read, oldest year first."""
    owner = request.auth.owner
    province = get_province_for_user(owner, code)
    return [
        {"year": plan.year, "status": plan.status, "title": plan.title}
        for plan in readable_plans(owner, province)
    ]
