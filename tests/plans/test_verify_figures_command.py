"""manage.py verify_figures on a database that was never migrated: a clear refusal, no traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_asks_for_migrate_on_an_empty_database(tmp_path):
    database = tmp_path / "empty.sqlite3"
    database.touch()
    environment = {
        **os.environ, "DEBUG": "on", "DATABASE_URL": f"sqlite:///{database}", "LANG": "C.UTF-8",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        [sys.executable, "manage.py", "verify_figures"], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1
    assert "python manage.py migrate" in run.stderr
    assert "Traceback" not in run.stderr
    # Nothing was created in the empty database.
    assert database.stat().st_size == 0
