# Anjian: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed


.PHONY: run test install lint format messages check-deploy worker clean bench

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

var:
	@mkdir -p var

## Start the platform on SQLite with the demo district (idempotent).
run: $(STAMP) var
	ANJIAN_DEMO=$${ANJIAN_DEMO:-true} DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	ANJIAN_DEMO=$${ANJIAN_DEMO:-true} DEBUG=$${DEBUG:-true} $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	ANJIAN_DEMO=$${ANJIAN_DEMO:-true} DEBUG=$${DEBUG:-true} $(BIN)/python manage.py seed_demo
	ANJIAN_DEMO=$${ANJIAN_DEMO:-true} DEBUG=$${DEBUG:-true} $(BIN)/python manage.py demo_accounts --address http://$(HOST):$(PORT)/
	@# The embedded scheduler runs the periodic jobs (deadline scan, routine tasks) beside the server.
	ANJIAN_DEMO=$${ANJIAN_DEMO:-true} DEBUG=$${DEBUG:-true} $(BIN)/python manage.py run_scheduler & SCHEDULER=$$!; \
	trap 'kill $$SCHEDULER 2>/dev/null' EXIT INT TERM; \
	ANJIAN_DEMO=$${ANJIAN_DEMO:-true} DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole suite: SQLite, or PostgreSQL when DATABASE_URL names one; browser tests included.
test: $(STAMP) var
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Refresh the zh_Hans catalogue from the sources, then compile it.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='static/*'
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore='.venv/*'

check-deploy: $(STAMP)
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=anjian.example.gov.cn \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

## Celery worker with beat against CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0).
worker: $(STAMP)
	$(BIN)/celery -A config worker -B --loglevel INFO

clean:
	rm -rf $(VENV) var/static

## Benchmark the foundation on a throwaway database (prints machine, sizes, figures).
bench: $(STAMP)
	$(BIN)/python benchmarks/foundation.py
	$(BIN)/python benchmarks/import_sites.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/hazards.py
	$(BIN)/python benchmarks/risk_levels.py
