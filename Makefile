# The two commands of the README: `make run` and `make test`. Both work from a fresh clone.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
CASE ?= all
PYTEST_ARGS ?=

.PHONY: run test lint typecheck pytest install install-dev migrate bench browser clean lock

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) is not on PATH: install Python 3.11 (README, Before you start)"; exit 1; }
	@echo "==> Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(PY)
	@echo "==> Installing the runtime dependencies into $(VENV) from the lock, requirements.txt (the first time takes a few minutes)"
	$(PIP) install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	@echo "==> Installing the development tools into $(VENV)"
	$(PIP) install --quiet --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# requirements.txt and requirements-dev.txt are locks (every package, pinned, with
# hashes) compiled by pip-tools from the top-level pins in requirements*.in. After
# editing a .in file: `make lock` and commit the four files. `make lock LOCK_ARGS=--upgrade`
# moves every unpinned dependency to its newest release.
LOCK_TOOLS := $(VENV)/lock-tools
LOCK_ARGS ?=
# Resolved against PyPI alone, whatever pip configuration or local wheel folders this machine has.
PIP_COMPILE = env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
	CUSTOM_COMPILE_COMMAND="make lock" PIP_CONFIG_FILE=/dev/null $(LOCK_TOOLS)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	--index-url https://pypi.org/simple $(LOCK_ARGS)
lock:
	@test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install --quiet pip-tools==7.7.0; }
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

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
