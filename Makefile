# Two entry points: `make run` starts the whole system on the embedded default,
# `make test` runs lint, types and every test. Both install what they need first.
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint typecheck pytest install frontend chromium bench clean

run: install frontend
	$(RUN) clickstream setup
	$(RUN) clickstream run

test: install frontend chromium lint typecheck
	npm --prefix frontend test
	$(RUN) pytest

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck:
	$(RUN) mypy

install: .venv/.synced

# uv comes from PyPI when the machine has none.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

frontend: frontend/node_modules/.installed
	npm --prefix frontend run build

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	npm --prefix frontend ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser tests; a browser download of a test tool would fail here.
chromium: $(CHROMIUM)

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

clean:
	rm -rf .venv .tools frontend/node_modules frontend/dist
