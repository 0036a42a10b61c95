# The two commands of the README: `make run` and `make test`. Both work from a fresh clone.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
CASE ?= all
PYTEST_ARGS ?=

.PHONY: run test lint typecheck pytest install install-dev migrate bench browser clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) is not on PATH: install Python 3.11 (README, Before you start)"; exit 1; }
	@echo "==> Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(PY)
	@echo "==> Installing the runtime dependencies into $(VENV) (the first time takes a few minutes)"
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	@echo "==> Installing the development tools into $(VENV)"
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	@echo "==> Applying database migrations"
	$(PY) manage.py migrate --noinput
	@echo "==> Creating the scheduled jobs"
	$(PY) manage.py setup_schedules

# Web (daphne, ASGI) and the django-q2 worker together, supervised by bin/run:
# Ctrl+C or SIGTERM stops both once and frees the port.
run: migrate
	@echo ""
	@echo "  First user: sign up in the browser, or"
	@echo "  $(PY) manage.py createuser --email you@example.com --passphrase '...' --staff  (asks for the password)"
	@echo ""
	@$(PY) bin/run --host $(HOST) --port $(PORT)

# bin/run has no .py suffix, so it is named explicitly.
lint: install-dev
	$(VENV)/bin/ruff check . bin/run
	$(VENV)/bin/ruff format --check . bin/run
	$(VENV)/bin/lint-imports --no-logo

typecheck: install-dev
	$(VENV)/bin/mypy . bin/run

# Browser tests drive Debian's chromium; install it when missing and we can.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: apt-get install -y chromium"; exit 1; fi; }

# Browser tests run in their own pytest process: Playwright's sync API leaves an
# event loop running in the main thread, which breaks later tests that run one.
# The suite without the browser runs on every core (pytest-xdist): each worker has its
# own test database, SQLite file or PostgreSQL copy. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
pytest: install-dev browser
	$(VENV)/bin/pytest -m "not e2e" -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	$(VENV)/bin/pytest -m e2e tests/e2e $(PYTEST_ARGS)

test: lint typecheck pytest

bench: install-dev
	$(PY) -m bench --case $(CASE)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
