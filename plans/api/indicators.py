"""``/indicators/``: the catalogue, with what each indicator counts."""

from ninja import Router
from ninja.decorators import decorate_view

from plans.api.caching import etagged
from plans.api.schemas import ErrorOut, IndicatorOut
from plans.selectors.listing import indicator_catalogue

router = Router(tags=["indicators"])


@router.get(
    "/", response={200: list[IndicatorOut], 401: ErrorOut, 429: ErrorOut},
    summary="The indicator catalogue with definitions",
)
@decorate_view(etagged)
def indicator_list(request):
    """Return every indicator: code, names, kind, labels and definitions in both languages."""
    return list(indicator_catalogue())
