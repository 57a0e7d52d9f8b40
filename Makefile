# Chorale — `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
export PORT
PROD_VENV ?= .venv-prod
MESSAGES_IGNORE := --ignore=.venv* --ignore=var/* --ignore=tests/* --ignore=*/tests/* --ignore=bench/* --ignore=fuzz/*
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)
PROD_STAMP := $(PROD_VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: messages help install run prod worker test test-fast lint format demo lock clean openapi rules bench-sirene bench-search bench-portal bench-api bench-help-search bench-validate bench-ingest bench-load bench-hostile bench-edi fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP):
	@test -x $(PY) || { interpreter=$$(sh scripts/find-python) && echo "Creating $(VENV) with $$interpreter" && "$$interpreter" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@rm -f $(VENV)/.installed-* && touch $@

# Production: its own environment with the runtime dependencies alone (no test tool).
$(PROD_STAMP):
	@test -x $(PROD_VENV)/bin/python || { interpreter=$$(sh scripts/find-python) && echo "Creating $(PROD_VENV) with $$interpreter" && "$$interpreter" -m venv $(PROD_VENV); }
	$(PROD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PROD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@rm -f $(PROD_VENV)/.installed-* && touch $@

install: $(STAMP) ## create the virtual environment, install the locked dependencies, compile the translations and the engine's core, byte-compile the project
	@$(PY) scripts/compile_messages.py
	@$(PY) scripts/build_core.py
	@$(PY) -m compileall -q chorale config

run: install ## migrate, load demo data, serve http://127.0.0.1:$(PORT) with a background worker
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_help
	$(PY) manage.py load_demo
	@echo "Chorale on http://127.0.0.1:$(PORT)/ — Ctrl-C stops the site and the worker."
	@trap 'kill -TERM $$worker $$hooks $$edi 2>/dev/null; wait $$worker $$hooks $$edi 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py worker & worker=$$!; \
	$(PY) manage.py worker --queue-name webhooks,edi --sweep-every 0 & hooks=$$!; \
	$(PY) manage.py edi_sftp & edi=$$!; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

prod: $(PROD_STAMP) ## production mode: gunicorn (WEB_WORKERS) + WORKERS task workers on PostgreSQL (DATABASE_URL, SECRET_KEY)
	@$(PROD_VENV)/bin/python scripts/build_core.py
	PY=$(PROD_VENV)/bin/python sh scripts/prod

worker: install ## run the background worker alone (flows, e-mails; webhooks: manage.py worker --queue-name webhooks)
	$(PY) manage.py worker

demo: install ## (re)load the demo data
	$(PY) manage.py load_demo

test: install ## the whole suite (browser journeys included)
	$(BIN)/pytest

test-fast: install ## the suite without the browser journeys
	$(BIN)/pytest -m "not e2e"

lint: install ## ruff (format + check), import-linter contracts, mypy (strict on the kernel), migrations up to date
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(PY) manage.py makemigrations --check --dry-run

format: install ## rewrite the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-sirene: install ## SIRENE import: rows/s and peak RSS, CSV and Parquet (ROWS=2000000, PG_URL=…)
	$(PY) bench/sirene_import.py --rows $(or $(ROWS),2000000) $(if $(PG_URL),--postgres $(PG_URL))

bench-search: install ## public structure search: median and p95 latency (ROWS=2000000, BENCH_DATABASE_URL=…)
	$(PY) bench/structure_search.py --rows $(or $(ROWS),2000000) $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

bench-portal: install ## invoicing espaces: median and p95 server time over 1M invoices (ROWS=…, BENCH_DATABASE_URL=…)
	$(PY) bench/portal.py --rows $(or $(ROWS),1000000) $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

bench-api: install ## API: deposer/flux and rechercher/fournisseur under 20 clients, PostgreSQL (BENCH_DATABASE_URL=…)
	$(PY) bench/api.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

bench-help-search: install ## question box: median and p95 over 500 help articles, 50 questions (BENCH_DATABASE_URL=…)
	$(PY) bench/help_search.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

rules: install ## regenerate the official rules ahead of time (validation/generated/) and list what XPath 1.0 cannot say
	$(PY) -m chorale.invoicing.validation.generate
	@$(PY) -m compileall -q chorale config

bench-validate: install ## the CEN examples: official chain (XSD + CEN on SaxonC) vs native in-process and command line
	$(PY) bench/validate.py

bench-ingest: install ## deposit → routed, invoices/s with 1, 2, 4 workers (BENCH_DATABASE_URL=… for PostgreSQL, FLOWS, PER_FLOW)
	$(PY) bench/ingest.py --flows $(or $(FLOWS),10) --per-flow $(or $(PER_FLOW),1000) $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

bench-edi: install ## EDI: 10 000 invoices over SFTP in 100 files beside the API, AS2 in parallel (BENCH_DATABASE_URL=…)
	$(PY) bench/edi.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

bench-hostile: install ## a worker's peak memory on a zip bomb and oversized batches, and the time a killed flow takes to resume
	$(PY) bench/hostile.py

bench-load: install ## 50 people browsing and processing over 1M invoices, gunicorn on PostgreSQL (BENCH_DATABASE_URL=…, USERS, SECONDS)
	$(PY) bench/load.py --database-url $(or $(BENCH_DATABASE_URL),postgres://postgres@127.0.0.1:5432/chorale_load) --users $(or $(USERS),50) --seconds $(or $(SECONDS),60)

fuzz: install ## coverage-guided fuzzing of deposit bytes → batch → reading → validation (FUZZ_SECONDS=60)
	$(PY) fuzz/read_invoice.py -max_total_time=$(or $(FUZZ_SECONDS),60) -rss_limit_mb=2048

openapi: install ## write docs/openapi.yaml from the code (a test checks it is up to date)
	$(PY) manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

messages: install ## extract the strings to translate into locale/en/LC_MESSAGES/django.po (needs GNU gettext)
	$(PY) manage.py makemessages -l en -e html,txt,py $(MESSAGES_IGNORE) --no-location --no-obsolete
	@echo "Translate the new entries of locale/en/LC_MESSAGES/django.po; make install compiles it."

lock: ## refresh requirements.lock (runtime) and requirements-dev.lock (dev, tests, tools) with hashes, by uv
	@interpreter=$$(sh scripts/find-python) && rm -rf /tmp/chorale-lock && "$$interpreter" -m venv /tmp/chorale-lock && \
	/tmp/chorale-lock/bin/pip install --quiet --disable-pip-version-check uv && \
	/tmp/chorale-lock/bin/uv pip compile pyproject.toml --universal --python-version 3.12 --generate-hashes --no-header --no-annotate --no-strip-extras -o requirements.lock && \
	/tmp/chorale-lock/bin/uv pip compile pyproject.toml --universal --python-version 3.12 --extra dev --extra parquet -c requirements.lock --generate-hashes --no-header --no-annotate --no-strip-extras -o requirements-dev.lock && \
	rm -rf /tmp/chorale-lock
	@echo "requirements.lock and requirements-dev.lock refreshed"

clean: ## remove the virtual environments and local data (var/)
	rm -rf $(VENV) $(PROD_VENV) var
