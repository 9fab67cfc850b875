# Two commands for people: `make run` and `make test`. See README.md.
# Also: `make serve` (production: gunicorn, settings from the environment), `make bench`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Written after a successful install; re-runs skip the install until pyproject.toml changes.
# STAMP: the application and the test tools; SERVE_STAMP: the application alone (production).
STAMP := $(VENV)/.installed
SERVE_STAMP := $(VENV)/.installed-app

# Tests run with production-like settings (DEBUG off) and plain static storage, so that no
# collectstatic is needed.
TEST_ENV := DEBUG=off SECRET_KEY=test-only-not-secret STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage
# The development server: DEBUG on serves static files and needs no SECRET_KEY.
RUN_ENV := DEBUG=on

.PHONY: run test venv lint serve bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP) $(SERVE_STAMP)

$(SERVE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e .
	touch $(SERVE_STAMP)

venv: $(STAMP)

# Migrate, load the demo data (it prints the demo accounts and their passwords), serve.
run: $(STAMP)
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite; browser tests run when Chromium is installed (CI=true requires it).
test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

# ruff, and mypy with django-stubs on the application packages (configured in pyproject.toml).
lint: $(STAMP)
	$(PY) -m ruff check .
	DEBUG=on $(PY) -m mypy

# Production: every setting from the environment or .env (DEBUG off, SECRET_KEY, ALLOWED_HOSTS,
# CSRF_TRUSTED_ORIGINS, DATABASE_URL; see .env.example and README.md). Checks the deployment,
# applies migrations, collects the hashed, compressed static files, then runs gunicorn on
# $(BIND) behind the reverse proxy. `exec` hands the signals (TERM, HUP) to gunicorn itself.
# Threads per worker: a request that waits for its client (a slow body, which the reverse proxy
# should buffer, see README.md) holds one thread, not the worker. No connection is kept alive:
# the response to an upload refused before its body is read closes it, body unread.
WORKERS ?= 3
THREADS ?= 4
BIND ?= 127.0.0.1:$(PORT)
serve: $(SERVE_STAMP)
	$(PY) manage.py check --deploy
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	exec $(VENV)/bin/gunicorn egov_targets.wsgi --workers $(WORKERS) --bind $(BIND) \
		--worker-class gthread --threads $(THREADS) --keep-alive 0 \
		--timeout 120 --graceful-timeout 30 --access-logfile - --no-control-socket

# The national-scale benchmark on SQLite and PostgreSQL (see BENCHMARKS.md); it needs wrk for
# the load test (WRK_SECONDS=0 skips it). A quick run: make bench PROVINCES=3 WRK_SECONDS=5
PROVINCES ?= 63
WRK_SECONDS ?= 30
bench: $(STAMP)
	$(PY) bench/run.py --provinces $(PROVINCES) --wrk-seconds $(WRK_SECONDS)
