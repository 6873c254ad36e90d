# Kubernetes blog posts: build, check and submit. `make help` lists the targets.
# Every target is one call of the k8s-blog command line (hugo_export/cli.py),
# after making sure .venv exists and matches pyproject.toml + constraints.txt.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

# Options count only when given on make's command line: a PUBLISH, FORCE or
# BRANCH that happens to be in the environment (CI systems set BRANCH) must
# not change what is built or submitted. `$(value ...)` keeps a `$` as typed.
option = $(if $(filter command line,$(origin $(1))),$(value $(1)),$(2))
# One shell word, whatever the value holds (quotes, spaces, `$(...)`).
quote = '$(subst ','\'',$(1))'

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/k8s-blog
STAMP := $(VENV)/.installed

override SRC := $(call option,SRC,source)
override BUILD := $(call option,BUILD,_build)
override POST := $(call option,POST)
override SLUG := $(call option,SLUG)
override TITLE := $(call option,TITLE)
override PUBLISH := $(call option,PUBLISH)
override ALLOW_TODO := $(call option,ALLOW_TODO)
override PORT := $(call option,PORT)
override WEBSITE := $(call option,WEBSITE)
override BRANCH := $(call option,BRANCH)
override FORCE := $(call option,FORCE)
override DRY_RUN := $(call option,DRY_RUN)
override REV := $(call option,REV)

define newline


endef
# A line break in an option would end the recipe's quoted shell word early: refuse it, naming the option.
$(foreach o,SRC BUILD POST SLUG TITLE PUBLISH ALLOW_TODO PORT WEBSITE BRANCH FORCE DRY_RUN REV,$(if \
  $(findstring $(newline),$($(o))),$(error $(o) holds a line break; give it on one line)))

# Same sources, same bytes: timestamps come from the last commit unless the
# caller pins them.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

PROJECT = --source $(call quote,$(SRC)) --build $(call quote,$(BUILD))
SELECT = $(if $(POST),--post $(call quote,$(POST)))
FORM = $(if $(PUBLISH),--publish) $(if $(ALLOW_TODO),--allow-todo)
# A kubernetes/website checkout: its glossary checks term ids; check and preview render in it.
SITE = $(if $(WEBSITE),--website $(call quote,$(WEBSITE)))

.PHONY: all help setup new html pdf pdf-diff hugo check test test-fast linkcheck preview preview-html pr absorb glossary bench fuzz clean

all: html pdf hugo ## build HTML preview, reviewer PDFs and the Hugo export

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  %-14s %s\n", $$1, $$2 }'

# pip compiles the installed packages to bytecode, but not our editable one;
# compileall does, so builds start without compiling it even where
# PYTHONDONTWRITEBYTECODE is set, as container set-ups often do.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "setup: installing the pinned packages into $(VENV)"
	@$(VENV)/bin/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@$(PY) -m compileall -q hugo_export
	@touch $@

setup: $(STAMP) ## create or refresh .venv

new: $(STAMP) ## start a post: make new SLUG=my-post [TITLE="My Post"]
	@test -n $(call quote,$(SLUG)) || { echo "make new: set SLUG=my-post (and TITLE=\"...\" if you like)" >&2; exit 2; }
	@$(CLI) new $(call quote,$(SLUG)) --source $(call quote,$(SRC)) $(if $(TITLE),--title $(call quote,$(TITLE)))

html: $(STAMP) ## HTML preview in BUILD/html (POST=slug for one post)
	@$(CLI) build html $(PROJECT) $(SELECT)

hugo: $(STAMP) ## the posts for kubernetes/website in BUILD/hugo (PUBLISH=1, ALLOW_TODO=1, POST=slug, WEBSITE=path)
	@$(CLI) build hugo $(PROJECT) $(SELECT) $(FORM) $(SITE)

pdf: $(STAMP) ## reviewer PDFs in BUILD/pdf/<slug>.pdf (installs TeX Live on Debian as root)
	@tools/ensure-tex
	@$(CLI) pdf $(PROJECT) $(SELECT)

pdf-diff: $(STAMP) ## reviewer PDFs with the changes since REV=<git rev> marked (POST=slug)
	@test -n $(call quote,$(REV)) || { echo "make pdf-diff: set REV=<git revision>, e.g. REV=HEAD~1" >&2; exit 2; }
	@tools/ensure-tex
	@$(CLI) pdf-diff $(PROJECT) $(SELECT) --rev $(call quote,$(REV))

check: $(STAMP) ## the export, bibliography, TODOs, spelling, website lint and a Hugo render (WEBSITE=path: in it)
	@$(CLI) check $(PROJECT) $(SELECT) $(SITE)

test: $(STAMP) ## ruff, mypy and the test suite (what CI runs)
	@tools/ensure-tex
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest $(PYTEST_OPTS)

test-fast: $(STAMP) ## ruff and the tests that need no TeX and no real-time processes (the inner loop)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -m "not slow" $(PYTEST_OPTS)

linkcheck: $(STAMP) ## check every link of the posts (needs a network)
	@$(CLI) linkcheck $(PROJECT)

preview: $(STAMP) ## serve the export on 127.0.0.1:1313 (PORT=n, WEBSITE=path: in it), re-exported on save
	@$(CLI) preview $(PROJECT) $(SELECT) $(FORM) $(SITE) $(if $(PORT),--port $(call quote,$(PORT)))

preview-html: $(STAMP) ## rebuild the HTML preview on save (127.0.0.1:8000, PORT=n)
	@$(VENV)/bin/sphinx-autobuild --host 127.0.0.1 $(if $(PORT),--port $(call quote,$(PORT))) \
	  -d $(call quote,$(BUILD)/.doctrees/autobuild) $(call quote,$(SRC)) $(call quote,$(BUILD)/autobuild)

pr: $(STAMP) ## export POST and commit it to WEBSITE=path (BRANCH, FORCE=1, DRY_RUN=1, PUBLISH=1)
	@test -n $(call quote,$(WEBSITE)) || { echo "make pr: set WEBSITE=path/to/kubernetes/website" >&2; exit 2; }
	@$(if $(ALLOW_TODO),echo "make pr: ALLOW_TODO is for previews; a pull request never carries open TODOs" >&2; exit 2)
	@$(CLI) pr $(PROJECT) $(SELECT) $(if $(PUBLISH),--publish) --website $(call quote,$(WEBSITE)) \
	  $(if $(BRANCH),--branch $(call quote,$(BRANCH))) $(if $(FORCE),--force) $(if $(DRY_RUN),--dry-run)

absorb: $(STAMP) ## take the reviewers' commits on POST's branch in WEBSITE=path back into the source (BRANCH)
	@test -n $(call quote,$(WEBSITE)) || { echo "make absorb: set WEBSITE=path/to/kubernetes/website" >&2; exit 2; }
	@$(CLI) absorb $(PROJECT) $(SELECT) --website $(call quote,$(WEBSITE)) $(if $(BRANCH),--branch $(call quote,$(BRANCH)))

glossary: $(STAMP) ## rewrite the shipped glossary from WEBSITE=path (a kubernetes/website checkout)
	@test -n $(call quote,$(WEBSITE)) || { echo "make glossary: set WEBSITE=path/to/kubernetes/website" >&2; exit 2; }
	@$(CLI) glossary --website $(call quote,$(WEBSITE))

BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	@$(VENV)/bin/pip install -q --disable-pip-version-check -c constraints.txt -e '.[bench]'
	@touch $@

bench: $(BENCH_STAMP) ## timings against pandoc, written to bench/results.md
	$(PY) bench/run.py

fuzz: $(STAMP) ## the export fuzz test with many more examples
	FUZZ_EXAMPLES=2000 $(PY) -m pytest tests/test_fuzz.py

clean: ## remove build outputs (keeps .venv)
	rm -rf $(call quote,$(BUILD))
