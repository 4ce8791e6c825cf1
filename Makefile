# Dangwu: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DANGWU_DATA_DIR ?= $(CURDIR)/var
export DANGWU_PORT ?= 8000
VENDOR := src/dangwu/static/vendor
STAMP := $(VENV)/.installed

.PHONY: run test test-browser bench lint format setup assets messages clean

setup: $(STAMP) assets messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	cp node_modules/squire-rte/dist/squire.js node_modules/squire-rte/dist/squire.js.map $(VENDOR)/

messages: $(STAMP)
	$(BIN)/pybabel compile -d src/dangwu/locale -D django --statistics

run: setup
	mkdir -p $(DANGWU_DATA_DIR)
	$(BIN)/dangwu migrate --no-input -v0
	$(BIN)/dangwu collectstatic --no-input -v0
	$(BIN)/dangwu demo --if-empty
	$(BIN)/dangwu serve --port $(DANGWU_PORT)

test: lint
	$(BIN)/pytest -n 2

test-browser: setup
	$(BIN)/pytest -n 2 tests/browser

bench: setup
	$(BIN)/python -m bench.run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
