"""The API object: its routers, its token authentication and rate limit, and its errors.

Every exception an endpoint raises ends here as a JSON error (plans.api.errors): the access
helpers' Http404 and PermissionDenied, django-ninja's own errors (a missing token, the rate
limit, parameters or a body that do not validate), and, logged, any fault of the server.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer

from plans.api import indicators, plans, provinces, results
from plans.api.auth import TokenAuth, TokenRateThrottle
from plans.api.errors import (
    ApiError,
    api_error_response,
    error_response,
    render,
    status_response,
)
from plans.api.parser import BudgetedJsonParser

logger = logging.getLogger(__name__)

# pydantic's error types, as the API says them (its own messages are English only).
VALIDATION_MESSAGES = {
    "missing": _("Thiếu khoá này."),
    "extra_forbidden": _("Không có khoá này trong định dạng."),
    "int_type": _("Phải là một số nguyên."),
    "int_parsing": _("Phải là một số nguyên."),
    "int_from_float": _("Phải là một số nguyên."),
    "string_type": _("Phải là một chuỗi."),
    "bool_type": _("Phải là true hoặc false."),
    "bool_parsing": _("Phải là true hoặc false."),
    "list_type": _("Phải là một danh sách."),
    "model_type": _("Phải là một đối tượng JSON."),
    "model_attributes_type": _("Phải là một đối tượng JSON."),
    "dict_type": _("Phải là một đối tượng JSON."),
    "too_long": _("Nhiều hơn %(max_length)s phần tử."),
    "greater_than_equal": _("Phải lớn hơn hoặc bằng %(ge)s."),
    "value_error": _("Có ký tự không được phép (NUL)."),
    "enum": _("Phải là một trong %(expected)s."),
}
PARAMETER_MESSAGE = _("Tham số %(name)s không hợp lệ: %(reason)s")
CURSOR_MESSAGE = _("hãy dùng nguyên địa chỉ next hoặc previous của trang trước.")
# The kinds a value may take; pydantic reports a value that is none of them once per kind.
UNION_MEMBERS = {"int", "bool", "str", "none"}

class Utf8JsonRenderer(JSONRenderer):
    """JSON in UTF-8 as it is, "Kiên Giang" rather than "Ki\\u00ean Giang"."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="egov-targets API",
    version="1",
    description=(
        "Read a province's plans, progress, results and reports; send results. "
        "Authorization: Bearer TOKEN (manage.py create_api_token)."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    parser=BudgetedJsonParser(),
    renderer=Utf8JsonRenderer(),
    # The schema is at openapi.json; the docs page is the project's own (plans.api.docs),
    # served without a CDN.
    docs_url=None,
)
api.add_router("/provinces/", provinces.router)
api.add_router("/provinces/", plans.router)
api.add_router("/provinces/", results.router)
api.add_router("/indicators/", indicators.router)


@api.exception_handler(ApiError)
def _api_error(request, error: ApiError):
    return api_error_response(request, error)


@api.exception_handler(AuthenticationError)
def _no_token(request, error):
    return error_response(401, ApiError(401).body(), {"WWW-Authenticate": "Bearer"})


@api.exception_handler(Throttled)
def _throttled(request, error: Throttled):
    return error_response(429, ApiError(429).body())


@api.exception_handler(HttpError)
def _http_error(request, error: HttpError):
    # django-ninja wraps what the body parser raised: answer the parser's own error.
    if isinstance(error.__cause__, ApiError):
        return api_error_response(request, error.__cause__)
    return status_response(error.status_code)


@api.exception_handler(Http404)
def _not_found(request, error):
    return status_response(404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, error):
    return status_response(403)


@api.exception_handler(ValidationError)
def _invalid(request, error: ValidationError):
    """Answer 422 with each wrong value of the body by index and key, 400 for a parameter."""
    body_errors: list[tuple[list, dict]] = []
    other: list[tuple[list, dict]] = []
    for item in error.errors:
        location = list(item.get("loc", ()))
        (body_errors if location[:1] == ["body"] else other).append((location, item))
    if other:
        location, item = other[0]
        reason: Any
        if "cursor" in item:
            # django-ninja's cursor pagination says only {"cursor": "Invalid Cursor"}.
            name, reason, given = "cursor", CURSOR_MESSAGE, ""
        else:
            name = ".".join(str(part) for part in location[1:])
            reason = VALIDATION_MESSAGES.get(item.get("type", ""))
            given = item.get("msg", "")
        texts = [
            render(PARAMETER_MESSAGE, {
                "name": name,
                "reason": render(reason, item.get("ctx"), language) if reason else given,
            }, language)
            for language in ("vi", "en")
        ]
        return api_error_response(request, ApiError(400, texts[0], english=texts[1]))
    rows, seen = [], set()
    for location, item in body_errors:
        # ["body", "payload", "results", 3, "value", "int"]: index 3, key "value".
        path = [part for part in location[2:] if part not in UNION_MEMBERS]
        index = path[1] if len(path) > 1 and path[0] == "results" else None
        field = path[2] if index is not None and len(path) > 2 else (
            None if index is not None else ".".join(str(part) for part in path) or None
        )
        if (index, field) in seen:
            continue
        seen.add((index, field))
        message = VALIDATION_MESSAGES.get(item.get("type", ""))
        params = item.get("ctx")
        rows.append({
            "index": index, "field": None if field is None else str(field),
            "message": render(message, params, "vi") if message else item.get("msg", ""),
            "message_en": render(message, params, "en") if message else item.get("msg", ""),
        })
    return api_error_response(request, ApiError(422, errors=rows))


@api.exception_handler(Exception)
def _fault(request, error: Exception):
    logger.exception("API fault on %s", request.path)
    return status_response(500)
