# make run: create .venv, install, run the main demo. make test: the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python samples/google-contacts/demo.py

test: $(STAMP)
	$(BIN)/python -m pytest -q

$(VENV)/.bench-installed: pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(VENV)/.bench-installed

bench: $(STAMP) $(VENV)/.bench-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
