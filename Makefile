# packgen: `make` builds the whole pack into build/; `make test` runs the tests.
# Only one recipe runs packgen, so `make -j2` is safe; packgen itself skips outputs whose inputs
# have not changed, and make skips packgen entirely when no source, template or code is newer
# than build/manifest.json.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BYTECODE := $(VENV)/.bytecode
NODE_CLIENTS := tests/js/node_modules/.installed
VALIDATORS := tests/validators/lib/.installed
BUILD ?= build
SOURCES ?= sources
TEMPLATES ?= $(SOURCES)/templates
PACKGEN_FLAGS ?=

.DELETE_ON_ERROR:
.PHONY: all build test check lint bench preview clean distclean

all: build

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# packgen's own modules compiled once, after each change: an editable install leaves them to be
# compiled on first import, and where PYTHONDONTWRITEBYTECODE is set (some CI and container images)
# every run (each of packgen's processes) would compile some forty modules again.
$(BYTECODE): $(INSTALLED) $(shell find packgen -name '*.py')
	$(BIN)/python -m compileall -q packgen
	touch $@

# Rebuild when anything the pack is made from is newer than the manifest (find copes with
# file names holding spaces, which make's own prerequisites cannot).
build: $(INSTALLED) $(BYTECODE)
	@if [ ! -f $(BUILD)/manifest.json ] || \
	   [ -n "$$(find $(SOURCES) $(wildcard $(TEMPLATES)) packgen pyproject.toml -newer $(BUILD)/manifest.json -print -quit)" ]; \
	then $(BIN)/packgen build --sources $(SOURCES) --templates $(TEMPLATES) --out $(BUILD) $(PACKGEN_FLAGS); \
	else echo "packgen: $(BUILD)/ is up to date"; fi

$(NODE_CLIENTS): tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# veraPDF from Maven Central, pinned in tests/validators/pom.xml; without Java and Maven its tests are
# skipped (locally) and this says what to install.
$(VALIDATORS): tests/validators/pom.xml
	@if command -v mvn >/dev/null && command -v java >/dev/null; then \
	  mvn -q -B -Dstyle.color=never -f tests/validators/pom.xml dependency:copy-dependencies \
	      "-Dmaven.repo.local=$(CURDIR)/tests/validators/m2" </dev/null && touch $@; \
	else echo "make test: no Java or Maven here, so the veraPDF tests are skipped (install Java 17 and Maven)"; fi

test: $(INSTALLED) $(BYTECODE) $(NODE_CLIENTS) $(VALIDATORS)
	$(BIN)/ruff check packgen tests benchmarks
	$(BIN)/python -m pytest -q

# Accessibility report on what `make` built (one line per problem, with how to fix it), with the
# veraPDF and Ace that `make test` fetched, unless PACKGEN_VERAPDF or PACKGEN_ACE names another.
# Their paths are relative (make runs here): make splits a path at its spaces, and many a
# folder's name has them ("OneDrive - Riverside Trust").
check: build
	PACKGEN_VERAPDF="$${PACKGEN_VERAPDF:-$(wildcard tests/validators/lib)}" \
	PACKGEN_ACE="$${PACKGEN_ACE:-$(wildcard tests/js/node_modules/.bin/ace-cli)}" $(BIN)/packgen check $(BUILD)

# A live preview in the browser, rebuilt on each save, until Ctrl-C (it never writes to $(BUILD)/);
# `make preview PORT=8000` serves on that port.
preview: $(INSTALLED) $(BYTECODE)
	$(BIN)/packgen preview --sources $(SOURCES) --templates $(TEMPLATES) $(if $(PORT),--port $(PORT))

lint: $(INSTALLED)
	$(BIN)/ruff check packgen tests benchmarks

bench: $(INSTALLED)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf $(VENV) tests/js/node_modules tests/validators/lib tests/validators/m2
