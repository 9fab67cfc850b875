"""Reliability tests run against committed data (``transactional_db``): other connections, other
threads and other processes must see it. The root conftest gives such tests the indicator
catalogue back after the previous one's flush.
"""

import pytest

from tests.security.conftest import world  # noqa: F401 - a fixture, used by name


@pytest.fixture(autouse=True)
def _committed(transactional_db):
    """Run every test here on committed data."""
