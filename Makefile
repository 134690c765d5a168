# Readiness: `make run` serves the app locally, `make test` runs the whole suite; both set everything up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test system-deps translations messages lint bench clean

$(BIN)/readiness: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Debian packages: Chromium for the browser tests, a CJK font for Chinese PDFs, poppler for PDF checks.
# Installed only when missing and when we are root; otherwise the affected tests say what is missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
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

# After adding or changing interface strings: extract, update both catalogs, list what needs translating.
messages: $(BIN)/readiness
	$(BIN)/python tools/update_messages.py

run: $(BIN)/readiness system-deps translations
	READINESS_ENV=development $(BIN)/readiness db upgrade
	READINESS_ENV=development $(BIN)/flask --app readiness run --host $(HOST) --port $(PORT)

test: $(BIN)/readiness system-deps translations
	$(BIN)/python -m pytest

lint: $(BIN)/readiness
	$(BIN)/ruff check readiness tests

bench: $(BIN)/readiness system-deps translations
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) instance test-artifacts .pytest_cache
