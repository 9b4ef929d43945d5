# Two commands do all the setup on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck bench i18n clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

demo: install  ## a real interview in the terminal, on the embedded SQLite default
	$(VENV)/bin/cusdev chat

test: install  ## the whole suite (PostgreSQL tests run when it is reachable, else skip saying why)
	$(PY) -m pytest

lint: install  ## ruff, ruff format and mypy (strict on core and storage, see pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy core bot storage

bench: install
	$(PY) bench/engine.py

i18n: install  ## re-extract messages into the .pot and merge them into the Russian catalog
	$(PY) tools/extract_messages.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
