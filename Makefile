# `make run` starts the app on localhost; `make test` runs every test. Both set up .venv first.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check bench bench-load

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m planner data check | tail -n 3
	$(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/python -m planner data check

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Many users at once (#13 item 7): 20 browser sessions on one server, ~1.5-3 min; prints figures.
bench-load: $(STAMP)
	$(BIN)/python benchmarks/load.py --sessions 20
