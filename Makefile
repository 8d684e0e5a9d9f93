# Two entry points: `make run` starts the whole system on the embedded default,
# `make test` runs lint, types and every test. Both install what they need first.
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen
CHROMIUM := /usr/bin/chromium
PROXIES := /usr/sbin/haproxy /usr/sbin/nginx

.PHONY: run test lint typecheck pytest install frontend chromium proxies postgresql bench clean

# The ingest service and Dagster (webserver and daemon), each stopped with all it started on
# Ctrl-C or SIGTERM (orchestration/supervisor.py). Dagster runs in DAGSTER_HOME, where it finds
# its dagster.yaml (copied there); the data dir is made absolute for that reason.
DATA_DIR := $(abspath $(or $(CLICKSTREAM_DATA_DIR),data))
DAGSTER_HOME := $(DATA_DIR)/dagster
SERVE_PORT ?= 8000
DAGSTER_PORT ?= 3000
# `dagster dev` says that `dg dev` supersedes it: dg is another package with a project layout
# this repository does not use, and `dagster dev` is supported in Dagster 1.13.
NOT_SUPERSEDED := ignore:Function `dev_command` is superseded
# Nothing proxies `make run`: this machine reads the dashboard without a token (README,
# "Behind a proxy"). A variable already set wins.
run: export CLICKSTREAM_LOOPBACK_READS ?= 1

run: install frontend
	CLICKSTREAM_DATA_DIR="$(DATA_DIR)" $(RUN) clickstream setup
	mkdir -p "$(DAGSTER_HOME)" && cp dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"
	@CLICKSTREAM_DATA_DIR="$(DATA_DIR)" DAGSTER_HOME="$(DAGSTER_HOME)" \
	PYTHONWARNINGS='$(NOT_SUPERSEDED)' \
	exec $(RUN) python -m orchestration.supervisor \
	  "clickstream serve --port $(SERVE_PORT)" \
	  "env -C $(DAGSTER_HOME) dagster dev -w $(CURDIR)/workspace.yaml -h 127.0.0.1 -p $(DAGSTER_PORT)"

test: install frontend chromium proxies postgresql lint typecheck
	npm --prefix frontend test
	$(RUN) pytest

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck:
	$(RUN) mypy

# The store's day reader (ingest_service/store/day_reader.c), loaded by sqlite_arrow.py.
# It links the system's SQLite, whose headers come from Debian where they are missing.
DAY_READER := ingest_service/store/_day_reader.so

install: .venv/.synced $(DAY_READER)

$(DAY_READER): ingest_service/store/day_reader.c | /usr/include/sqlite3.h
	$(CC) -O2 -Wall -Wextra -shared -fPIC -o $@ $< -lsqlite3

/usr/include/sqlite3.h:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev

# uv comes from PyPI when the machine has none.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

# Built again only when a source, a config or the lockfile is newer than the last build.
FRONTEND_SOURCES := $(shell find frontend/src frontend/scripts -type f) \
	$(wildcard frontend/*.html frontend/*.json frontend/*.ts)
frontend: frontend/dist/.built

frontend/dist/.built: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	npm --prefix frontend run build
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	npm --prefix frontend ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser tests; a browser download of a test tool would fail here.
chromium: $(CHROMIUM)

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# HAProxy and nginx, for the tests that put a real proxy in front of the service.
proxies: $(PROXIES)

$(PROXIES):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(notdir $@)

# Debian's PostgreSQL: the deployment test runs the production Dagster instance on it.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

clean:
	rm -rf .venv .tools frontend/node_modules frontend/dist $(DAY_READER)
