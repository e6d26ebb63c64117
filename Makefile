# Two commands a newcomer needs: `make site` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: site test validate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/qingdan validate

site: validate

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site *.egg-info .pytest_cache .hypothesis
