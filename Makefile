# Coalición: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve-prod audit test setup install assets messages system-packages lint format bench clean

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	PORT=$(PORT) $(PY) manage.py setup_demo
	@# The job worker (e-mail, exports, imports) runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production configuration against the local PostgreSQL (README,
# "Running in production"): deploy, then gunicorn and the job worker.
serve-prod: setup
	scripts/serve_prod.sh

# Known vulnerabilities in the pinned dependencies (requirements.txt and
# constraints.txt). Offline, it says so and does not fail (scripts/audit_dependencies.py).
audit: install
	$(PY) scripts/audit_dependencies.py

test: setup audit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -r coalicion scripts bench -c pyproject.toml -q
	$(VENV)/bin/pytest

setup: install assets messages

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Coalición needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

# Debian packages the project needs: gettext (compilemessages), Chromium
# (browser tests) and poppler-utils (pdftotext, to read generated PDFs in
# tests). Installed only when missing; nothing downloads a browser.
system-packages:
	@if ! command -v msgfmt >/dev/null || [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null; then \
		echo "Installing Debian packages: gettext chromium poppler-utils"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext chromium poppler-utils >/dev/null; \
	fi

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	$(PYTHON) scripts/vendor_assets.py > /dev/null

messages: install system-packages
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules > /dev/null

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -r coalicion scripts bench -c pyproject.toml -q

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks on SQLite and PostgreSQL (bench/README.md), e.g. BENCH_ARGS="--scale 2".
bench: install
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules coalicion/static/vendor staticfiles db.sqlite3
