# routegen: `make generate` (main job) and `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test check lint regen-goldens bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/routegen validate
	$(BIN)/routegen generate --out generated

test: $(STAMP)
	$(BIN)/routegen check --out generated
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator

regen-goldens: $(STAMP)
	$(BIN)/routegen generate --out generated
	$(BIN)/python -m tests.golden.regen

bench: $(STAMP)
	$(BIN)/python bench/bench_generate.py

clean:
	rm -rf $(VENV) .routegen-cache
