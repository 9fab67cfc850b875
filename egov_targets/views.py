"""Site-wide views: health check and error pages."""

import errno
import sys

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe


@never_cache
def healthz(request):
    """Answer 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def favicon(request):
    """Send a browser asking for /favicon.ico to the icon the pages link (static/favicon.svg).

    Resolved on each request, not when the URLs load: the hashed name exists only after
    collectstatic. Not a permanent redirect: the hashed name changes with the icon.
    """
    return HttpResponseRedirect(static("favicon.svg"))


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Render the 500 page, the 503 page when the database is the cause, or the storage's page
    when a write to disk failed (507 for want of space, 503 for want of permission) — an upload
    kept in a temporary file, for one. Django has logged the error with its cause.

    The templates are self-contained: they touch neither the database nor the session, so they
    render even when those are down.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, DatabaseError):
        body = loader.get_template("503.html").render()
        return HttpResponse(body, status=503, headers={"Retry-After": "60"})
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return HttpResponse(loader.get_template("507.html").render(), status=507)
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        body = loader.get_template("503_storage.html").render()
        return HttpResponse(body, status=503, headers={"Retry-After": "60"})
    return HttpResponse(loader.get_template(template_name).render(), status=500)


def csrf_failure(request, reason=""):
    """Explain an expired or refused form in Vietnamese instead of Django's English page."""
    return HttpResponse(
        loader.get_template("403_csrf.html").render({}, request), status=403
    )
