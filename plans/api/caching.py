"""ETags for the API's reads: a GET answers 304 when the client already holds the same JSON."""

from functools import wraps

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import conditional_page


def etagged(run):
    """Wrap an operation's ``run``: an ETag from the body, 304 on a matching If-None-Match.

    The answer depends on the token (what its owner may read), so it varies on Authorization
    and is kept by private caches only, revalidated each time.
    """
    conditional = conditional_page(run)

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Authorization"])
        return response

    return wrapper
