# Two commands take a fresh clone to a running portal or a passing suite.
PYTHON ?= python3
# Where `make run` serves: `make run PORT=8001` (or HOST=0.0.0.0 in a VM).
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test-only tools from npm (the W3C Nu HTML checker), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

.PHONY: run test lint serve-prod bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-test.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $(STAMP)

# --ignore-scripts: vnu-jar's install script would download a Java runtime;
# the suite uses the system's Java (/usr/bin/java).
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

## run: install, migrate, load the demo content and serve on http://$(HOST):$(PORT) (default 127.0.0.1:8000)
run: $(STAMP)
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

## lint: ruff, migrations in step with the models
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

## test: install, lint, run the whole suite (with the HTML checker from npm)
test: lint $(NODE_STAMP)
	$(BIN)/pytest

## serve-prod: production server: migrate, collect static files, gunicorn (settings from the environment)
serve-prod: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn -c gunicorn.conf.py portal.wsgi

## bench: load benchmarks of the production server on 127.0.0.1 (bench/load.sh)
bench: $(STAMP)
	bash bench/load.sh

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
