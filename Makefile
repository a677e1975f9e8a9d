# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test bench load lint format messages clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

run: $(BIN)/activate
	$(FLASK) db upgrade
	$(FLASK) taxonomy load-starter
	$(FLASK) reminders seed
	$(FLASK) demo-data --if-empty
	SCHEDULER_IN_PROCESS=1 $(FLASK) run --host 127.0.0.1 --port 5000

# pytest exits 5 when a selection collects no tests: that is not a failure.
test: $(BIN)/activate
	$(BIN)/pytest -q $(PYTEST_ARGS) || [ $$? -eq 5 ]

# SPOUSES=100000 make bench; BENCH_ARGS='--database-url postgresql+psycopg://...' for PostgreSQL.
bench: $(BIN)/activate
	$(BIN)/python -m bench --spouses $${SPOUSES:-10000} $(BENCH_ARGS)

# The same database under concurrent clients through gunicorn (README "Benchmarks");
# LOAD_ARGS='--database-url postgresql+psycopg://...' adds PostgreSQL to the run.
load: $(BIN)/activate
	$(BIN)/python -m bench.load --spouses $${SPOUSES:-10000} $(LOAD_ARGS)

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/activate
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract every user-facing string; a Finnish catalogue is then `pybabel init -l fi`.
messages: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l -o hiddengems/translations/messages.pot .
	@echo "update catalogues: $(BIN)/pybabel update -i hiddengems/translations/messages.pot -d hiddengems/translations"

clean:
	rm -rf $(VENV) instance/*.sqlite*
