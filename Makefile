# Sapat: `make demo` runs a demo on http://127.0.0.1:8000 (PORT=...), `make test` runs every check.
# Needs Python 3.11+, make and Node.js/npm; `make test` also needs Chromium and gettext
# (installed with apt-get when run as root, otherwise the missing packages are named).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check
MANAGE := $(PY) manage.py
# Two workers (one live server and one Chromium each); a test file stays on one worker, so a
# module's fixtures run once. `make test PYTEST_ARGS=` runs everything in one process.
PYTEST_ARGS ?= -n 2 --dist loadfile
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/sapat

.PHONY: demo serve test test-postgres lint install install-dev system-deps clean

demo: install
	SAPAT_DEBUG=1 $(MANAGE) migrate
	SAPAT_DEBUG=1 $(MANAGE) load_demo
	SAPAT_DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

# The same server without loading the demo data again.
serve: install
	SAPAT_DEBUG=1 $(MANAGE) migrate
	SAPAT_DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

test: install-dev system-deps lint
	DJANGO_SETTINGS_MODULE=sapat.test_settings $(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install-dev system-deps
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .

# Stamps make a second run skip the installs until pyproject.toml or package-lock.json change.
install: $(VENV)/.installed node_modules/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) -e '.[dev]'
	touch $@ $(VENV)/.installed

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	[ -d /usr/share/fonts/truetype/liberation2 ] || missing="$$missing fonts-liberation2"; \
	ldconfig -p | grep -q libcairo.so.2 || missing="$$missing libcairo2"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 $$missing; \
	else \
		echo "Missing system packages. Install them with: sudo apt-get install$$missing"; exit 1; \
	fi

clean:
	rm -rf $(VENV) node_modules test-artifacts staticfiles
