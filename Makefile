# Two commands for people: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Written after a successful install; re-runs skip the install until pyproject.toml changes.
STAMP := $(VENV)/.installed

# Tests run with production-like settings (DEBUG off) and plain static storage, so that no
# collectstatic is needed.
TEST_ENV := DEBUG=off SECRET_KEY=test-only-not-secret STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage
# The development server: DEBUG on serves static files and needs no SECRET_KEY.
RUN_ENV := DEBUG=on

.PHONY: run test venv lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

venv: $(STAMP)

# Migrate, load the demo data (it prints the demo accounts and their passwords), serve.
run: $(STAMP)
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite; browser tests run when Chromium is installed (CI=true requires it).
test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
