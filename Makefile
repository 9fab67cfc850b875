# Two commands for people: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

# Tests run with production-like settings (DEBUG off) and plain static storage, so that no
# collectstatic is needed.
TEST_ENV := DEBUG=off SECRET_KEY=test-only-not-secret STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: run test serve venv lint messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	DEBUG=on $(PY) manage.py migrate --no-input
	DEBUG=on $(PY) manage.py load_demo
	DEBUG=on $(PY) manage.py demo_accounts
	DEBUG=on $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
