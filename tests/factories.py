"""Builders shared by the test modules: upload files, targets, results, a logged-in client.

The standing data (provinces, agencies, users) are fixtures in tests/conftest.py; these build
the rows a test adds on top of them.
"""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import Result, Target
from tests.conftest import PASSWORD


def csv_file(header: str, *lines: str) -> bytes:
    """Return a UTF-8 CSV file of ``header`` and ``lines``, one a line, as an import reads it."""
    return ("\n".join((header, *lines)) + "\n").encode("utf-8")


def csv_upload(header: str, *rows: str, name="results.csv") -> SimpleUploadedFile:
    """Return an uploaded CSV file: ``header`` as given, then each row ended by CRLF."""
    content = (header + "".join(row + "\r\n" for row in rows)).encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


def make_target(plan, indicator, tiers, value, comparator=">=", unit="percent") -> Target:
    """Store a target as the import and the admin do: cleaned, so ``tiers`` is canonical."""
    target = Target(
        plan=plan,
        indicator=indicator,
        tiers=tiers,
        comparator=comparator,
        value=Decimal(value),
        unit=unit,
    )
    target.full_clean()
    target.save()
    return target


def make_result(agency, indicator, year=2017, **figures) -> Result:
    """Store a result directly, as an import or the grid would have stored it.

    ``figures``: ``value`` for a yes/no or count indicator, ``numerator`` and ``denominator``
    for a ratio, and any other field (``is_sample``, ``note``).
    """
    return Result.objects.create(agency=agency, indicator=indicator, year=year, **figures)


def login(client, user):
    """Log ``user`` in through the authentication backends, with the suite's password."""
    assert client.login(username=user.username, password=PASSWORD)
