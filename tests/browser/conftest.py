"""Browser tests: real Chromium driven by Playwright against pytest-django's live server.

Mark every test here ``@pytest.mark.browser`` and give it a database the live server can see:

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A transactional test ends by flushing every table; the root conftest installs the indicator
catalogue again before each test that uses the live server.

Helpers for other browser tests:

- ``login(page, live_server, user)``: sign ``user`` in by session cookie (fast; no form).
- ``login_with_form(page, live_server, user)``: sign in through the site's real login form.

The system Chromium is used (``/usr/bin/chromium``, or the ``CHROMIUM`` environment variable);
Playwright never downloads a browser. Without Chromium the browser tests are skipped with a loud
warning, except under ``CI=true``, where they fail. A failing test leaves a screenshot in
``test-artifacts/``.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in the test thread, so Django refuses ORM calls made
# by the test itself (SynchronousOnlyOperation). Set here only: in the process environment it
# would make `check --deploy` fail (async.E001).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DEFAULT_TIMEOUT_MS = 5_000
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Return the system Chromium's path, or None when it is not installed."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


_skipped_key = pytest.StashKey[int]()


def _django_order(item) -> int:
    """Return 0 for a test in a rolled-back transaction, 1 for a transactional one, 2 for none.

    The order pytest-django gives: a transactional test (live server) ends by flushing every
    table, so the tests that rely on what the migrations installed must come before it.
    """
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server"} & set(item.fixturenames)
        or (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or (marker and marker.args and marker.args[0])
    )
    if transactional:
        return 1
    return 0 if marker is not None or "db" in item.fixturenames else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Put transactional tests after the others again; skip browser tests without Chromium.

    pytest groups the tests that share Playwright's session-scoped ``browser_name`` parameter
    after pytest-django has ordered the suite, which can move browser tests ahead of ordinary
    database tests; their flush would then leave those tests without the indicator catalogue.
    The sort is stable, so files keep their order within each group.
    """
    items.sort(key=_django_order)
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items or chromium_path() or in_ci():
        return
    reason = "Chromium not installed (apt-get install chromium fonts-liberation)"
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))
    config.stash[_skipped_key] = len(browser_items)


def _warn_skipped(config):
    skipped = config.stash.get(_skipped_key, 0)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if skipped and reporter is not None:
        reporter.write_sep(
            "!",
            f"{skipped} BROWSER TESTS SKIPPED: Chromium is not installed. "
            "Install it with: apt-get install -y --no-install-recommends chromium fonts-liberation",
            red=True,
            bold=True,
        )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    _warn_skipped(config)


def pytest_unconfigure(config):
    """Repeat the warning below pytest's closing line, where people look."""
    _warn_skipped(config)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so that fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium; fail loudly in CI when it is missing."""
    path = chromium_path()
    if path is None:
        pytest.fail(
            "CI=true requires Chromium for the browser tests, and none was found at "
            "/usr/bin/chromium (or $CHROMIUM)."
        )
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Browse as a Vietnamese user: LocaleMiddleware follows the browser's Accept-Language."""
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def context(context):
    """Fail within seconds: a page that answers 500 would otherwise cost a 30 s timeout."""
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request):
    """Save a full-page screenshot to test-artifacts/ when a test using ``page`` fails."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _login(page, live_server, user):
    """Sign ``user`` in by giving the browser a fresh session cookie."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _login_with_form(page, live_server, user, password=PASSWORD):
    """Sign ``user`` in through the real login page and wait until it has left it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()
    if "/accounts/login/" in page.url:
        raise AssertionError(f"Login as {user.get_username()} failed: still on {page.url}")


@pytest.fixture
def login():
    """Return ``login(page, live_server, user)``, which signs in by session cookie."""
    return _login


@pytest.fixture
def login_with_form():
    """Return ``login_with_form(page, live_server, user, password=PASSWORD)``."""
    return _login_with_form
