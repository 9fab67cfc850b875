"""A refused request (403) is logged as one line; a server error keeps its traceback."""

import io
import logging

import pytest
from django.test import Client
from django.urls import reverse

from egov_targets.log_filters import OneLineForbidden


@pytest.fixture
def console():
    """Return what the console handler of the settings' LOGGING writes, in a buffer."""
    [handler] = [
        handler for handler in logging.getLogger().handlers
        if any(isinstance(f, OneLineForbidden) for f in handler.filters)
    ]
    buffer = io.StringIO()
    stream = handler.setStream(buffer)
    yield buffer
    handler.setStream(stream)


def test_a_403_is_one_line_without_a_traceback(console, leader_a, plan_a, agencies_a):
    client = Client()
    client.force_login(leader_a)
    # A leader may read the province's pages but not enter figures.
    response = client.get(reverse("plans:entry_upload", args=["91", 2017]))
    assert response.status_code == 403
    written = console.getvalue()
    assert written.splitlines() == [
        "Forbidden (Permission denied): /entry/91/2017/upload/"
    ]
    assert "Traceback" not in written


def test_another_error_keeps_its_traceback(console):
    logger = logging.getLogger("django.request")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.error("Internal Server Error: /x/", exc_info=True, extra={"status_code": 500})
    written = console.getvalue()
    assert "Traceback" in written and "ValueError: boom" in written
