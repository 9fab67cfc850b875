"""What the API answers before and after django-ninja: the body budget, and JSON for errors.

Under ``/api/``, a body announced longer than ``API_MAX_BODY_BYTES`` is refused (413) before
anything reads it; Django reads no more of a body than its Content-Length says, so a body sent
without one (chunked) would be read as empty, and is refused (411) instead. Every error Django
answers itself (an unknown address's 404, a 400 from another middleware, a server fault's 500)
is replaced by the API's JSON error: a program never gets an HTML page.
"""

from django.conf import settings

from plans.api.errors import error_response, status_response
from plans.api.parser import too_large

API_PREFIX = "/api/"
BODY_METHODS = ("POST", "PUT", "PATCH")


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        length = request.META.get("CONTENT_LENGTH") or ""
        if not length and request.method in BODY_METHODS:
            return status_response(411)
        length = length or "0"
        if not length.isdigit():
            return status_response(400)
        if int(length) > settings.API_MAX_BODY_BYTES:
            refusal = too_large()
            return error_response(413, refusal.body())
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            replaced = status_response(response.status_code)
            if "Allow" in response:
                replaced["Allow"] = response["Allow"]
            return replaced
        return response

