# routegen: `make generate` (main job) and `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test check lint regen-goldens bench hostile clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/routegen validate  # every spec/*.yaml
	$(BIN)/routegen generate --out generated  # every spec/*.yaml; one shared STAGES.md

test: $(STAMP)
	$(BIN)/routegen check --out generated  # every spec/*.yaml
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator

regen-goldens: $(STAMP)
	$(BIN)/routegen generate --out generated  # every spec/*.yaml; one shared STAGES.md
	$(BIN)/python -m tests.golden.regen

# Every hostile-server and hostile-mock variant (make test runs a sample), then the tally.
hostile: $(STAMP)
	ROUTEGEN_HOSTILE=full $(BIN)/pytest -q -p no:cacheprovider tests/runtime/test_hostile_server.py tests/mock/test_hostile_mock.py
	PYTHONPATH=. ROUTEGEN_HOSTILE=full $(BIN)/python bench/hostile_tally.py

bench: $(STAMP)
	$(BIN)/python bench/bench_generate.py

clean:
	rm -rf $(VENV) .routegen-cache
