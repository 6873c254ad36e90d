# The Confidential Kubernetes post: build, check and submit.
# `make help` lists the targets. Every target first makes sure .venv exists and
# matches pyproject.toml + constraints.txt.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SRC := source
BUILD := _build
SPHINXBUILD := $(PY) -m hugo_export.build
SPHINXOPTS ?= -W --keep-going -q
PUBLISH ?=
ALLOW_TODO ?=

# Same sources, same bytes: timestamps come from the last commit unless the
# caller pins them.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

# conf.py reads the bibliography from beside the source directory.
SOURCES := $(shell find $(SRC) -type f -not -path '*/__pycache__/*' 2>/dev/null) $(wildcard $(SRC)/../*.bib)
EXPORTER := $(wildcard hugo_export/*.py hugo_export/data/*)
HUGO_OPTS := $(if $(PUBLISH),-D hugo_publish=1) $(if $(ALLOW_TODO),-D hugo_allow_todo=1)

.PHONY: all help setup html pdf hugo check test linkcheck preview preview-html pr pr-only bench fuzz clean FORCE

all: html pdf hugo ## build HTML preview, reviewer PDF and the Hugo export

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  %-14s %s\n", $$1, $$2 }'

# pip compiles the installed packages to bytecode, but not our editable one;
# compileall does, so builds start without compiling it even where
# PYTHONDONTWRITEBYTECODE is set, as container set-ups often do.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@$(PY) -m compileall -q hugo_export
	@touch $@

setup: $(STAMP) ## create or refresh .venv

# Outputs are built beside their target and renamed into place only when the
# build succeeded, so a failed build leaves the previous output as it was.
define swap_into_place
rm -rf $(2).old; if [ -e $(2) ]; then mv $(2) $(2).old; fi; mv $(1) $(2); rm -rf $(2).old
endef

# Each output also depends on the options it was made with and on which
# source files there are (a deleted file has no date to compare): this file
# holds both and is rewritten only when they change.
MANIFEST := $(BUILD)/.inputs
MANIFEST_TEXT := $(SPHINXOPTS) $(HUGO_OPTS) $(sort $(SOURCES))
$(MANIFEST): FORCE
	@mkdir -p $(@D); echo '$(MANIFEST_TEXT)' | cmp -s - $@ || echo '$(MANIFEST_TEXT)' > $@

INPUTS := $(STAMP) $(SOURCES) $(EXPORTER) $(MAKEFILE_LIST) $(MANIFEST)

html: $(BUILD)/html/.done ## HTML preview in _build/html

$(BUILD)/html/.done: $(INPUTS)
	@rm -rf $(BUILD)/.html.new; if [ -d $(BUILD)/html ]; then cp -a $(BUILD)/html $(BUILD)/.html.new; fi
	$(SPHINXBUILD) -b html -d $(BUILD)/doctrees/html $(SPHINXOPTS) $(SRC) $(BUILD)/.html.new \
	  || { status=$$?; rm -rf $(BUILD)/.html.new; exit $$status; }
	@$(call swap_into_place,$(BUILD)/.html.new,$(BUILD)/html)
	@touch $@

pdf: $(STAMP) ## reviewer PDF in _build/pdf (installs TeX Live on Debian as root)
	@tools/ensure-tex
	$(PY) tools/pdf.py --source $(SRC) --build $(BUILD)

hugo: $(BUILD)/hugo/.done ## kubernetes/website export in _build/hugo

$(BUILD)/hugo/.done: $(INPUTS)
	$(SPHINXBUILD) -b hugo $(SPHINXOPTS) $(HUGO_OPTS) $(SRC) $(BUILD)/hugo
	@touch $@

check: $(STAMP) ## bibcheck, codespell, TODO report and the website lint
	$(PY) tools/check.py --source $(SRC) --bib bibliography.bib --build $(BUILD)/check

test: $(STAMP) ## run the test suite
	@tools/ensure-tex
	$(PY) -m pytest $(PYTEST_OPTS)

linkcheck: $(STAMP) ## Sphinx linkcheck over the article
	$(PY) tools/linkcheck.py --source $(SRC) --build $(BUILD)/linkcheck

preview: hugo ## serve the export in a Hugo site on 127.0.0.1:1313
	$(PY) tools/preview.py --source $(SRC) --build $(BUILD) $(if $(PORT),--port $(PORT))

preview-html: $(STAMP) ## rebuild the HTML preview on save (127.0.0.1:8000)
	$(VENV)/bin/sphinx-autobuild --host 127.0.0.1 $(if $(PORT),--port $(PORT)) $(SRC) $(BUILD)/html

PR_EXPORT ?= $(BUILD)/hugo
pr: hugo pr-only ## place the export in WEBSITE=path (BRANCH, FORCE=1, DRY_RUN=1)

pr-only: $(STAMP)
	@test -n "$(WEBSITE)" || { echo "make pr: set WEBSITE=path/to/kubernetes/website" >&2; exit 2; }
	$(PY) -m hugo_export pr --website "$(WEBSITE)" $(if $(BRANCH),--branch "$(BRANCH)") \
	  $(if $(FORCE),--force) $(if $(DRY_RUN),--dry-run) $(PR_EXPORT)

bench: $(STAMP) ## timings against pandoc, written to bench/results.md
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[bench]'
	$(PY) bench/run.py

fuzz: $(STAMP) ## the export fuzz test with many more examples
	FUZZ_EXAMPLES=2000 $(PY) -m pytest tests/test_fuzz.py

clean: ## remove build outputs (keeps .venv)
	rm -rf $(BUILD)
