"""The API's errors: a JSON object with ``detail`` (Vietnamese) and ``detail_en`` (English).

A message is kept untranslated (a lazy string and its parameters) until the answer is made, and
then rendered in both languages: a program may show either to the people it serves.
"""

import logging

from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What each status says when nothing more specific is known (Django's own 404 and 405, a body
# Django could not read, a fault of the server).
STATUS_MESSAGES = {
    400: _("Yêu cầu không hợp lệ."),
    401: _("Thiếu mã truy cập: gửi tiêu đề Authorization: Bearer <mã>."),
    403: _("Vai trò của chủ mã truy cập không được làm việc này."),
    404: _("Không tìm thấy."),
    405: _("Phương thức này không dùng được với địa chỉ này."),
    409: _("Dữ liệu đã thay đổi; không có gì được ghi."),
    411: _("Thiếu tiêu đề Content-Length: gửi nội dung kèm độ dài của nó."),
    413: _("Nội dung gửi lên quá lớn."),
    422: _("Dữ liệu gửi lên không hợp lệ; không có gì được ghi."),
    429: _("Quá nhiều yêu cầu với mã truy cập này; hãy thử lại sau."),
    500: _("Lỗi máy chủ; yêu cầu không được thực hiện. Lỗi đã được ghi lại."),
}


def in_both(message, params: dict | None = None) -> dict:
    """Return ``{"detail": Vietnamese, "detail_en": English}`` for a lazy ``message``."""
    return {
        "detail": render(message, params, "vi"),
        "detail_en": render(message, params, "en"),
    }


def render(message, params: dict | None, language: str) -> str:
    """Return ``message`` (with ``params``) in ``language``."""
    with translation.override(language):
        text = str(message)
        return text % params if params else text


class ApiError(Exception):
    """An answer other than 2xx: ``status``, a message in both languages, and more fields."""

    def __init__(
        self, status: int, message=None, params: dict | None = None, *,
        english: str | None = None, **extra,
    ):
        """``message`` is lazy (rendered in both languages), or with ``english`` a Vietnamese
        text already rendered, as a service gives them."""
        self.status = status
        self.message = message if message is not None else STATUS_MESSAGES[status]
        self.params = params
        self.english = english
        self.extra = extra
        super().__init__(render(self.message, params, "vi"))

    def body(self) -> dict:
        if self.english is not None:
            return {"detail": str(self.message), "detail_en": self.english, **self.extra}
        return {**in_both(self.message, self.params), **self.extra}


def error_response(status: int, body: dict, headers: dict | None = None) -> JsonResponse:
    """Return ``body`` as JSON with ``status``, never cached."""
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def status_response(status: int) -> JsonResponse:
    """Return the plain error of ``status`` (a 500 for a status without its own words)."""
    message = STATUS_MESSAGES.get(status, STATUS_MESSAGES[500])
    return error_response(status, in_both(message))


def api_error_response(request: HttpRequest, error: ApiError) -> JsonResponse:
    return error_response(error.status, error.body())
