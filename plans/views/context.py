"""What every page's template may ask about its reader (a context processor).

Decided here, by the access policy, so that templates and their tags only show: asked only
when a template reads it.
"""

from django.utils.functional import SimpleLazyObject

from plans.policy.access import is_reporter


def reader(request) -> dict:
    """Return ``reader_is_reporter``: True if the signed-in person reports for agencies."""
    return {"reader_is_reporter": SimpleLazyObject(lambda: is_reporter(request.user))}
