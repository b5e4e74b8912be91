# The two commands a newcomer needs: `make dev` and `make test`. Every target installs what
# it needs first: uv (if absent), the virtual environment and the locked dependencies.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
BOOTSTRAP_PYTHON := $(shell command -v python3 || command -v python)
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
VENV := .venv/.synced
RUN := $(UV) run --frozen --no-sync
export PYTHONPATH := $(CURDIR)/src
# uv may not download interpreters on machines without internet access to them.
export UV_PYTHON_DOWNLOADS ?= automatic

# Deployment parameters (docs/deploy.md); the defaults are what the templates deploy.
STAGE ?= dev
RUNTIME ?= python3.13
ARCH ?= arm64
FUNCTION ?= sample_api
EVENT ?= events/get_users.json

.PHONY: help dev test lint typecheck pytest bench build verify invoke import seed reset \
        deploy deploy-plan destroy check-deep clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	$(BOOTSTRAP_PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

dev: $(VENV) ## Run the local cloud in the foreground (Ctrl-C stops it)
	$(RUN) python -m localcloud

test: lint typecheck pytest ## Lint, type-check and run the whole suite

lint: $(VENV)
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck: $(VENV)
	$(RUN) mypy

pytest: $(VENV)
	$(RUN) pytest -n auto

bench: $(VENV) ## Benchmarks: cold start, warm invocation, import throughput (prints ratios)
	$(RUN) python -m bench

reset: ## Wipe the local data (database, S3 objects, queues)
	rm -rf .local

clean: ## Remove build outputs and the virtual environment
	rm -rf dist .venv .tools .mypy_cache .ruff_cache
