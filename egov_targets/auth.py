"""Login throttling (django-axes): the backend, and how a failure is attributed; and whether a
request's session cookie names a signed-in session, before anything else is read."""

import ipaddress
import re
from importlib import import_module

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import SESSION_KEY

# A session key as Django makes them; anything else names no session and is not looked up.
SESSION_KEY_FORMAT = re.compile(r"[a-z0-9]{8,40}")

# The width of django-axes' AccessAttempt.username (and AccessLog, AccessFailureLog).
AXES_USERNAME_MAX_LENGTH = 255


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Throttle logins made through a web request; leave request-less calls to other backends.

    Every login form passes the request, so every login over the web is throttled. Code that
    authenticates without a request (the test client's ``login``, scripts) is not an attack
    surface and would otherwise be refused outright by django-axes.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def axes_username(request, credentials=None):
    """Return the submitted username cut to what django-axes can store.

    django-axes records every failure with its username in a varchar(255); PostgreSQL refuses
    a longer value, so a 300-character username answered 500 instead of a failed login.
    Cutting it keeps the throttle working: every longer username sharing those 255 characters
    counts as one, and none of them can belong to a user (Django's usernames are 150 at most).
    """
    # django-axes gives this setting its default at import (axes.conf), unseen by the stubs.
    field = settings.AXES_USERNAME_FORM_FIELD  # type: ignore[misc]
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if not isinstance(username, str):
        return username
    return username[:AXES_USERNAME_MAX_LENGTH]


def axes_client_ip(request):
    """Return the address a failed login is counted against.

    Without a reverse proxy (``TRUSTED_PROXY_COUNT`` 0) it is the connection's address, and
    X-Forwarded-For is ignored: anyone can send that header, and trusting it would let a client
    dodge the throttle by changing it on every attempt. Behind ``TRUSTED_PROXY_COUNT`` proxies,
    each of which appends the address it received the request from, the client's address is
    that many entries from the right; whatever the client put further left is never read.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request entered after the first proxy, and the left-most
    # entry was still written by a trusted one.
    address = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        # A proxy wrote something that is not an address (misconfiguration): fall back.
        return remote


def signed_in_session(request) -> bool:
    """Return True if ``request``'s session cookie names a session, not expired, of a signed-in
    user; one query, and none for a cookie that is missing or not a session key.

    Only the cookie and the session are read (not the request's body, not the user): what the
    upload handler needs before it lets a body in. The user, the CSRF token and the view's own
    rules are checked later as usual.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not SESSION_KEY_FORMAT.fullmatch(key):
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return SESSION_KEY in store
