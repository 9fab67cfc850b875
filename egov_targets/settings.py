"""
Settings for egov-targets, read from the environment (see .env.example).

One module for every environment: development, tests, CI and production differ only in
their environment variables.
"""

import os
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is read when present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    # Development only: a fixed, obviously insecure key.
    SECRET_KEY = "django-insecure-development-only-key"
# With DEBUG off and no SECRET_KEY, the commands that sign nothing (makemigrations, migrate,
# collectstatic, the imports) still run; serving refuses to start (egov_targets/wsgi.py),
# `check --deploy` fails (egov_targets/checks.py) and Django refuses any use of the empty key.

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # The project package itself: its system checks (egov_targets.apps).
    "egov_targets",
    "indicators",
    "plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Under /api/: the body budget before anything reads a body, JSON for every error below.
    "plans.api.middleware.ApiMiddleware",
    "egov_targets.middleware.SecurityHeadersMiddleware",
    # Before anything reads the session or the database: PostgreSQL refuses NUL in text.
    "egov_targets.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session middleware, to see the session cookie it sets; static files never
    # reach it and stay cacheable.
    "egov_targets.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov_targets.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "egov_targets.auth.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after 5 failures for one username from one address, that
# pair is locked out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A username longer than axes' varchar(255) would make PostgreSQL refuse the failure's record.
AXES_USERNAME_CALLABLE = "egov_targets.auth.axes_username"
# How many reverse proxies in front of the application append to X-Forwarded-For (nginx as the
# README sets it up: 1). 0 (the default) ignores the header, which any client can forge, and
# counts failures against the connection's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more (see .env.example).")
AXES_CLIENT_IP_CALLABLE = "egov_targets.auth.axes_client_ip"

ROOT_URLCONF = "egov_targets.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Whether the reader reports for agencies (the entry pages' links).
                "plans.views.context.reader",
            ],
        },
    },
]

WSGI_APPLICATION = "egov_targets.wsgi.application"

# SQLite is the zero-setup default; production sets DATABASE_URL to PostgreSQL, e.g.
# postgres://egov:secret@127.0.0.1:5432/egov?conn_max_age=60
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A persistent connection (conn_max_age in DATABASE_URL) is checked before a request reuses it:
# after a PostgreSQL restart each worker's first request reconnected instead of answering 503.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Take the write lock when a transaction begins: two deferred transactions that both read
    # and then write deadlock, and SQLite fails one at once without waiting out the timeout.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # The test database is a file, not memory, so that two connections (the concurrent-save
    # tests) can write in turn; one file per test process, so that two runs never share it.
    # Django removes a leftover file of that name before the run and the file after it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"egov-targets-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "plans:home"

# Vietnamese first, English available.
LANGUAGE_CODE = "vi"
# Each language named in its own words, untranslated: the menu must let a reader who cannot
# read the page find his language. (Django's LANG_INFO name_local would do, but its Vietnamese
# is in decomposed Unicode, not the NFC this project stores and compares.)
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["egov_targets.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Hashed, compressed files in production; plain storage where collectstatic has not run
# (tests, development).
STATICFILES_BACKEND = env.str(
    "STATICFILES_BACKEND",
    default=(
        "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    ),
)
# Evidence files (plans.models.Evidence) are stored here, under evidence/<province>/<year>/.
# There is no MEDIA_URL route: they are served only by the access-checked download view.
# FileSystemStorage reads MEDIA_ROOT when used, so tests point it at a temporary directory.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": STATICFILES_BACKEND},
}

# Uploads: results files are small; anything larger than this is refused before parsing.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Evidence files (scans, photos, documents) may be larger; the evidence upload view asks for
# this limit instead (plans.files.uploads.upload_limit).
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
# Quotas of evidence storage (plans/services/evidence.py), in bytes: an agency's files of one
# year, a province's files of all years, and what one account may upload in an hour (one
# account stored 600 MB in 8 s before). Over any of them an upload is refused, naming what is
# used and what is allowed.
EVIDENCE_QUOTA_AGENCY_YEAR_BYTES = env.int(
    "EVIDENCE_QUOTA_AGENCY_YEAR_BYTES", default=500 * 1024 * 1024
)
EVIDENCE_QUOTA_PROVINCE_BYTES = env.int(
    "EVIDENCE_QUOTA_PROVINCE_BYTES", default=50 * 1024 * 1024 * 1024
)
EVIDENCE_QUOTA_ACCOUNT_HOUR_BYTES = env.int(
    "EVIDENCE_QUOTA_ACCOUNT_HOUR_BYTES", default=200 * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000  # a 150-commune x 14-indicator grid posts ~9,000 fields
# An uploaded file stops being stored once it passes UPLOAD_MAX_BYTES, or its view's own limit
# (plans/files/uploads.py): the check runs while Django receives it, before any middleware or view
# reads the request.
FILE_UPLOAD_HANDLERS = [
    "plans.files.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    # Django's, removing its temporary file when writing it fails (a full /tmp).
    "plans.files.uploads.RemovingTemporaryFileUploadHandler",
]
# The work reading one table may cost (plans/services/tables/budget.py), counted while reading: a
# file over any limit is refused with a message naming it, and nothing is written. "web" is an
# upload on the website (a few seconds and a few tens of MB at worst); "command" is the import
# commands, which must take the national results file (1.8 million rows, ~100 MB of CSV).
# Each limit is read from READ_<PROFILE>_<LIMIT>, e.g. READ_WEB_MAX_ROWS; README.md lists them.


def _read_budget(profile: str, **defaults: int) -> dict[str, int]:
    return {
        name: env.int(f"READ_{profile}_{name}".upper(), default=value)
        for name, value in defaults.items()
    }


READ_BUDGETS = {
    "web": _read_budget(
        "web",
        # Rows: CSV records, or the row elements of a sheet, blank ones included.
        max_rows=200_000,
        # Fields of one row, header included (the formats need at most 8).
        max_columns=64,
        # Fields of all rows together; in a workbook, every cell element, empty or not.
        max_cells=1_000_000,
        # Characters of one cell (a note holds at most 500).
        max_cell_chars=10_000,
        # Characters of all cells together, a shared string counted at every use.
        max_total_chars=20_000_000,
        # Entries and characters of a workbook's shared-string table, held in memory.
        max_shared_strings=200_000,
        max_shared_chars=10_000_000,
        # Uncompressed bytes of each part of a workbook (a sheet, the shared strings, ...).
        max_part_bytes=32 * 1024 * 1024,
        # Uncompressed over compressed size of a part of 1 MB or more; the XML of real
        # tables shrinks 5 to 30 times.
        max_compression_ratio=100,
        # XML read from outside (a workbook's parts, the parts of an evidence file): nesting
        # depth (Excel's sheets nest under 10 deep), attributes of one element (a cell has a
        # few), elements of a whole file (a cell and its value are 2: 700,000 cells with values,
        # far past any province's file; refused in about a second), and bytes of one tag,
        # attributes and all.
        max_xml_depth=100,
        max_xml_attributes=256,
        max_xml_elements=1_500_000,
        max_xml_tag_bytes=256 * 1024,
    ),
    # The same limits for the import commands; 32,767 characters is Excel's own cell limit.
    "command": _read_budget(
        "command",
        max_rows=5_000_000,
        max_columns=256,
        max_cells=50_000_000,
        max_cell_chars=32_767,
        max_total_chars=1_000_000_000,
        max_shared_strings=10_000_000,
        max_shared_chars=200_000_000,
        max_part_bytes=2 * 1024 * 1024 * 1024,
        max_compression_ratio=200,
        max_xml_depth=100,
        max_xml_attributes=1_000,
        max_xml_elements=200_000_000,
        max_xml_tag_bytes=1024 * 1024,
    ),
}

# Dashboards readable without login (entry never). Off by default.
PUBLIC_DASHBOARD = env.bool("PUBLIC_DASHBOARD", default=False)

# E-mail (send_reminders), through Django's mail framework. The default prints messages to
# standard output; production sets e.g. EMAIL_URL=smtp+tls://user:password@mail.example:587.
# django-environ turns the URL into EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD and EMAIL_USE_TLS / EMAIL_USE_SSL.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A connection that hangs must not hold the daily reminders forever (seconds).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# send_reminders writes about a plan once its report deadline is this many days away or fewer
# (and every day after it has passed).
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=7)

# The JSON API (/api/v1/, plans.api). A request body longer than API_MAX_BODY_BYTES is refused
# (413) before it is read; a POST of results holds at most API_MAX_RESULTS of them; each token
# makes at most API_RATE_LIMIT requests ("N/s", "N/min", "N/hour", "N/day"), counted in the
# default cache (per server process unless that cache is shared); a page of results holds
# API_RESULTS_PAGE_SIZE of them unless the client asks for another page_size, up to
# API_RESULTS_MAX_PAGE_SIZE.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
API_MAX_RESULTS = env.int("API_MAX_RESULTS", default=5000)
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/min")
API_RESULTS_PAGE_SIZE = env.int("API_RESULTS_PAGE_SIZE", default=100)
API_RESULTS_MAX_PAGE_SIZE = env.int("API_RESULTS_MAX_PAGE_SIZE", default=1000)
# django-ninja's cursor counts the results of one agency already given (the order's ties): as
# many as an agency may have in a year, indicators added by admins included.
NINJA_PAGINATION_MAX_OFFSET = 100_000
if REMINDER_DAYS_BEFORE < 0:
    raise ImproperlyConfigured("REMINDER_DAYS_BEFORE must be 0 or more (see .env.example).")
# The site's address as people open it, for links in mail (send_reminders), which is written
# outside any request. The default is make run's development server.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SITE_URL must start with https:// or http:// (see .env.example).")

# Security. Production runs behind a reverse proxy that terminates HTTPS and sets
# X-Forwarded-Proto.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes the health check over plain HTTP, straight to the application.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    # The language switch's cookie, like the others: HTTPS only, not sent by other sites' posts.
    LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    LANGUAGE_COOKIE_SAMESITE = "Lax"
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The header only allows preloading; submitting the domain to browsers' lists stays a
    # manual act.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is written as one line, without a traceback (egov_targets/log_filters.py).
    "filters": {"one_line_forbidden": {"()": "egov_targets.log_filters.OneLineForbidden"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_forbidden"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

CSRF_FAILURE_VIEW = "egov_targets.views.csrf_failure"

# The figures of pages kept ready (plans.selectors.caching), keyed by the figures versions the
# writes move on: never a stale figure. LocMem (one cache per process) by default; several
# workers or machines share one with CACHE_URL, read by django-environ's cache_url, e.g.
# redis://127.0.0.1:6379/1 (needs the redis package) or dbcache://egov_cache (run
# `manage.py createcachetable` first). FIGURES_CACHE_SECONDS=0 turns the keeping off.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
FIGURES_CACHE = "default"
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=3600)
