# trainer: `make run` serves the API locally; `make test` runs every check. Both set up .venv first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
LOCAL_KEY := var/local-key.txt
# The install is redone only when pyproject.toml or constraints.txt change (or .venv is new).
INSTALL_HASH := $(shell cat pyproject.toml constraints.txt 2>/dev/null | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(INSTALL_HASH)

.PHONY: install run test lint typecheck unit migrate bench

install: $(STAMP)

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

migrate: install
	$(BIN)/trainer db upgrade

run: migrate
	@mkdir -p var
	@prefix=$$( [ -s $(LOCAL_KEY) ] && cut -d_ -f2 $(LOCAL_KEY) ); \
	if [ -n "$$prefix" ] && $(BIN)/trainer keys list | grep -Eq "^$$prefix .* -$$"; then \
		echo "Your local API key is in $(LOCAL_KEY)."; \
	else \
		$(BIN)/trainer keys create --name local --role admin | tail -n 1 > $(LOCAL_KEY); \
		chmod 600 $(LOCAL_KEY); \
		echo "Created a local API key (saved in $(LOCAL_KEY)):"; \
		echo "  $$(cat $(LOCAL_KEY))"; \
	fi
	@address=$$($(BIN)/trainer serve --print-address); \
	echo "Open $$address/ for the practice page, the workshop board and the API docs."; \
	echo 'Try: curl -H "Authorization: Bearer $$(cat $(LOCAL_KEY))" '"$$address/v1/scenarios"
	$(BIN)/trainer serve

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy --strict trainer tests

unit: install
	$(BIN)/pytest

# All three run even when one fails, so one run shows every problem; the exit status is the worst.
test: install
	@status=0; \
	echo "== ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "== mypy --strict trainer tests"; $(BIN)/mypy --strict trainer tests || status=1; \
	echo "== pytest"; $(BIN)/pytest || status=1; \
	exit $$status

# Benchmarks (under five minutes): the rules coder, then turns on SQLite and PostgreSQL (offline and
# against bench/fake_model.py), each figure printed with its target. All traffic stays on 127.0.0.1.
bench: install
	$(BIN)/python bench/run.py
