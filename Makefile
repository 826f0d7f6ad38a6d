# Anjian: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
DEMO_KEY := var/demo-secret-key

# The demo serves as a deployment does: DEBUG off (officials meet the Chinese 404/403/500 pages, never Django's
# English debug pages), static files from WhiteNoise, a secret key of this machine's own (made once in var/),
# on plain HTTP at HOST:PORT (no HTTPS redirect, no secure-only cookies, no HSTS). `DEBUG=true make run` gives a
# developer Django's debug pages; serving others on the network needs ALLOWED_HOSTS=<this machine's address>.
DEMO_ENV := ANJIAN_DEMO=$${ANJIAN_DEMO:-true} DEBUG=$${DEBUG:-false} \
	SECRET_KEY="$${SECRET_KEY:-$$(cat $(DEMO_KEY))}" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1],$(HOST)}" \
	SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} SECURE_COOKIES=$${SECURE_COOKIES:-false} \
	SECURE_HSTS_SECONDS=$${SECURE_HSTS_SECONDS:-0}


.PHONY: run test install install-dev lint format messages check-deploy worker clean bench

# What the platform runs on (make run, worker); the tests' and the linter's tools come on top (make test, lint).
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

var:
	@mkdir -p var

$(DEMO_KEY): | $(STAMP) var
	@umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $(DEMO_KEY)

## Start the platform on SQLite with the demo district (idempotent).
run: $(STAMP) var $(DEMO_KEY)
	@# The static files are collected while the database is migrated and seeded (they do not touch it).
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0 & STATIC=$$!; \
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput \
	&& $(DEMO_ENV) $(BIN)/python manage.py seed_demo \
	&& wait $$STATIC
	$(DEMO_ENV) $(BIN)/python manage.py demo_accounts --address http://$(HOST):$(PORT)/
	@# The embedded scheduler runs the periodic jobs (deadline scan, routine tasks) beside the server.
	$(DEMO_ENV) $(BIN)/python manage.py run_scheduler & SCHEDULER=$$!; \
	trap 'kill $$SCHEDULER 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole suite: SQLite, or PostgreSQL when DATABASE_URL names one; browser tests included.
test: $(DEV_STAMP) var
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
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
bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/foundation.py
	$(BIN)/python benchmarks/import_sites.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/hazards.py
	$(BIN)/python benchmarks/risk_levels.py
