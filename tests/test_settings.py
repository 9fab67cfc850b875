"""Settings read from the environment, checked as a deployment would see them.

Each case starts Django in a subprocess with a clean environment, so that nothing from the test
run (DEBUG, SECRET_KEY, DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE) leaks into it.
"""

import io
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands
from django.db import connection

from plans.models import Plan, Target

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
HAS_DOTENV = (ROOT / ".env").exists()

PRODUCTION_ENV = {
    "DEBUG": "off",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "egov.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://egov.example.gov.vn",
    "DATABASE_URL": "postgres://egov:secret@127.0.0.1:5432/egov?conn_max_age=60",
}

DUMP_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "PORT": str(db.get("PORT", "")),
    "USER": db.get("USER", ""),
    "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
    "SECURE_PROXY_SSL_HEADER": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "LANGUAGE_COOKIE_SECURE": settings.LANGUAGE_COOKIE_SECURE,
    "LANGUAGE_COOKIE_SAMESITE": settings.LANGUAGE_COOKIE_SAMESITE,
    "CONN_HEALTH_CHECKS": db.get("CONN_HEALTH_CHECKS"),
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    "SECURE_REDIRECT_EXEMPT": getattr(settings, "SECURE_REDIRECT_EXEMPT", []),
    "TRUSTED_PROXY_COUNT": settings.TRUSTED_PROXY_COUNT,
    "AXES_CLIENT_IP_CALLABLE": settings.AXES_CLIENT_IP_CALLABLE,
    "AXES_USERNAME_CALLABLE": settings.AXES_USERNAME_CALLABLE,
    "NUL_GUARD": settings.MIDDLEWARE.index("egov_targets.middleware.RejectNulMiddleware")
    - settings.MIDDLEWARE.index("egov_targets.middleware.SecurityHeadersMiddleware"),
}))
"""

# Plain HTTP to the application, as a load balancer's probe or a careless link would come,
# under the production settings of a subprocess (the suite turns the HTTPS redirect off).
PLAIN_HTTP = """
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="egov.example.gov.vn")
for url in ("/healthz", "/", "/accounts/login/"):
    response = client.get(url)
    print(url, response.status_code, response.get("Location", ""))
"""


def run_python(*args, **env):
    """Run the project's Python with only ``env`` (plus PATH) in the environment."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "egov_targets.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def dump_settings(**env):
    completed = run_python("-c", DUMP_SETTINGS, **env)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_it_passes_the_deployment_checks_with_production_settings():
    completed = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "no issues" in completed.stdout


def test_it_passes_the_deployment_checks_without_a_proxy_or_with_two(tmp_path):
    for count in ("0", "2"):
        completed = run_python(
            "manage.py", "check", "--deploy", "--fail-level", "WARNING",
            **{**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": count,
               "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
        )

        assert completed.returncode == 0, completed.stdout + completed.stderr
        assert "no issues" in completed.stdout


def test_it_fails_the_deployment_checks_with_a_short_secret_key():
    completed = run_python(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION_ENV, "SECRET_KEY": "short"},
    )

    assert completed.returncode != 0
    assert "security.W009" in completed.stderr


def test_it_fails_the_deployment_check_with_debug_off_and_a_blank_secret_key():
    completed = run_python(
        "manage.py", "check", "--deploy", **{**PRODUCTION_ENV, "SECRET_KEY": ""}
    )

    assert completed.returncode != 0
    assert "egov_targets.E001" in completed.stderr
    assert "SECRET_KEY must be set when DEBUG is off (see .env.example)" in completed.stderr


def test_it_refuses_to_serve_with_debug_off_and_a_blank_secret_key():
    # gunicorn and runserver load the WSGI module.
    completed = run_python("-c", "import egov_targets.wsgi", DEBUG="off", SECRET_KEY="")

    assert completed.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in completed.stderr


@pytest.mark.skipif(HAS_DOTENV, reason="a .env file beside manage.py may supply the variables")
def test_it_refuses_to_serve_without_secret_key_since_debug_defaults_to_off():
    completed = run_python("-c", "import egov_targets.wsgi")

    assert completed.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off (see .env.example)" in completed.stderr


@pytest.mark.skipif(HAS_DOTENV, reason="a .env file beside manage.py may supply the variables")
def test_it_checks_migrations_without_any_environment():
    # Commands that sign nothing need no secret: `makemigrations --check` as a hook runs it.
    completed = run_python("manage.py", "makemigrations", "--check", "--dry-run")

    assert completed.returncode == 0, completed.stderr
    assert "No changes detected" in completed.stdout


@pytest.mark.skipif(HAS_DOTENV, reason="a .env file beside manage.py may supply the variables")
def test_it_defaults_to_debug_off_and_the_project_sqlite_file():
    dumped = dump_settings(SECRET_KEY="x" * 60)

    assert dumped["DEBUG"] is False
    assert dumped["ENGINE"] == "django.db.backends.sqlite3"
    assert dumped["NAME"] == str(ROOT / "db.sqlite3")


def test_it_starts_in_development_without_secret_key_when_debug_is_on():
    dumped = dump_settings(DEBUG="on", SECRET_KEY="")

    assert dumped["DEBUG"] is True
    assert dumped["STATICFILES"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_it_uses_the_postgresql_database_named_by_database_url():
    dumped = dump_settings(**PRODUCTION_ENV)

    assert dumped["ENGINE"] == "django.db.backends.postgresql"
    assert (dumped["NAME"], dumped["HOST"], dumped["PORT"], dumped["USER"]) == (
        "egov",
        "127.0.0.1",
        "5432",
        "egov",
    )
    assert dumped["CONN_MAX_AGE"] == 60


def test_it_uses_the_sqlite_file_named_by_database_url(tmp_path):
    dumped = dump_settings(DEBUG="on", DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")

    assert dumped["ENGINE"] == "django.db.backends.sqlite3"
    assert dumped["NAME"] == f"{tmp_path}/other.sqlite3"


def test_it_trusts_the_proxy_for_https_and_secures_cookies_in_production():
    dumped = dump_settings(**PRODUCTION_ENV)

    assert dumped["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert dumped["SECURE_SSL_REDIRECT"] is True
    assert dumped["SESSION_COOKIE_SECURE"] is True
    assert dumped["CSRF_COOKIE_SECURE"] is True
    assert dumped["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert dumped["SECURE_REDIRECT_EXEMPT"] == [r"^healthz/?$"]


def test_it_secures_the_language_cookie_in_production_and_checks_reused_connections():
    dumped = dump_settings(**PRODUCTION_ENV)

    assert dumped["LANGUAGE_COOKIE_SECURE"] is True
    assert dumped["LANGUAGE_COOKIE_SAMESITE"] == "Lax"
    assert dumped["CONN_HEALTH_CHECKS"] is True


def test_it_lets_only_healthz_through_over_plain_http_in_production(tmp_path):
    completed = run_python(
        "-c",
        "import django; django.setup()\n" + PLAIN_HTTP,
        **{**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        "/healthz 200 ",
        "/ 301 https://egov.example.gov.vn/",
        "/accounts/login/ 301 https://egov.example.gov.vn/accounts/login/",
    ]


def test_it_guards_against_nul_and_long_usernames_in_production():
    dumped = dump_settings(**PRODUCTION_ENV)

    # Right after the security headers, so the 400 carries them; before sessions and axes.
    assert dumped["NUL_GUARD"] == 1
    assert dumped["AXES_USERNAME_CALLABLE"] == "egov_targets.auth.axes_username"


def test_it_ignores_x_forwarded_for_unless_told_how_many_proxies_append_to_it():
    assert dump_settings(**PRODUCTION_ENV)["TRUSTED_PROXY_COUNT"] == 0
    dumped = dump_settings(**PRODUCTION_ENV, TRUSTED_PROXY_COUNT="1")

    assert dumped["TRUSTED_PROXY_COUNT"] == 1
    assert dumped["AXES_CLIENT_IP_CALLABLE"] == "egov_targets.auth.axes_client_ip"


def test_it_refuses_to_start_with_a_negative_proxy_count():
    completed = run_python("manage.py", "check", **PRODUCTION_ENV, TRUSTED_PROXY_COUNT="-1")

    assert completed.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in completed.stderr


def test_it_speaks_vietnamese_in_vietnam_time():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    assert settings.USE_I18N is True
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]


@pytest.mark.django_db
def test_it_runs_the_suite_on_the_database_named_by_database_url():
    url = os.environ.get("DATABASE_URL", "sqlite://")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"

    assert connection.vendor == expected


def test_it_reads_every_variable_of_env_example_in_the_settings():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    source = (ROOT / "egov_targets" / "settings.py").read_text(encoding="utf-8")
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE)

    assert names
    assert [name for name in names if f'"{name}"' not in source] == []


def readme_text():
    return README.read_text(encoding="utf-8")


def test_it_documents_only_management_commands_that_exist():
    documented = set(re.findall(r"manage\.py ([a-z_]+)", readme_text()))

    assert {
        "import_agencies",
        "import_targets",
        "import_results",
        "export_progress",
        "load_demo",
    } <= documented
    assert sorted(documented - set(get_commands())) == []


def test_it_documents_only_make_targets_that_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z0-9_-]*):", makefile, flags=re.MULTILINE))
    documented = set(re.findall(r"\bmake ([a-z][a-z0-9_-]*)", readme_text()))

    assert {"run", "test"} <= documented
    assert sorted(documented - targets) == []


def test_it_documents_every_variable_of_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE)

    assert [name for name in names if name not in readme_text()] == []


def test_it_documents_the_csv_columns_of_the_data_contract():
    text = readme_text()

    for header in (
        "province_code,province_name,agency_code,agency_name,tier,parent_code,active_from,"
        "active_to",
        "province_code,year,indicator_code,tiers,comparator,value,unit,note",
        "year,agency_code,indicator_code,value,numerator,denominator,note",
        "province_code,year,indicator_code,tiers,comparator,target,unit,achieved,numerator,"
        "denominator,agencies_reporting,agencies_in_scope,status",
    ):
        assert header in text


def test_it_runs_load_demo_in_make_run_and_serves_on_loopback():
    completed = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    lines = completed.stdout.splitlines()

    assert completed.returncode == 0, completed.stderr
    assert any("manage.py migrate" in line for line in lines)
    assert any("manage.py load_demo" in line for line in lines)
    assert any("manage.py runserver 127.0.0.1:8123" in line for line in lines)
    assert not any("demo_accounts" in line for line in lines)


def test_it_runs_the_whole_suite_with_production_like_settings_in_make_test():
    completed = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    pytest_line = next(line for line in completed.stdout.splitlines() if "-m pytest" in line)

    assert "DEBUG=off" in pytest_line
    assert "SECRET_KEY=" in pytest_line


EXAMPLES = ROOT / "docs" / "examples"


@pytest.mark.django_db
def test_it_gives_the_progress_the_readme_shows_for_the_example_files():
    for name in ("agencies", "targets", "results"):
        call_command(f"import_{name}", str(EXAMPLES / f"{name}.csv"), stdout=io.StringIO())
    again = io.StringIO()
    call_command("import_results", str(EXAMPLES / "results.csv"), stdout=again)
    exported = io.StringIO()
    call_command("export_progress", "--province", "91", "--year", "2019", stdout=exported)

    assert "tạo 0, sửa 0, giữ nguyên 9" in again.getvalue()
    assert exported.getvalue() == (EXAMPLES / "progress.csv").read_text(encoding="utf-8")
    assert exported.getvalue() in readme_text()


@pytest.mark.django_db
def test_it_refuses_the_readme_example_of_a_bad_targets_file_and_writes_nothing():
    with pytest.raises(CommandError) as refused:
        call_command("import_targets", str(EXAMPLES / "bad-targets.csv"), stdout=io.StringIO())

    assert "2 lỗi, không có dữ liệu nào được ghi" in str(refused.value)
    assert not Plan.objects.filter(year=2019).exists()
    assert not Target.objects.exists()


DUMP_EMAIL = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in (
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL", "REMINDER_DAYS_BEFORE",
)}))
"""


def test_it_prints_mail_by_default_and_sends_it_by_smtp_from_email_url():
    default = run_python("-c", DUMP_EMAIL, SECRET_KEY="x" * 60)
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout)["EMAIL_BACKEND"] == (
        "django.core.mail.backends.console.EmailBackend"
    )
    assert json.loads(default.stdout)["REMINDER_DAYS_BEFORE"] == 7

    smtp = run_python(
        "-c", DUMP_EMAIL, SECRET_KEY="x" * 60,
        EMAIL_URL="smtp+tls://bcd%40kiengiang.gov.vn:m%E1%BA%ADt-kh%E1%BA%A9u@mail.kg.gov.vn:587",
        DEFAULT_FROM_EMAIL="Ban Chỉ đạo CNTT <bcd@kiengiang.gov.vn>",
        REMINDER_DAYS_BEFORE="3",
    )
    assert smtp.returncode == 0, smtp.stderr
    assert json.loads(smtp.stdout) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.kg.gov.vn",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "bcd@kiengiang.gov.vn",
        "EMAIL_HOST_PASSWORD": "mật-khẩu",
        "EMAIL_USE_TLS": True,
        "DEFAULT_FROM_EMAIL": "Ban Chỉ đạo CNTT <bcd@kiengiang.gov.vn>",
        "REMINDER_DAYS_BEFORE": 3,
    }
