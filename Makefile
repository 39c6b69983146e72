# One entry point: every target builds its own virtual environment first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: test lint typecheck unit process engine demo bench emulator clean pulumi generate sdk

# The Pulumi CLI the real-engine tests run: `make pulumi` builds it from Pulumi's Go modules into a
# cache outside the repo (or finds a compatible one on PATH), with the Python language host beside
# it when ../shared/pulumi-language-python holds its source and the YAML language host (a tagged Go
# module), and prints its bin folder. Every other
# target only looks for it; the tests skip their real-engine tier when there is none (CI fails).
export SINCH_NUMBERS_PULUMI_BIN := $(shell tools/pulumi-cli.sh --find 2>/dev/null)

# The generated Python SDK of the package (sdk/python, `pulumi_sinch`) too, editable, so tests and
# the example folders import it as a user's program does.
$(VENV)/.installed: pyproject.toml sdk/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pip install -q -e sdk/python
	touch $@

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m sinch_numbers.codegen --check

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

# The typed surface of the program classes (sinch_numbers/generated/) and the docs' tables of
# inputs and outputs, from the resources' declarations (sinch_numbers/resources/*/schema.py).
generate: $(VENV)/.installed
	$(PY) -m sinch_numbers.codegen

# The package's SDKs (sdk/python, sdk/nodejs, sdk/go) from its schema, after generating that:
# tools/sdkgen.sh builds Pulumi's generators into the cache beside the CLI (`make pulumi` does too)
# and runs them. sdk/go/go.mod and go.sum are kept by hand; a test holds sdk/ to a fresh generation.
sdk: generate
	@tools/sdkgen.sh sinch_numbers/plugin/schema.json sdk >/dev/null

# The suite in tiers: tests/conftest.py marks each test unit, process or engine by its folder.
# unit: in process (no emulator, plugin or CLI process), in under a minute, its slow waits left to
# `make test`; process: the emulator, the provider plugin and the command line as processes;
# engine: the real Pulumi CLI. The tests mostly wait on processes, so they run on WORKERS
# pytest-xdist workers (`make test WORKERS=0` runs them in this process, one after another).
WORKERS ?= 4
UNIT_WORKERS ?= 2
ENGINE_WORKERS ?= 2
XDIST = $(if $(filter 0,$(1)),-p no:xdist,-n $(1) --dist loadgroup)

# The unit tier's folders only: collecting the others would cost more than running it.
unit: $(VENV)/.installed
	$(PY) -m pytest -q -m "unit and not slow" $(call XDIST,$(UNIT_WORKERS)) tests/unit tests/docs

process: $(VENV)/.installed
	$(PY) -m pytest -q -m process $(call XDIST,$(WORKERS))

engine: $(VENV)/.installed
	$(PY) -m pytest -q -m engine $(call XDIST,$(ENGINE_WORKERS))

# The whole suite: lint, types, then every test of every tier in one run, so that its closing
# line counts them all (pytest exits non-zero when nothing is collected).
test: lint typecheck
	$(PY) -m pytest -q $(call XDIST,$(WORKERS))

demo: $(VENV)/.installed
	$(PY) examples/demo.py

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

emulator: $(VENV)/.installed
	$(VENV)/bin/sinch-numbers emulator

# The CLI, the SDK generator (tools/sdkgen.sh), and what the TypeScript and Go example programs
# need (tools/node-deps.sh, tools/go-deps.sh):
# npm packages and a Go module cache, in the same cache; each step is skipped when cached.
pulumi:
	@KEEP_GO_CACHES=1 tools/pulumi-cli.sh
	@tools/sdkgen.sh
	@tools/node-deps.sh
	@tools/go-deps.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
