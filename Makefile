# Two commands for a fresh clone (see README.md):
#   make run   install, migrate, load the seeds, serve http://127.0.0.1:8000
#   make test  install the test tools, run the suite (SQLite, or DATABASE_URL)
# The virtual environment is made here, from pyproject.toml, never by hand.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test lint install migrate seeds screenshots clean debian-packages messages

# Debian's packages of debian-packages.txt (Tesseract for OCR), installed when one is missing.
debian-packages:
	@missing=$$(for p in $$(grep -v '^#' debian-packages.txt); do \
		dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -qq && $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# The interface's translations, compiled from the catalogues in git (docs/translations.md);
# GNU gettext's msgfmt comes with debian-packages.txt.
CATALOGUES := $(wildcard archive/locale/*/LC_MESSAGES/*.po)
%.mo: %.po
	msgfmt --check -o $@ $<

install: debian-packages $(VENV)/.installed $(CATALOGUES:.po=.mo)

# After marking a string for translation: the catalogues take it in (then translate it).
messages: install
	$(PY) -m archive.translations update

migrate: install
	$(PY) manage.py migrate --noinput

seeds: migrate
	$(PY) manage.py load_seeds

run: seeds
	$(PY) manage.py runserver $(HOST)

# The tests read manifests with a real IIIF parser (@iiif/parser, from the npm registry).
IIIF_JS := tests/iiif/js
$(IIIF_JS)/node_modules/.installed: $(IIIF_JS)/package-lock.json
	npm ci --prefix $(IIIF_JS) --no-audit --no-fund --silent
	touch $@

test: install $(IIIF_JS)/node_modules/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

# The README's screenshots (docs/screenshots/), taken by the browser tests on the seeds.
screenshots: install
	ARCHIVE_SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest -q tests/browser \
		-k "home_page or filter_by_region or open_a_document or switch_versions"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m archive.translations check

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
	find archive/locale -name '*.mo' -delete
