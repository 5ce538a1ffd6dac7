# praevnet: `make run` serves the demo, `make test` runs the whole suite. Both need only Python 3.11.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
# Exported into every recipe below that needs the database: DATABASE_URL if set, else the embedded server.
WITH_DB = set -e; DATABASE_URL="$$($(PY) -m praevnet.dev database-url)"; export DATABASE_URL;

.PHONY: help install run test lint format migrate demo shell e2e backup system-deps db-url clean bench load

help:
	@echo "make run     – installiert, startet die Datenbank, lädt die Demo und startet http://127.0.0.1:$(PORT)"
	@echo "make test    – alle Tests gegen PostgreSQL"
	@echo "make lint    – ruff (Stil) und fehlende Migrationen prüfen"
	@echo "make shell   – Django-Shell mit derselben Datenbank"
	@echo "make bench   – Hauptseiten bei 2.000 und 50.000 Einrichtungen messen; make load – Lasttest (16 Nutzer, 60 s)"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "praevnet: $(PYTHON) fehlt – bitte Python 3.11 installieren."; exit 1; }
	@echo "Installiere Abhängigkeiten in $(VENV) …"
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@$(PY) -m praevnet.dev check-port $(PORT)
	@$(WITH_DB) export DEBUG=$${DEBUG:-true} TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED:-false}; \
	$(PY) manage.py migrate --noinput -v 0; \
	$(PY) manage.py load_demo; \
	echo ""; echo "praevnet läuft auf http://127.0.0.1:$(PORT)  (beenden mit Strg+C)"; \
	if [ "$$TWO_FACTOR_REQUIRED" = false ]; then echo "Demo: Zwei-Faktor-Pflicht ist aus (make run TWO_FACTOR_REQUIRED=true schaltet sie ein)."; fi; echo ""; \
	exec $(PY) manage.py runserver --skip-checks 127.0.0.1:$(PORT)

test: $(STAMP)
	@$(WITH_DB) export DEBUG=$${DEBUG:-true}; $(PY) -m pytest $(ARGS)

e2e: $(STAMP)
	@$(WITH_DB) export DEBUG=$${DEBUG:-true}; $(PY) -m pytest -m browser $(ARGS)

lint: $(STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(WITH_DB) export DEBUG=true; $(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

migrate: $(STAMP)
	@$(WITH_DB) export DEBUG=$${DEBUG:-true}; $(PY) manage.py migrate

demo: $(STAMP)
	@$(WITH_DB) export DEBUG=$${DEBUG:-true}; $(PY) manage.py load_demo

shell: $(STAMP)
	@$(WITH_DB) export DEBUG=$${DEBUG:-true}; $(PY) manage.py shell

# Pages at S (2,000) and L (50,000 institutions) against the floor and the admin changelist: bench/README.md.
bench: $(STAMP)
	@$(WITH_DB) export DEBUG=$${DEBUG:-true}; $(PY) bench/run.py $(ARGS)

# Load test on loopback (about 60 s): gunicorn with production settings, PostgreSQL, locust as the visitors; bench/README.md.
load: $(STAMP)
	@test -x $(VENV)/bin/locust || $(PY) -m pip install --quiet -e ".[load]"
	@$(WITH_DB) $(PY) bench/load.py $(ARGS)

# A backup folder under backups/ (or TARGET=/path): database dump, stored files, manifest with counts and hashes.
backup: $(STAMP)
	@$(WITH_DB) export DEBUG=$${DEBUG:-true}; $(PY) manage.py backup $(if $(TARGET),--target $(TARGET))

db-url: $(STAMP)
	@$(PY) -m praevnet.dev database-url

# Debian packages the browser tests and PDF checks use (run as root; CI calls it).
system-deps:
	@missing=""; for p in chromium chromium-driver poppler-utils libharfbuzz-subset0 fonts-dejavu-core; do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "Systempakete vorhanden."; fi

clean:
	rm -rf $(VENV) staticfiles
