# healthgraph: two commands from a fresh clone, `make up` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
# The first interpreter on PATH that is Python 3.11 or newer.
PYTHON  ?= $(shell for p in python3.13 python3.12 python3.11 python3 python; do \
             if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; \
             then command -v $$p; break; fi; done)

.PHONY: help up test lint typecheck pytest bench fuzz compose clean install

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
	  echo "healthgraph needs Python 3.11 or newer on PATH (python3.11, python3.12, python3.13 or python3)." >&2; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): is the venv module installed (Debian: python3-venv)?" >&2; exit 1; }

$(STAMP): $(PY) pyproject.toml deploy/requirements-checkov.txt
	@echo "Installing healthgraph and its dependencies into $(VENV)"
	@$(PY) -m pip install --quiet --upgrade pip >/dev/null
	@$(PY) -m pip install --quiet -e '.[dev]' || { echo "Installing healthgraph failed: see the pip output above." >&2; exit 1; }
	@$(PY) -m venv $(VENV)/tools/checkov && $(VENV)/tools/checkov/bin/pip install --quiet -r deploy/requirements-checkov.txt \
	  || echo "checkov could not be installed: tests/deploy skips its scan" >&2
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project

up: $(STAMP)  ## start PostgreSQL, Kafka, Redis, the subgraphs and the router (with a demo clinic, seeded once); prints the URLs and logins
	@$(VENV)/bin/healthgraph up --demo

test: $(STAMP)  ## lint, type-check and run the whole test suite
	@$(MAKE) --no-print-directory lint typecheck pytest

lint: $(STAMP)  ## ruff and the import layer contracts (lint-imports)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports --no-cache

typecheck: $(STAMP)  ## mypy --strict
	@$(VENV)/bin/mypy

pytest: $(STAMP)  ## the test suite only
	@$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)  ## benchmarks: figures and ratios against the reference peers
	@$(PY) -m tests.benchmarks

fuzz: $(STAMP)  ## differential fuzz of the router against @apollo/gateway (FUZZ_SEED, FUZZ_COUNT, FUZZ_SUPERGRAPHS)
	@$(PY) -m tests.router.fuzz

compose: $(STAMP)  ## re-export subgraph SDL and compose schema/supergraph.graphql (and its copy for deploy/k8s)
	@$(VENV)/bin/healthgraph compose
	@cp schema/supergraph.graphql router.yaml deploy/k8s/base/router/config/

clean:  ## remove the virtualenv and local data
	rm -rf $(VENV) .healthgraph .mypy_cache .ruff_cache .pytest_cache
