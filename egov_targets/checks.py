"""System checks of the project's own settings, and the same test for the WSGI entry point."""

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = "SECRET_KEY must be set when DEBUG is off (see .env.example)."


def secret_key_missing() -> bool:
    try:
        return not settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return True


def require_secret_key() -> None:
    """Refuse to serve without a secret key (sessions, CSRF and password resets sign with it)."""
    if secret_key_missing():
        raise ImproperlyConfigured(MISSING_SECRET_KEY)


def check_secret_key(app_configs, **kwargs):
    """Report a missing SECRET_KEY (registered by egov_targets.apps as a deployment check)."""
    if secret_key_missing():
        return [Error(MISSING_SECRET_KEY, id="egov_targets.E001")]
    return []
