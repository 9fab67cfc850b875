"""`make serve`, the production path of README.md (CI also runs it for real on PostgreSQL)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*args):
    completed = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True,
                               timeout=60)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.splitlines()


def test_it_checks_migrates_collects_then_runs_gunicorn_on_loopback():
    lines = dry_run("serve", "PORT=8123", "WORKERS=4")
    steps = [
        next(i for i, line in enumerate(lines) if "manage.py check --deploy" in line),
        next(i for i, line in enumerate(lines) if "manage.py migrate" in line),
        next(i for i, line in enumerate(lines) if "manage.py collectstatic" in line),
        next(i for i, line in enumerate(lines) if "gunicorn egov_targets.wsgi" in line),
    ]
    assert steps == sorted(steps)
    gunicorn = lines[steps[-1]] + (lines[steps[-1] + 1] if steps[-1] + 1 < len(lines) else "")
    assert gunicorn.startswith("exec ")
    assert "--workers 4" in gunicorn
    assert "--bind 127.0.0.1:8123" in gunicorn
    # Production: no DEBUG forced on, the settings come from the environment alone.
    assert not any("DEBUG=on" in line for line in lines)


def test_the_benchmark_target_runs_the_national_scale_by_default():
    lines = dry_run("bench")
    assert any("bench/run.py --provinces 63 --wrk-seconds 30" in line for line in lines)
