from axes.backends import AxesStandaloneBackend


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
