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

SPECS := spec/vendnovation.yaml spec/infusion.yaml

generate: $(STAMP)
	for spec in $(SPECS); do $(BIN)/routegen validate $$spec || exit $$?; done
	for spec in $(SPECS); do $(BIN)/routegen generate $$spec --out generated || exit $$?; done

test: $(STAMP)
	for spec in $(SPECS); do $(BIN)/routegen check $$spec --out generated || exit $$?; done
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator

regen-goldens: $(STAMP)
	for spec in $(SPECS); do $(BIN)/routegen generate $$spec --out generated || exit $$?; done
	$(BIN)/python -m tests.golden.regen

bench: $(STAMP)
	$(BIN)/python bench/bench_generate.py

clean:
	rm -rf $(VENV) .routegen-cache
