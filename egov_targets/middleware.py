"""Security headers that Django 5.2 does not set itself."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Everything comes from this site; no inline script or style is ever needed (charts are SVG
# rendered on the server with presentation attributes).
DEFAULT_CSP = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Speak Vietnamese unless the user chose another language with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many Vietnamese
    officials run English-language browsers; the product is Vietnamese first, so only the
    language cookie set by the switch (``set_language``) changes it.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
