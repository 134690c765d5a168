# Readiness: `make run` serves the app locally, `make test` runs the whole suite; both set everything up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# One pytest worker per core (pytest-xdist; each worker starts its own throwaway databases).
# `make test PYTEST_WORKERS=0` runs everything in one process.
PYTEST_WORKERS ?= auto

.PHONY: run test test-latest lock hooks system-deps translations messages lint bench clean

# The exact versions we test, with hashes: requirements.lock (refresh with `make lock`).
LOCK := requirements.lock
# The app alone (no test tools), with the same pins: what a production install uses with the wheel.
APP_LOCK := requirements-app.lock
LOCK_INPUTS := pyproject.toml requirements-build.in
PIP_COMPILE_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links
# The lock files' headers say to run `make lock` (both files together), not one pip-compile.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND='make lock' .venv-tools/bin/pip-compile $(PIP_COMPILE_FLAGS)

$(BIN)/readiness: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Re-resolve the lock file from pyproject.toml's ranges (newest allowed versions), with hashes.
lock:
	$(PYTHON) -m venv .venv-tools
	.venv-tools/bin/python -m pip install --quiet 'pip-tools>=7.4'
	$(PIP_COMPILE) --extra test --upgrade -o $(LOCK) $(LOCK_INPUTS)
	cp $(LOCK) $(APP_LOCK)  # seeded with the same pins, then narrowed to what the app needs
	$(PIP_COMPILE) -o $(APP_LOCK) pyproject.toml

# The suite against the newest versions pyproject.toml allows (not the lock): shows upstream
# breakage before it reaches main. Uses its own virtualenv, so the locked one stays as it is.
test-latest: system-deps
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip setuptools wheel babel
	.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager \
		--no-build-isolation -e '.[test]'
	.venv-latest/bin/pybabel -q compile -f -d readiness/translations
	@.venv-latest/bin/python -m pip list --format=freeze | grep -iE '^(flask|click|babel|werkzeug|sqlalchemy|weasyprint|wtforms|flask-limiter)=' || true
	.venv-latest/bin/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal

# Debian packages: Chromium for the browser tests, a CJK font for Chinese PDFs, poppler for PDF checks,
# redis-server for the scale-out test (tests/test_scale_out.py), cairo for the Word report's chart
# images (cairosvg).
# Installed only when missing and when we are root; otherwise the affected tests say what is missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2' || missing="$$missing libcairo2"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "not root: missing$$missing (the tests that need them will be skipped)"; \
	  fi; \
	fi

translations: $(BIN)/readiness
	@if [ -d readiness/translations ]; then $(BIN)/pybabel -q compile -f -d readiness/translations; fi

# Register the merge driver that unions gettext catalogs when branches meet (see .gitattributes).
hooks: $(BIN)/readiness
	git config merge.po-union.name "gettext catalog union"
	git config merge.po-union.driver "$(abspath $(BIN))/python $(abspath tools/merge_po.py) %O %A %B"

# After adding or changing interface strings: extract, update both catalogs, list what needs translating.
messages: $(BIN)/readiness
	$(BIN)/python tools/update_messages.py

run: $(BIN)/readiness system-deps translations
	READINESS_ENV=development $(BIN)/readiness db upgrade
	READINESS_ENV=development $(BIN)/flask --app readiness run --host $(HOST) --port $(PORT)

# axe-core for the browser tests' accessibility audit: a test-only tool, installed from npm into
# .test-tools (never shipped with the app, never served by it) at the version and integrity hash
# locked in tools/test-tools/package-lock.json; the tests skip the audit without it.
AXE := .test-tools/node_modules/axe-core/axe.min.js
$(AXE): tools/test-tools/package.json tools/test-tools/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  mkdir -p .test-tools && cp tools/test-tools/package.json tools/test-tools/package-lock.json .test-tools/ && \
	  npm ci --silent --no-audit --no-fund --prefix .test-tools && touch $@; \
	else echo "npm is missing: the browser walk-through (axe-core) will be skipped"; fi

# One pytest worker per core (pytest-xdist; each worker starts its own throwaway databases).
# `make test PYTEST_WORKERS=0` runs everything in one process.
PYTEST_WORKERS ?= auto
test: $(BIN)/readiness system-deps translations $(AXE)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal

lint: $(BIN)/readiness
	$(BIN)/ruff check readiness tests

bench: $(BIN)/readiness system-deps translations
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) .venv-latest .venv-tools .test-tools instance test-artifacts .pytest_cache build dist
