# Urja: every routine task has one entry point here. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/lock.txt | sha256sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CONSUMERS ?= 3000
PG_URL ?= postgres://postgres@127.0.0.1:5432/urja
# The PostgreSQL suite runs on another day than the SQLite one, on a machine clock that is not IST:
# 00:30 IST on 1 April (a new financial year in India, still 31 March in UTC and in California).
PG_TEST_NOW ?= 2027-04-01T00:30:00+05:30
PG_TEST_TZ ?= America/Los_Angeles
ANY_DAYS ?= 2026-12-01T00:10:00+05:30 2027-03-31T23:50:00+05:30 2028-02-29T12:00:00+05:30 2027-11-28T12:00:00+05:30

.PHONY: help venv demo setup-demo serve test test-js test-sqlite test-postgres test-any-day lint format migrations-check bench load stack restore-drill lock clean-demo messages fonts

help:
	@echo "make demo    set up Urja on SQLite with demo data and start it on http://$(HOST):$(PORT)"
	@echo "make test    lint, migrations check and the whole test suite (SQLite, and PostgreSQL when reachable)"
	@echo "make bench   benchmarks (results under bench/results/)"
	@echo "make stack   the production stack on this machine, smoke-tested (scripts/stack.sh)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Urja needs Python 3.11 or newer"' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements/lock.txt
	$(BIN)/pip install --quiet -c requirements/lock.txt -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

# Set up (idempotent: reuses the venv, the database and the demo data) and run the server.
demo: venv
	$(BIN)/urja demo --consumers $(DEMO_CONSUMERS) --host $(HOST) --port $(PORT)
	$(BIN)/urja runserver $(HOST):$(PORT) --noreload

setup-demo: venv
	$(BIN)/urja demo --consumers $(DEMO_CONSUMERS) --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: venv
	DJANGO_SETTINGS_MODULE=urja.settings.test $(BIN)/urja makemigrations --check --dry-run

test-sqlite: venv
	env -u DATABASE_URL $(BIN)/pytest

# Runs the suite on PostgreSQL when it is reachable (CI sets URJA_REQUIRE_POSTGRES=1 to make it mandatory).
test-postgres: venv
	@if $(BIN)/python scripts/pg_reachable.py "$(PG_URL)"; then \
		echo "== PostgreSQL suite ($(PG_URL)), clock at $(PG_TEST_NOW), TZ=$(PG_TEST_TZ) =="; \
		DATABASE_URL=$(PG_URL) URJA_TEST_NOW=$(PG_TEST_NOW) TZ=$(PG_TEST_TZ) $(BIN)/pytest; \
	elif [ -n "$$URJA_REQUIRE_POSTGRES" ]; then echo "PostgreSQL is required but not reachable at $(PG_URL)"; exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_URL): PostgreSQL suite skipped =="; fi

# The field app's JavaScript bill engine on every golden vector (node's own test runner; docs/field-engine.md).
test-js:
	node --test tests/js/

test: lint test-js migrations-check test-sqlite test-postgres

# The SQLite suite (without the browser tests) on awkward days and machine time zones.
test-any-day: venv
	@for now in $(ANY_DAYS); do echo "== clock at $$now, TZ=Pacific/Kiritimati =="; \
		env -u DATABASE_URL URJA_TEST_NOW=$$now TZ=Pacific/Kiritimati $(BIN)/pytest -q -m 'not browser' || exit 1; done

bench: venv
	$(BIN)/python bench/run_all.py

# The web tier under load (locust, loopback only) against the benchmark database `urja bench billing`
# leaves (bench/load/run_load.py; docs/benchmarks.md).
load: venv
	$(BIN)/pip install --quiet -c requirements/lock.txt -e '.[bench]'
	$(BIN)/python bench/load/run_load.py

# The production stack on this machine (gunicorn, workers, beat, RabbitMQ, PostgreSQL), smoke-tested.
stack: venv
	scripts/stack.sh

restore-drill:
	scripts/restore_drill.sh

lock: venv
	{ grep '^#' requirements/lock.txt; $(BIN)/pip freeze --exclude-editable | grep -v '^urja' | sort -f; } > requirements/lock.txt.new \
		&& mv requirements/lock.txt.new requirements/lock.txt

messages: venv
	cd urja && ../$(BIN)/urja makemessages -l hi --no-obsolete --ignore "tests/*"
	cd urja && ../$(BIN)/urja compilemessages -l hi

# The subset WOFF2 web fonts beside the TTFs (reproducible: same inputs and versions, same bytes).
fonts: venv
	$(BIN)/python scripts/subset_fonts.py

clean-demo:
	rm -f var/urja.sqlite3 var/urja.sqlite3-wal var/urja.sqlite3-shm
