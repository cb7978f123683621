# Baken developer tasks (GNU make). `make` alone lists them.
.DEFAULT_GOAL := help
SHELL := bash
.SHELLFLAGS := -euo pipefail -c

PYTHON ?= python3.11
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
# One stamp for the whole install: redone only when a lock or manifest changes.
STAMP := $(VENV)/.installed
LOCALE_DIR := src/baken/locale
HTMX := src/baken/web/static/lib/htmx.min.js
CYTOSCAPE := src/baken/web/static/lib/cytoscape.min.js

.PHONY: help install lock run lint audit test bench clean catalogs

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# uv lives in the venv, pinned, so every machine resolves and installs alike.
$(UV):
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(UV) requirements.lock pyproject.toml package.json package-lock.json scripts/system-deps
	scripts/system-deps
	@# Bytecode compiled once here: with PYTHONDONTWRITEBYTECODE set (as on CI machines)
	@# every process would otherwise compile scipy, spaCy, Spark, … again (seconds each).
	$(UV) pip sync --python $(VENV)/bin/python --require-hashes --compile-bytecode requirements.lock
	$(UV) pip install --python $(VENV)/bin/python --no-deps -e .
	@# Front-end packages come from the npm registry; a bare Debian machine gets npm first.
	command -v npm >/dev/null || { apt-get update -q && apt-get install -y -q nodejs npm; }
	npm ci --no-audit --no-fund
	touch $@

# htmx is served from the package; the copy is gitignored, npm pins it.
$(HTMX): $(STAMP)
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

# cytoscape.js draws the analysis graph; served from the package like htmx.
$(CYTOSCAPE): $(STAMP)
	mkdir -p $(dir $@)
	cp node_modules/cytoscape/dist/cytoscape.min.js $@

# .mo files are gitignored build output; compile only once there are .po files.
catalogs: $(STAMP)
	@if find $(LOCALE_DIR) -name '*.po' 2>/dev/null | grep -q .; then \
		$(VENV)/bin/pybabel -q compile -d $(LOCALE_DIR) -D messages; fi

install: $(STAMP) $(HTMX) $(CYTOSCAPE) catalogs ## Create .venv, install locked deps, htmx, compile catalogs
	@# Baken's own bytecode too (only what changed; __pycache__ is gitignored).
	$(VENV)/bin/python -m compileall -q -j 0 src

lock: $(UV) ## Regenerate requirements.lock (LOCK_ARGS=--upgrade to bump versions)
	$(UV) pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		-o requirements.lock --quiet $(LOCK_ARGS)
	@echo "requirements.lock written; run make install to apply it"

# The CLI keeps its data (default SQLite database, ...) here.
run: export BAKEN_DATA_DIR ?= $(CURDIR)/var
# small | default | large (see `baken demo --help`).
DEMO_SIZE ?= default
run: install ## Migrate, load demo data and serve on http://127.0.0.1:8000
	mkdir -p "$(BAKEN_DATA_DIR)"
	$(VENV)/bin/baken db upgrade
	$(VENV)/bin/baken demo --size small
	@# The rest loads while the server already serves (same services, policy and audit;
	@# each step resumes and stores nothing twice): the fictional demo corpus ingested as
	@# an analyst would, then the generated documents, the bulk dataset and more screenings.
	@echo "Loading the rest of the demo world in the background: $(BAKEN_DATA_DIR)/demo-load.log"
	@# At a lower priority, so that the server answers first.
	{ nice -n 10 $(VENV)/bin/baken ingest "$(BAKEN_DATA_DIR)/demo-corpus" -c osint-demo -u analist.zg \
		&& nice -n 10 $(VENV)/bin/baken demo --size $(DEMO_SIZE); } > "$(BAKEN_DATA_DIR)/demo-load.log" 2>&1 &
	$(VENV)/bin/baken serve --host 127.0.0.1 --port 8000

lint: install ## ruff check, ruff format --check, mypy
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

audit: install ## Known vulnerabilities in the locked dependencies (pip-audit; ADR 0017)
	$(VENV)/bin/python -m baken.testing.depaudit

test: install ## Lint, dependency audit, then pytest on SQLite and on a throwaway PostgreSQL (PYTEST_ARGS=...)
	bash scripts/test-all $(PYTEST_ARGS)

bench: install ## Run the benchmarks package
	@test -d benchmarks || { echo "make bench: no benchmarks/ package in this checkout" >&2; exit 1; }
	$(VENV)/bin/python -m benchmarks

clean: ## Remove .venv, node_modules, var/, caches and build output
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache .hypothesis \
		build src/*.egg-info $(dir $(HTMX))
	find src tests -name __pycache__ -prune -exec rm -rf {} + 2>/dev/null || true
	find $(LOCALE_DIR) -name '*.mo' -delete 2>/dev/null || true
