# drafting: `make run` (set-up, example workspace, app) and `make test` (set-up, whole suite).
# Needs only Python 3.11+, git and make; everything else comes from PyPI into .venv.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
EXAMPLE ?= example-workspace
EXAMPLE_FILES := drafting.yaml $(shell find drafts contributions decisions references -name '*.yaml' 2>/dev/null)

.PHONY: setup run lint test example bench clean help

help:
	@echo "make run    set up, build the example workspace and start the app"
	@echo "make lint   ruff (lint and format) and mypy, as configured in pyproject.toml"
	@echo "make test   set up, lint, and run the whole test suite"
	@echo "make bench  set up and run the benchmark (conference scale and beyond)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "drafting needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

$(EXAMPLE)/.git/HEAD: $(STAMP) $(EXAMPLE_FILES)
	rm -rf $(EXAMPLE)
	$(VENV)/bin/drafting init $(EXAMPLE) --example

example: $(EXAMPLE)/.git/HEAD

run: setup example
	DRAFTING_APP_MODE=demo $(VENV)/bin/drafting --workspace $(EXAMPLE) app

LINT_PATHS := src tests bench

lint: setup
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/mypy

test: setup lint
	$(PY) -m pytest -q -n 2 --dist loadgroup

bench: setup
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) -m bench
	$(PY) -m bench.appload
	$(PY) -m bench.appload --scale 300:193x50:1000 --out docs/bench/app-load-scale.json


clean:
	rm -rf $(VENV) $(EXAMPLE) .pytest_cache build src/*.egg-info
