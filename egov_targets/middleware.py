"""Security headers that Django 5.2 does not set itself, and the refusal of NUL characters."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import gettext as _

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


class NoStoreMiddleware:
    """Keep pages for signed-in users and every download out of caches: ``private, no-store``.

    Such a page shows a province's unpublished figures and the user's name; a browser on a
    shared office computer would show it again from its cache after logout, and a proxy could
    hand it to someone else. A file download (a response with Content-Disposition: progress,
    templates) holds the same figures, whoever asked. Anonymous pages (the login page, the
    public dashboards) hold nothing personal and keep what their view set; Django's login page
    and /healthz are never cached by their views. The directives are added to the view's own:
    a stricter one it set (``no-cache``, ``max-age=0``) stays, and ``public`` gives way.

    A signed-in user is recognised by the session cookie sent or set, not by ``request.user``:
    resolving the user reads the database, which the 503 pages and /healthz must answer
    without. A visitor with a session that is not signed in is treated the same way, which
    costs nothing but a cache miss.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session_cookie = settings.SESSION_COOKIE_NAME
        if (
            "Content-Disposition" in response.headers
            or session_cookie in request.COOKIES
            or session_cookie in response.cookies
        ):
            patch_cache_control(response, private=True, no_store=True)
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


NUL = "\x00"


class RejectNulMiddleware:
    """Answer 400 to a request carrying a NUL character anywhere the application reads text.

    PostgreSQL refuses NUL in text: a NUL that reached a query (a URL argument, a query-string
    filter, a form value, a session cookie, the user agent django-axes records) raised an error
    and the visitor got a 500. No honest client sends one, so the request is refused before any
    view runs. Percent-encoded ``%00`` counts: Django has decoded it by the time it is checked.
    Uploaded files' contents are not text fields and are left to the upload checks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.carries_nul(request):
            # The locale middleware comes later: speak the language it would choose.
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if language not in dict(settings.LANGUAGES):
                language = settings.LANGUAGE_CODE
            with translation.override(language):
                return self.refusal()
        return self.get_response(request)

    @staticmethod
    def carries_nul(request) -> bool:
        """Return True if the path, the query, a header, a cookie or a POST field holds a NUL."""
        if NUL in request.path or NUL in request.path_info:
            return True
        texts = [
            value for key, value in request.META.items() if key.startswith("HTTP_")
        ]
        texts.extend(request.COOKIES)
        texts.extend(request.COOKIES.values())
        forms = [request.GET]
        if request.method == "POST":
            # Parsed here rather than later by the CSRF check; files stay in request.FILES.
            forms.append(request.POST)
        for form in forms:
            for key, values in form.lists():
                texts.append(key)
                texts.extend(values)
        return any(NUL in text for text in texts if isinstance(text, str))

    @staticmethod
    def refusal():
        """Return a short 400 page that needs neither the database nor the session."""
        title = escape(_("Yêu cầu không hợp lệ"))
        reason = escape(
            _("Địa chỉ hoặc dữ liệu gửi lên chứa ký tự không được phép (NUL). Hãy kiểm tra lại.")
        )
        return HttpResponseBadRequest(
            f'<!DOCTYPE html>\n<html lang="{translation.get_language()}">\n'
            f'<head><meta charset="utf-8">'
            f"<title>{title}</title></head>\n"
            f"<body><h1>{title}</h1><p>{reason}</p></body>\n</html>\n",
            content_type="text/html; charset=utf-8",
        )
