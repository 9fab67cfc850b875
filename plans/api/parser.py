"""Reading a request's JSON body: within the body budget, and saying where it is not JSON."""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja.parser import Parser

from plans.api.errors import ApiError


class BudgetedJsonParser(Parser):
    """Parse a JSON body of at most ``API_MAX_BODY_BYTES`` bytes, or raise ApiError.

    The size was checked against Content-Length before the body was read
    (plans.api.middleware), and Django reads no more than Content-Length; it is checked here
    again on what was read.
    """

    def parse_body(self, request):
        body = request.body
        if len(body) > settings.API_MAX_BODY_BYTES:
            raise too_large()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ApiError(
                400, _("Nội dung không phải UTF-8 (byte thứ %(position)s)."),
                {"position": error.start + 1},
            ) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ApiError(
                400,
                _("Nội dung không phải JSON hợp lệ ở dòng %(line)s, cột %(column)s: %(reason)s."),
                {"line": error.lineno, "column": error.colno, "reason": error.msg},
                line=error.lineno, column=error.colno,
            ) from None
        except RecursionError:
            raise ApiError(400, _("Nội dung JSON lồng nhau quá sâu.")) from None


def too_large() -> ApiError:
    return ApiError(
        413, _("Nội dung gửi lên dài hơn %(max)s byte, giới hạn của API."),
        {"max": settings.API_MAX_BODY_BYTES},
    )
