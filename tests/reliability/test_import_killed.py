"""A results import killed halfway (SIGKILL: no cleanup, no rollback by Python) changes nothing.

``python manage.py import_results FILE`` runs in a subprocess against a database the test can
read: on PostgreSQL the test database itself (its name from ``connection.settings_dict``, data
committed through ``transactional_db``); on SQLite a file database in a temporary directory,
prepared with the project's own commands (a database of its own, whose journal file shows
only this import's writes). The process is killed once it has started writing — on
PostgreSQL once its transaction holds the write locks of both tables (``pg_locks``), on SQLite
once the rollback journal appears, in both cases plus a moment to write further chunks — and
the Result and Change rows must then be as before.

If the import finishes before it can be killed, the file grows and the test tries again; it
fails, rather than passes, if no attempt could be killed mid-write.
"""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from indicators.models import Indicator
from plans.models import Agency, Change, Plan, Result

AGENCIES = 1000
FIRST_YEAR = 2000
LAST_YEAR = 2100
# Years in the file of the first attempt (14 indicators x 1,000 agencies = 14,000 rows a year);
# each retry doubles them.
YEARS = [15, 30, 60, LAST_YEAR - FIRST_YEAR + 1]
POLL_SECONDS = 0.02
# Once writing has begun, let it write a few more chunks before the kill.
WRITE_GRACE = 0.3
STARTUP_TIMEOUT = 120

pytestmark = pytest.mark.django_db(transaction=True)


def subprocess_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="off",
        SECRET_KEY=env.get("SECRET_KEY") or "test-only-not-secret",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_LEVEL="ERROR",
    )
    return env


def manage(*args, env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def manage_ok(*args, env) -> None:
    process = manage(*args, env=env)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, f"manage.py {' '.join(args)}: {err.decode()}"


def agency_codes() -> list[str]:
    return [f"91-K{number:05d}" for number in range(AGENCIES)]


def write_results(path: Path, years: int, indicators: list[tuple[str, str]]) -> int:
    """Write results.csv for every agency and indicator over ``years`` years; return its rows."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["year", "agency_code", "indicator_code", "value", "numerator",
                         "denominator", "note"])
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            for number, code in enumerate(agency_codes()):
                for indicator_code, kind in indicators:
                    if kind == Indicator.Kind.RATIO:
                        figures = ["", str(number % 50), "50"]
                    elif kind == Indicator.Kind.YES_NO:
                        figures = [str(number % 2), "", ""]
                    else:
                        figures = [str(number % 7), "", ""]
                    writer.writerow([year, code, indicator_code, *figures, "nhập thử"])
                    rows += 1
    return rows


class Postgres:
    """The test database itself, read through the ORM."""

    def __init__(self, province):
        Agency.objects.bulk_create(
            Agency(province=province, code=code, name=f"UBND xã {code}", tier="commune")
            for code in agency_codes()
        )
        Plan.objects.bulk_create(
            Plan(province=province, year=year, status=Plan.Status.OPEN)
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
        )
        db = connection.settings_dict
        credentials = quote(db["USER"] or "postgres", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        self.url = (f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:"
                    f"{db['PORT'] or 5432}/{db['NAME']}")

    def counts(self) -> tuple[int, int]:
        return Result.objects.count(), Change.objects.count()

    def others(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    def writing(self) -> bool:
        """Return True once another connection's transaction has written results and changes.

        INSERT and COPY take a ROW EXCLUSIVE lock on their table, held until the transaction
        ends: seeing it on both tables means rows of both have been written, uncommitted.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT c.relname) FROM pg_locks l "
                "JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.pid <> pg_backend_pid() AND l.mode = 'RowExclusiveLock' "
                "AND c.relname IN ('plans_result', 'plans_change')"
            )
            return cursor.fetchone()[0] == 2

    def settle(self) -> None:
        """Wait for the killed client's server process to notice and roll back."""
        deadline = time.monotonic() + 30
        while self.others() and time.monotonic() < deadline:
            time.sleep(0.1)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


class SqliteFile:
    """A file database beside the test, prepared by the project's commands."""

    def __init__(self, directory: Path, province):
        self.path = directory / "egov.sqlite3"
        self.url = f"sqlite:///{self.path}"
        env = subprocess_env(self.url)
        manage_ok("migrate", "--no-input", env=env)
        agencies = directory / "agencies.csv"
        with agencies.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["province_code", "province_name", "agency_code", "agency_name",
                             "tier", "parent_code", "active_from", "active_to"])
            for code in agency_codes():
                writer.writerow([province.code, province.name, code, f"UBND xã {code}",
                                 "commune", "", "", ""])
        manage_ok("import_agencies", str(agencies), env=env)
        targets = directory / "targets.csv"
        with targets.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["province_code", "year", "indicator_code", "tiers", "comparator",
                             "value", "unit", "note"])
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                writer.writerow([province.code, year, "LAN", "commune", ">=", "50", "percent",
                                 ""])
        manage_ok("import_targets", str(targets), env=env)

    def counts(self) -> tuple[int, int]:
        # Opening the file rolls back the journal a killed writer left behind.
        with sqlite3.connect(self.path, timeout=30) as db:
            return (db.execute("SELECT count(*) FROM plans_result").fetchone()[0],
                    db.execute("SELECT count(*) FROM plans_change").fetchone()[0])

    def writing(self) -> bool:
        """Return True once a write transaction has begun changing pages of the file."""
        return any(Path(f"{self.path}{suffix}").exists() for suffix in ("-journal", "-wal"))

    def settle(self) -> None:
        pass


def kill_once_writing(database, results: Path) -> str:
    """Run the import of ``results``; SIGKILL it once it writes. Return "killed" or "finished"."""
    process = manage("import_results", str(results), env=subprocess_env(database.url))
    deadline = time.monotonic() + STARTUP_TIMEOUT
    writing_since = None
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                out, err = process.communicate()
                assert process.returncode == 0, f"import_results failed: {err.decode()}"
                return "finished"
            if writing_since is None and database.writing():
                writing_since = time.monotonic()
            if writing_since is not None and time.monotonic() - writing_since >= WRITE_GRACE:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
                assert process.returncode == -signal.SIGKILL
                return "killed"
            time.sleep(POLL_SECONDS)
        pytest.fail(f"import_results did not start writing within {STARTUP_TIMEOUT} s")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        database.settle()


def test_a_killed_results_import_leaves_the_database_as_it_was(province_a, tmp_path):
    indicators = list(Indicator.objects.order_by("code").values_list("code", "kind"))
    assert len(indicators) == 14
    if connection.vendor == "postgresql":
        database = Postgres(province_a)
    elif connection.vendor == "sqlite":
        database = SqliteFile(tmp_path, province_a)
    else:
        pytest.skip(f"no way to reach a {connection.vendor} test database from a subprocess")

    attempts = []
    for years in YEARS:
        results = tmp_path / f"results-{years}.csv"
        rows = write_results(results, years, indicators)
        before = database.counts()
        outcome = kill_once_writing(database, results)
        attempts.append((rows, outcome))
        if outcome == "killed":
            assert database.counts() == before, f"rows left by a killed import ({rows} rows)"
            return
        # It finished before it could be killed: its rows are in; grow the file and retry.
        assert database.counts()[0] > before[0]
    pytest.fail(f"every import finished before it could be killed: {attempts}")
