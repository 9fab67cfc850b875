"""Who calls the API: the bearer token, and how often each token may call.

A token acts as its owner: the owner's role and provinces decide what it reads and writes
(plans.policy.access), and a reporter's token writes its agencies' results only. Only the
``Authorization: Bearer`` header counts: a session cookie is ignored, so no page's login
reaches the API and no CSRF token is asked for.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from plans.api.errors import ApiError
from plans.services.api_tokens import TokenRefused, api_token_use

REFUSALS = {
    "unknown": _("Mã truy cập không hợp lệ."),
    "expired": _("Mã truy cập đã hết hạn; hãy xin mã mới."),
    "revoked": _("Mã truy cập đã bị thu hồi."),
}


class TokenAuth(HttpBearer):
    """Accept ``Authorization: Bearer <token>``; the request's ``auth`` is the token's row."""

    def authenticate(self, request, token):
        try:
            row = api_token_use(token=token)
        except TokenRefused as refusal:
            raise ApiError(401, REFUSALS[refusal.reason]) from None
        # The owner, for the helpers of plans.policy.access that take a user.
        request.user = row.owner
        return row


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``API_RATE_LIMIT`` requests per token (e.g. ``600/min``), counted in the cache.

    Counted per token, not per owner: each program its own budget. The counts live in
    Django's default cache, so several server processes share them only when that cache is
    shared (a database or Redis cache; the default local-memory cache counts per process).
    """

    scope = "api_token"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request):
        # Read the setting at each request, not once at start-up (tests change it).
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
