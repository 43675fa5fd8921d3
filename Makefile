# haicap: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WEB_CONCURRENCY ?= 3

.PHONY: run test install install-test system-deps lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Serve haicap with demo data on http://127.0.0.1:$(PORT) (SQLite unless DATABASE_URL is set),
## with the background worker beside it.
run: install
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo_province
	$(BIN)/python manage.py collectstatic --no-input -v 0
	@echo "haicap is serving on http://127.0.0.1:$(PORT)/ (staff desk: /desk/, API: /api/v1/docs)"
	@# The worker (warnings, overdue marking, the outbox, fees) runs beside gunicorn and stops with
	@# it. In its own session, so Ctrl-C reaches gunicorn only; on the way out it is asked to stop
	@# and, if a job holds it past 10 s, killed (it is safe to kill: claims come back by lease).
	setsid $(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill -TERM -- -$$worker 2>/dev/null; \
		for second in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- -$$worker 2>/dev/null || break; sleep 1; done; \
		kill -KILL -- -$$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/gunicorn haicap.wsgi --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY) \
		--access-logfile -

## What the tests need from Debian: Chromium (browser tests), gettext (catalogue check),
## poppler and zbar (reading printed forms and their QR codes), Liberation fonts (forms), Noto and
## AR PL UMing (names in other scripts on the forms).
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v xgettext >/dev/null || missing="$$missing gettext"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	[ -d /usr/share/fonts/truetype/liberation2 ] || missing="$$missing fonts-liberation2"; \
	[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || missing="$$missing fonts-noto-core"; \
	[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || missing="$$missing fonts-arphic-uming"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing$$missing from Debian's packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Missing for the tests:$$missing. Install with 'sudo apt-get install$$missing' and run make test again." >&2; \
		exit 1; \
	fi

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## Every check: lint, format, and the whole test suite (browser tests included).
test: install-test system-deps lint
	$(BIN)/pytest

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Refresh the translation catalogues after changing visible strings (needs gettext).
messages: install
	$(BIN)/python manage.py makemessages -l vi --no-location --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages -l vi --ignore '.venv/*'

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
