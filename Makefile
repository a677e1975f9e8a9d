# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# `make run PORT=8080`: the development server's port, and the one links in e-mails point at
# (unless PUBLIC_URL is set in the environment).
PORT ?= 5000

.PHONY: run test bench load lint format messages clean

# The app alone for `make run`; the test tools (pytest, Playwright, ruff …) only for the
# targets that use them. Each install is a stamp file, redone when pyproject.toml changes.
$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	touch $(BIN)/activate

$(VENV)/.app-installed: pyproject.toml $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.app-installed $@

run: $(VENV)/.app-installed
	$(FLASK) db upgrade
	$(FLASK) taxonomy load-starter
	$(FLASK) reminders seed
	$(FLASK) demo-data --if-empty
	PUBLIC_URL=$${PUBLIC_URL:-http://127.0.0.1:$(PORT)} SCHEDULER_IN_PROCESS=1 $(FLASK) run --host 127.0.0.1 --port $(PORT)

# pytest exits 5 when a selection collects no tests: that is not a failure.
test: $(VENV)/.test-installed
	$(BIN)/pytest -q $(PYTEST_ARGS) || [ $$? -eq 5 ]

# SPOUSES=100000 make bench; BENCH_ARGS='--database-url postgresql+psycopg://...' for PostgreSQL.
bench: $(VENV)/.test-installed
	$(BIN)/python -m bench --spouses $${SPOUSES:-10000} $(BENCH_ARGS)

# The same database under concurrent clients through gunicorn (README "Benchmarks");
# LOAD_ARGS='--database-url postgresql+psycopg://...' adds PostgreSQL to the run.
load: $(VENV)/.test-installed
	$(BIN)/python -m bench.load --spouses $${SPOUSES:-10000} $(LOAD_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract every user-facing string; a Finnish catalogue is then `pybabel init -l fi`.
messages: $(VENV)/.test-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o hiddengems/translations/messages.pot .
	@echo "update catalogues: $(BIN)/pybabel update -i hiddengems/translations/messages.pot -d hiddengems/translations"

clean:
	rm -rf $(VENV) instance/*.sqlite*
