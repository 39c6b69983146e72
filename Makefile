# One entry point: every target builds its own virtual environment first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: test lint typecheck unit demo bench emulator clean pulumi generate

# The Pulumi CLI the real-engine tests run: `make pulumi` builds it from Pulumi's Go modules into a
# cache outside the repo (or finds a compatible one on PATH), with the Python language host beside
# it when ../shared/pulumi-language-python holds its source, and prints its bin folder. Every other
# target only looks for it; the tests skip their real-engine tier when there is none (CI fails).
export SINCH_NUMBERS_PULUMI_BIN := $(shell tools/pulumi-cli.sh --find 2>/dev/null)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
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

unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit -q

# The whole suite: lint, types, then every test (pytest exits non-zero when nothing is collected).
test: lint typecheck
	$(PY) -m pytest -q

demo: $(VENV)/.installed
	$(PY) examples/demo.py

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

emulator: $(VENV)/.installed
	$(VENV)/bin/sinch-numbers emulator

pulumi:
	@tools/pulumi-cli.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
