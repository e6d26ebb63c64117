# Two commands a newcomer needs: `make site` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: site offline-site test validate serve system-deps graphviz screenshot workbook-screenshot benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/qingdan validate

site: $(STAMP) graphviz
	$(BIN)/qingdan build --out site

offline-site: $(STAMP) graphviz
	$(BIN)/qingdan build --offline --out site

# The handbook builds without Graphviz (pictures are then replaced by a note), so a failed install only warns.
graphviz:
	@command -v dot >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq graphviz >/dev/null; } \
		|| echo "未能安装 graphviz：手册照常生成，但关系图会缺失。"

serve: $(STAMP)
	$(BIN)/qingdan serve

# System packages: Graphviz lays out the ownership pictures; the browser tests need Debian's chromium and a CJK
# font (without it screenshots show boxes), the print tests poppler-utils (pdftotext reads the printed pages).
# Installed only when missing; needs root, as on CI.
SYSTEM_PACKAGES := graphviz chromium fonts-noto-cjk poppler-utils
system-deps:
	@if ! command -v dot >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1 \
	    || ! command -v pdftotext >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "正在用 apt-get 安装系统软件包：$(SYSTEM_PACKAGES)…"; \
		apt-get update -qq && apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

# The README's picture of a unit page, taken by headless Chromium from a real build.
screenshot: $(STAMP) system-deps
	$(BIN)/python tests/browser.py docs/assets/unit-page.png

# The README's picture of the clerks' workbook (qingdan export), drawn by LibreOffice from a real export. LibreOffice
# is large, so it is installed here when missing, not by system-deps, and this is not part of `make test`.
workbook-screenshot: $(STAMP)
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 \
	    || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "正在用 apt-get 安装系统软件包：libreoffice-calc-nogui poppler-utils fonts-noto-cjk…"; \
		apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui poppler-utils fonts-noto-cjk >/dev/null; \
	fi
	$(BIN)/python tests/workbook_picture.py docs/assets/workbook.png

# Not part of `make test` (about twenty minutes): build time and memory at three data sizes, serve's reload time,
# then both site engines side by side (build, memory, search download and time to the first result).
# The results and what they mean are kept in benchmarks/RESULTS.md.
benchmark: $(STAMP) system-deps
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/serve.py
	$(BIN)/python benchmarks/engines.py

clean:
	rm -rf $(VENV) site *.egg-info .pytest_cache .hypothesis
