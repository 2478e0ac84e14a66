# gemeinsinn – two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-postgres lint format browser messages bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "gemeinsinn needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
		{ echo "Missing system package: python3-venv (Debian/Ubuntu: sudo apt-get install python3-venv)."; exit 1; }
	@for lib in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0; do \
		/sbin/ldconfig -p 2>/dev/null | grep -q "$${lib%%:*}" || \
		{ echo "Missing system package for the PDF letters (WeasyPrint): $${lib##*:} (Debian/Ubuntu: sudo apt-get install $${lib##*:})."; exit 1; }; \
	done
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/gemeinsinn compilemessages
	touch $(STAMP)

demo: install
	$(BIN)/gemeinsinn demo

# Browser tests drive Debian's Chromium; install it when it is missing (needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Chromium is missing: installing Debian's package chromium for the browser tests."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The whole suite on SQLite; then, when TEST_DATABASE_URL names a PostgreSQL server,
# every test that touches the database once more on PostgreSQL.
test: install lint browser
	$(BIN)/pytest -p no:cacheprovider
	@$(MAKE) --no-print-directory test-postgres

test-postgres: install
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== Database tests again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		GEMEINSINN_DB_TESTS_ONLY=1 DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -p no:cacheprovider -m "not browser"; \
	else \
		echo "PostgreSQL run skipped: set TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB to run the database tests on PostgreSQL too."; \
	fi

messages: install
	cd src/gemeinsinn && ../../$(BIN)/django-admin makemessages -l de -l en --settings=gemeinsinn.settings

bench: install
	for b in index_speed point_in_area import_long_csv import_database; do $(BIN)/python -m bench.$$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
