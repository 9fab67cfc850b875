"""Reliability tests run against committed data (``transactional_db``): other connections, other
threads and other processes must see it.

A transactional test's flush takes away the indicator catalogue that the migrations installed;
``serialized_rollback`` restores it, except when ordinary tests ran earlier in the session (the
serialized copy is then missing), so the catalogue is installed again when absent.
"""

import importlib

import pytest
from django.apps import apps

from indicators.models import Indicator
from tests.security.conftest import world  # noqa: F401 - a fixture, used by name


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    if not Indicator.objects.exists():
        catalogue = importlib.import_module("indicators.migrations.0002_standard_catalogue")
        catalogue.install(apps, None)
