# fawen: two commands on a fresh Debian machine — `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SYSTEM_STAMP := .fonts-src/.system-stamp
FONTS_STAMP := .fonts/.stand-in-stamp

.PHONY: setup build test lint typecheck bench schema clean

setup: $(STAMP) $(SYSTEM_STAMP) $(FONTS_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

$(SYSTEM_STAMP): scripts/setup-system.sh
	scripts/setup-system.sh
	touch $@

# The stand-in fonts as TrueType (why: scripts/stand_in_fonts.py), built once.
$(FONTS_STAMP): $(STAMP) $(SYSTEM_STAMP) scripts/stand_in_fonts.py
	$(PY) scripts/stand_in_fonts.py .fonts-src .fonts
	touch $@

build: setup
	$(VENV)/bin/fawen validate plans
	$(VENV)/bin/fawen build plans -o output

test: setup lint typecheck
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy generator

bench: setup
	$(PY) bench/run.py
	$(PY) bench/preview.py
	$(PY) bench/progress.py

# Regenerate the committed JSON Schemas (a test fails when they drift from the models).
schema: $(STAMP)
	$(VENV)/bin/fawen schema --kind plan -o schema/plan.schema.json
	$(VENV)/bin/fawen schema --kind departments -o schema/departments.schema.json
	$(VENV)/bin/fawen schema --kind task-group -o schema/task-group.schema.json
	$(VENV)/bin/fawen schema --kind numbers -o schema/numbers.schema.json
	$(VENV)/bin/fawen schema --kind progress -o schema/progress.schema.json

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
