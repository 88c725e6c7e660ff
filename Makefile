# routegen: `make generate` (main job) and `make test`. Both bootstrap .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests use tmp_path, loopback port 0 and atomic cache writes, so they run on every core;
# --dist loadfile keeps a file's module-scoped fixtures (built specs, mock apps) in one worker.
PARALLEL := -n auto --dist loadfile

.PHONY: generate test test-fast check lint regen-goldens bench hostile hostile-specs contract clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# One process: generate validates every spec/*.yaml (and its lock) before writing, and
# reuses the cached model and tree when nothing changed (.routegen-cache/).
generate: $(STAMP)
	$(BIN)/routegen generate --out generated

test: $(STAMP)
	$(BIN)/routegen check --out generated
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator
	$(BIN)/pytest $(PARALLEL)

# The maintainer's loop: unit, golden and diff tests plus a sample of the e2e tests
# (reads against the mock), without the tests marked slow (pip builds, subprocess runs).
FAST := tests/unit tests/golden tests/diff tests/e2e/test_reads.py
test-fast: $(STAMP)
	$(BIN)/pytest $(PARALLEL) -q -m "not slow" $(FAST)

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator

regen-goldens: $(STAMP)
	$(BIN)/routegen generate --out generated
	$(BIN)/python -m tests.golden.regen

# Every hostile-server and hostile-mock variant (make test runs a sample), then the tally.
hostile: $(STAMP)
	ROUTEGEN_HOSTILE=full $(BIN)/pytest -q -p no:cacheprovider tests/runtime/test_hostile_server.py tests/mock/test_hostile_mock.py
	PYTHONPATH=. ROUTEGEN_HOSTILE=full $(BIN)/python bench/hostile_tally.py

# Many random hostile specs (make test runs a few): each accepted one must generate
# packages that compile, import, build a correct request and pass mypy --strict.
hostile-specs: $(STAMP)
	ROUTEGEN_HOSTILE=full $(BIN)/pytest -q -p no:cacheprovider tests/generation/test_hostile_specs_property.py tests/unit/test_hostile_spec_checks.py

# schemathesis against the mock with each stage's exported OpenAPI document, valid and
# invalid requests; make test runs the same tests with a few examples per operation.
contract: $(STAMP)
	CONTRACT_EXAMPLES=40 $(BIN)/pytest -n 2 --dist loadfile -q -p no:cacheprovider tests/contract

# The peers routegen is measured against live in their own venv (bench/.venv, ignored):
# openapi-python-client (+ ruff, its default hooks) and OpenAPI Generator (needs java).
BENCH_STAMP := bench/.venv/.installed
BENCH_ARGS ?=

$(BENCH_STAMP):
	$(PYTHON) -m venv bench/.venv
	bench/.venv/bin/pip install --quiet --upgrade pip
	bench/.venv/bin/pip install --quiet openapi-python-client ruff
	if command -v java >/dev/null; then bench/.venv/bin/pip install --quiet openapi-generator-cli; fi
	touch $(BENCH_STAMP)

# Every side-by-side row of bench/README.md, from one run (BENCH_ARGS="--repeat 3" to shorten).
bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .routegen-cache
