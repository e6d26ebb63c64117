# Two commands a newcomer needs: `make site` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: site offline-site test validate serve system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/qingdan validate

site: $(STAMP)
	$(BIN)/qingdan build --out site

offline-site: $(STAMP)
	$(BIN)/qingdan build --offline --out site

serve: $(STAMP)
	$(BIN)/qingdan serve

# System packages the browser tests need: Debian's chromium and a CJK font for readable screenshots.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "Installing chromium and fonts-noto-cjk (apt-get)…"; \
		apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site *.egg-info .pytest_cache .hypothesis
