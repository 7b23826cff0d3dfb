# Placette — the two commands a newcomer needs are `make run` and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
# The newest Python 3.11+ on the machine.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { echo $$p; break; }; done)
# The bypass code lets the demo's staff pass the admin's second factor locally; DEBUG off refuses it.
RUN_ENV := DEBUG=1 MFA_TOTP_INSECURE_BYPASS_CODE=123456

.PHONY: help install run demo test lint audit fix messages browser bench bench-ws bench-agenda bench-echanges bench-signed-in bench-lexique bench-campaign bench-carte bench-suivi prod-local bench-bakerydemo vendor

help:
	@echo "make run    installe, prépare la base, charge la démo, sert le site sur http://127.0.0.1:8000"
	@echo "           et lance le travail de fond (e-mails, SMS, tâches périodiques)"
	@echo "make test   lance toute la suite de tests"
	@echo "make lint   vérifie le style (ruff) ; make fix le corrige"
	@echo "make audit  cherche les vulnérabilités connues des paquets installés"
	@echo "make demo   recharge les données de démonstration"
	@echo "make messages  met à jour le catalogue des textes en français (locale/fr), à faire après avoir changé un texte"
	@echo "make bench  mesure la diffusion WebSocket (make bench-ws) et les pages de l'agenda sous gunicorn"
	@echo "           (make bench-agenda), avec PostgreSQL et Redis locaux"
	@echo "           puis les pages des échanges et la recherche (make bench-echanges)"
	@echo "           puis les pages d'une personne connectée à côté de bakerydemo (make bench-signed-in),"
	@echo "           et finit par la liste des budgets de l'issue 17, tenus ou manqués, avec leurs chiffres"
	@echo "make bench-lexique  mesure l'explication des mots du lexique dans le plus grand texte de la démo (500 mots)"
	@echo "make bench-campaign  une campagne SMS à 5 000 contacts sur PostgreSQL : confirmée, préparée par lots,"
	@echo "           envoyée (sans opérateur), temps et requêtes, et l'attente d'une autre écriture pendant ce temps"
	@echo "make prod-local  lance ici ce que docker-compose.yml lance (gunicorn, deux daphne, Caddy…), DEBUG éteint,"
	@echo "           sur http://localhost:8080 (platform/README.md)"
	@echo "make vendor  recopie depuis npm la bibliothèque de la carte (Leaflet, version de package-lock.json)"
	@echo "           dans static/vendor/ : à faire après avoir changé sa version, puis commiter les fichiers"
	@echo "make bench-carte  les pages de la carte avec 5 000 lieux sur PostgreSQL : liste filtrée, lieu, parcours des"
	@echo "           familles, fichiers de données ouvertes (temps et requêtes)"
	@echo "make bench-suivi  les chiffres des accompagnements sur PostgreSQL : 200 000 accompagnements, 100 centres ;"
	@echo "           tableau d'un centre et du réseau, calculé, gardé, puis préparé par le travail de fond"
	@echo "make bench-bakerydemo  installe à part le site de démonstration de Wagtail (bakerydemo, quelques"
	@echo "           minutes la première fois) et mesure ses listes à côté de Django nu"

# The setuptools a new venv starts with on Python 3.11 has known vulnerabilities (make audit).
$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Il faut Python 3.11 ou plus récent."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable ".[dev]"
	@touch $@

install: $(VENV)/.installed

# The site and the background worker (e-mails, SMS, periodic tasks) together; Ctrl+C stops both.
run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py demo
	@trap 'kill 0' EXIT; \
	$(RUN_ENV) $(BIN)/python manage.py worker & \
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# What docker-compose.yml runs, without Docker: PostgreSQL database placette_prod_local, Redis database 12.
prod-local: install
	platform/local.sh

demo: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py demo

# Browser tests need Debian's Chromium; install it when we can, say so when we cannot.
browser:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installation de Chromium pour les tests navigateur…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium est absent et ne peut pas être installé ici : les tests navigateur seront ignorés."; \
	fi

# The Nu HTML Checker the tests run over every public page (npm's vnu-jar, run with Java). Its install
# script, which downloads a Java runtime, is skipped: the machine's Java runs the jar.
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar
checkers:
	@if [ -f $(VNU_JAR) ] && [ $(VNU_JAR) -nt package-lock.json ]; then :; \
	elif command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund --silent && touch $(VNU_JAR); \
	else echo "npm est absent : le validateur HTML (vnu) ne sera pas lancé par les tests."; fi
	@command -v java >/dev/null || echo "Java est absent : le validateur HTML (vnu) ne sera pas lancé par les tests."

# The map's library (Leaflet), committed under static/vendor/leaflet/ so that the site never fetches it from
# elsewhere and `make run` needs no npm (docs/adr/0013). To move to another version: `npm install --save-dev
# --save-exact leaflet@X`, then `make vendor`, then commit package*.json and static/vendor/ together.
LEAFLET_DIST := node_modules/leaflet/dist
vendor:
	npm ci --ignore-scripts --no-audit --no-fund --silent
	rm -rf static/vendor/leaflet
	mkdir -p static/vendor/leaflet/images
	cp $(LEAFLET_DIST)/leaflet-src.esm.js $(LEAFLET_DIST)/leaflet.css node_modules/leaflet/LICENSE static/vendor/leaflet/
	cp $(LEAFLET_DIST)/images/*.png static/vendor/leaflet/images/
	@# The source map it names is not shipped (the file is readable source already), and collectstatic refuses a
	@# reference to a missing file.
	sed -i '/^\/\/# sourceMappingURL=/d' static/vendor/leaflet/leaflet-src.esm.js
	@node -p '"Leaflet " + require("./node_modules/leaflet/package.json").version' > static/vendor/leaflet/VERSION

test: install browser checkers
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Known vulnerabilities of the installed packages, from the advisories kept in security/ (SECURITY.md).
audit: install
	$(BIN)/python security/audit.py

# Needs PostgreSQL and Redis on 127.0.0.1; uses the database placette_bench and flushes Redis database 9 only.
# The benches run one after the other (their figures would mix otherwise); each appends its "Budgets" block to
# BUDGETS, printed together at the end so that the run ends with every budget met or missed and its figure.
BUDGETS := /tmp/placette-bench-budgets.txt
bench: install
	@rm -f $(BUDGETS)
	@$(MAKE) --no-print-directory bench-ws bench-agenda bench-echanges bench-signed-in BENCH_BUDGETS="--budgets $(BUDGETS)"
	@echo
	@echo "Budgets de l'issue 17, mesurés par ce make bench :"
	@cat $(BUDGETS)

bench-ws: install
	$(BIN)/python bench/ws_fanout.py --database postgres --redis-url redis://127.0.0.1:6379/9

# The first run loads 100 centres and 20 000 dates into placette_bench (a few minutes); later runs reuse them.
# Its last phase registers the bench's residents at 1 then 5 a second (cancelled afterwards) and sends messages.
bench-agenda: install
	$(BIN)/python bench/agenda_http.py --database postgres --redis-url redis://127.0.0.1:6379/9 $(BENCH_BUDGETS)

# The first run also loads 50 000 offers into placette_bench (a few minutes more); later runs reuse them.
bench-echanges: install
	$(BIN)/python bench/echanges_http.py --database postgres --redis-url redis://127.0.0.1:6379/9

# The ten pages of a signed-in resident, and wagtail/bakerydemo's listings in the same run when bench/bakerydemo.py
# is there (its first run installs it, see that file); then the listings' CPU time with more centres and categories.
bench-signed-in: install
	$(BIN)/python bench/signed_in_http.py --database postgres --redis-url redis://127.0.0.1:6379/9 $(BENCH_BUDGETS)

# In memory, no database: the largest demo text matched against 500 terms, per revision and once kept.
bench-lexique: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python bench/lexique_annotate.py --terms 500

# An SMS campaign to 5 000 contacts in the PostgreSQL database placette_bench_sms (created, migrated and loaded on the
# first run, a minute or so); each run confirms, queues and sends a new campaign, with nothing leaving the machine.
bench-campaign: install
	$(BIN)/python bench/sms_campaign.py

# The map's pages with 5 000 places in the PostgreSQL database placette_bench_carte (`demo --places 5000` on the first
# run, a few minutes): the list with its filters, a place, the families' path, the open data files; times and queries.
bench-carte: install
	$(BIN)/python bench/carte_pages.py

bench-suivi: install
	$(BIN)/python bench/suivi_dashboard.py --explain

# DESIGN.md's reference: Wagtail's demo site, in /tmp/placette-bakerydemo with its own virtualenv and the PostgreSQL
# database bakerydemo_bench (docs/performance.md, "bakerydemo beside Placette"). Its source comes from a local git
# copy (BAKERYDEMO_GIT); the first run installs it from PyPI in a few minutes, later runs only check it.
bench-bakerydemo: install
	$(BIN)/python bench/bakerydemo.py

# The inventory of every string a person reads, French being the source language (ADR 0009). No .mo is built:
# the site shows the French msgids as they are. tests/placette/test_translation.py runs these same options.
MAKEMESSAGES := makemessages --locale fr --extension html,txt,py --add-location file --no-obsolete --ignore bench --ignore docs --ignore media --ignore node_modules --ignore platform --ignore security --ignore static --ignore tests --ignore placette.egg-info
messages: install
	@command -v xgettext >/dev/null || { echo "Il faut GNU gettext (xgettext) : apt install gettext"; exit 1; }
	$(BIN)/python manage.py $(MAKEMESSAGES)

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
