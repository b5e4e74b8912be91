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
# `make test` starts a few hundred Python processes (pytest's workers, make dev, the tools,
# the functions' own processes). A shell that sets PYTHONDONTWRITEBYTECODE makes each of them
# compile every module it imports again: half of a test run's collection time. The caches go to
# __pycache__ (git-ignored; the build never copies them).
unexport PYTHONDONTWRITEBYTECODE

# The stage to deploy: deploy/stages/$(STAGE).toml gives it every parameter (docs/deploy.md).
# RUNTIME and ARCH are `make build`'s; `make deploy` takes them from the stage file instead.
STAGE ?= dev
RUNTIME ?= python3.13
ARCH ?= arm64
EVENT ?= events/sample_api/get_users.json

.PHONY: help dev test lint typecheck workflows pytest bench build verify invoke import logs seed \
        reset deploy deploy-plan destroy smoke check-deep audit clean new-function

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	tools/bootstrap-uv.sh $(UV_VERSION) $(BOOTSTRAP_PYTHON)

$(VENV): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

# DEBUG=1: debugpy listens on 127.0.0.1:DEBUG_PORT (default 5678) for "attach to make dev".
dev: $(VENV) ## Run the local cloud in the foreground (Ctrl-C stops it); DEBUG=1 starts debugpy
	$(RUN) python -m localcloud

test: lint typecheck workflows pytest ## Lint, type-check and run the whole suite

lint: $(VENV)
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck: $(VENV)
	$(RUN) mypy

# docs/pipeline.md. actionlint without its shellcheck and pyflakes passes, which would find
# different things where those happen to be installed (GitHub's runners have shellcheck);
# zizmor offline and pedantic: every finding is fixed or its ignore says why, inline.
workflows: $(VENV) ## Lint (actionlint) and audit (zizmor) the GitHub workflows
	$(RUN) actionlint -shellcheck= -pyflakes= .github/workflows/*.yml
	$(RUN) zizmor --offline --no-progress --persona pedantic .github/workflows

# checkov pins an old boto3: it lives in its own locked environment (tools/checkov).
CHECKOV := tools/checkov/.venv/.synced

$(CHECKOV): tools/checkov/pyproject.toml tools/checkov/uv.lock | $(UV)
	$(UV) sync --frozen --project tools/checkov
	@touch $@

# One module per worker at a time (loadscope): a module's fixture that starts a whole stack
# (the local cloud, the moto rehearsal of every template) then starts once, not once per worker.
# Processes are spawned, as Python on macOS starts them, so that Linux finds what a Mac would:
# only the tests that start processes notice (tests/conftest.py).
# One worker more than the cores: the suite waits on servers and subprocesses about a quarter
# of the time, and a third worker on 2 cores fills it (pytest 98 s -> 90 s). WORKERS=n to choose.
WORKERS ?= $(shell $(BOOTSTRAP_PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')
pytest: $(VENV) $(CHECKOV)
	$(RUN) pytest -n $(WORKERS) --dist loadscope --start-method=spawn

bench: $(VENV) ## Benchmarks: cold start, warm invocation, import and stream throughput (prints ratios)
	$(RUN) python -m bench

# The function zips are the same for every architecture; the layer is built for both (the static
# checks cover both, the executed check runs this machine's). ARCH is the one the templates deploy.
build: $(VENV) ## Build dist/: the function zips and the layer for x86_64 and arm64
	UV=$(UV) ./build-app.sh --runtime $(RUNTIME) --arch $(ARCH)
	UV=$(UV) ./build-layer.sh --runtime $(RUNTIME) --arch x86_64 --arch arm64

verify: $(VENV) ## Check dist/: ELF, glibc, ABI, sizes, no dev deps; run each zip in a clean Python
	$(RUN) python -m buildtools.verify --runtime $(RUNTIME)

# Deploy: docs/deploy.md. AWS credentials and AWS_REGION come from your usual AWS setup; every
# parameter of every stack, the runtime and the architecture come from deploy/stages/$(STAGE).toml.
# PREBUILT=1 deploys dist/ as it is, without building it again: the pipeline promotes the zips
# it built and verified once (docs/pipeline.md); their keys are their hashes, so every stage
# runs the same bytes.
deploy: $(VENV) ## Build for the stage file, verify, deploy through change sets: make deploy STAGE=dev [ALLOW_REPLACE=1] [PREBUILT=1]
	$(if $(filter 1,$(PREBUILT)),,@set -e; target=$$($(RUN) python -m deploytools build-target \
		--stage $(STAGE)); $(MAKE) --no-print-directory build verify $$target)
	$(RUN) python -m deploytools deploy --stage $(STAGE) $(if $(filter 1,$(ALLOW_REPLACE)),--allow-replace)

deploy-plan: $(VENV) ## The plan from deploy/stages/<STAGE>.toml; with AWS access, drift and change sets
	$(RUN) python -m deploytools plan --stage $(STAGE)

# The deployed API's sample reads and an import with no row, where the stacks' outputs say.
smoke: $(VENV) ## Check a deployed stage answers: make smoke STAGE=dev
	$(RUN) python -m deploytools.smoke --stage $(STAGE)

destroy: $(VENV) ## Delete the stage's stacks in reverse order; the database stays as a snapshot
	$(RUN) python -m deploytools destroy --stage $(STAGE)

# The function is the event's folder (events/<function>/<case>.json) unless FUNCTION= names one;
# the answer is checked against <case>.expected.json beside it (a mismatch exits 1). STAGE= given
# on the command line (or in the environment) means the deployed stage: docs/operations.md.
GIVEN = $(filter command line environment,$(origin $(1)))
FUNCTION_ARG = $(if $(call GIVEN,FUNCTION),--function $(FUNCTION))
OPS = $(RUN) python -m opstools

invoke: $(VENV) ## One invocation, checked: make invoke EVENT=events/<function>/<case>.json [STAGE=dev]
	$(if $(call GIVEN,STAGE),$(OPS) invoke --stage $(STAGE),$(RUN) python -m localcloud.invoke) \
		$(FUNCTION_ARG) $(EVENT)

import: $(VENV) ## Import a CSV and print its report: make import FILE=path.csv [STAGE=dev]
	$(if $(call GIVEN,STAGE),$(OPS) import --stage $(STAGE) $(FUNCTION_ARG) $(if $(TIMEOUT),--timeout $(TIMEOUT)),$(RUN) python -m localcloud.upload) \
		$(or $(FILE),$(error set FILE=path/to/file.csv))

# Without STAGE=, the local cloud's console shows the logs (`make dev`).
logs: $(VENV) ## A deployed stage's logs, a line each: make logs STAGE=dev [FUNCTION= SINCE=10m FOLLOW=1 ID=]
	$(OPS) logs --stage $(STAGE) $(FUNCTION_ARG) --since $(or $(SINCE),10m) \
		$(if $(filter 1 yes true,$(FOLLOW)),--follow) $(if $(ID),--id $(ID))

seed: $(VENV) ## Import sample_users.csv into the running `make dev`
	$(RUN) python -m localcloud.upload sample_users.csv

# docs/scaffold.md: what each trigger generates. Refuses a taken name and never overwrites a file.
new-function: $(VENV) ## A new function, its stack, events and tests: make new-function NAME=orders TRIGGER=api|sqs|s3|schedule|dynamodb
	$(RUN) python -m scaffold $(or $(NAME),$(error set NAME=<name> TRIGGER=api|sqs|s3|schedule|dynamodb)) \
		$(or $(TRIGGER),$(error set TRIGGER=api|sqs|s3|schedule|dynamodb))

reset: $(VENV) ## Wipe the local data of `make dev` (database, S3 snapshot)
	$(RUN) python -m localcloud.reset

# The long versions of the checks `make test` runs bounded: one line per long run, add yours
# above the audit (in this sandbox the strict audit fails: see docs/operations.md).
check-deep: $(VENV) $(CHECKOV) ## The long checks: deep fuzzing, properties, load, generated functions, debugger; strict audit
	$(RUN) python -m bench load
	CHECK_DEEP=1 $(RUN) pytest -m slow tests/fuzz
	CHECK_DEEP=1 $(RUN) pytest -m slow tests/scaffold tests/localcloud
	HYPOTHESIS_PROFILE=deep $(RUN) pytest -n auto tests/properties
	$(RUN) python -m tests.security.audit --strict

audit: $(VENV) ## Audit the locked runtime dependencies; a dependency not audited fails too
	$(RUN) python -m tests.security.audit --strict

clean: ## Remove build outputs and the virtual environment
	rm -rf dist .venv .tools .mypy_cache .ruff_cache
