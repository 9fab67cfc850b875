import os

from django.core.wsgi import get_wsgi_application

from egov_targets.checks import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov_targets.settings")
application = get_wsgi_application()

# gunicorn and runserver both load this module: neither starts without a SECRET_KEY.
require_secret_key()
