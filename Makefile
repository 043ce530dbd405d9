# Two commands matter: `make run` (the site with demo data) and `make test`.
# Python 3.11: Debian's build where it has venv, since it is compiled with PGO and LTO
# like the official Docker image the site runs in (a request costs about a fifth less
# CPU than on pyenv's default build); else the python3 on PATH.
PYTHON ?= $(shell /usr/bin/python3.11 -c "import ensurepip, venv" 2>/dev/null \
	&& echo /usr/bin/python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DEPUTIES ?= 300
DEMO_APPEALS ?= 10000

.PHONY: install run test lint format messages vendor clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty --deputies $(DEMO_DEPUTIES) --appeals $(DEMO_APPEALS)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports
	$(BIN)/bandit -q -r accounts appeals config core demo deputies feedback ratings -x "*/migrations/*"

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages -l ru --ignore=.venv --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Front-end libraries: compiled files from the npm registry, committed under static/vendor/
# with their version and checksums, so the site needs neither Node nor a CDN to run.
# `make vendor` refreshes them (needs npm); static/vendor/VENDOR.txt lists what is there.
VENDOR := bootstrap@5.3.8:dist/css/bootstrap.min.css,dist/js/bootstrap.bundle.min.js,LICENSE \
	htmx.org@2.0.11:dist/htmx.min.js,LICENSE
vendor:
	rm -rf static/vendor && mkdir -p static/vendor
	set -e; tmp=$$(mktemp -d); for spec in $(VENDOR); do \
	  pkg=$${spec%%:*}; name=$${pkg%@*}; files=$${spec#*:}; \
	  (cd $$tmp && npm pack --silent $$pkg >/dev/null && mkdir -p $$name && tar -xzf $$name-*.tgz -C $$name); \
	  mkdir -p static/vendor/$$name; \
	  for f in $$(echo $$files | tr , ' '); do cp $$tmp/$$name/package/$$f static/vendor/$$name/; done; \
	  echo "$$pkg $$(npm view $$pkg dist.integrity)" >> static/vendor/VENDOR.txt; \
	done; rm -rf $$tmp
	cd static/vendor && find . -type f ! -name VENDOR.txt ! -name SHA256SUMS | sort | xargs sha256sum > SHA256SUMS

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles .pytest_cache
