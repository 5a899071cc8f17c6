# Two commands for a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
UV := .venv/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
export DJANGO_SETTINGS_MODULE ?= cma.settings.local

.PHONY: run test install migrate demo serve lint typecheck format clean requirements system-deps openapi

$(UV):
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

.venv/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --quiet --python .venv/bin/python
	touch $@

install: .venv/.synced

migrate: install
	mkdir -p var
	.venv/bin/cma migrate --noinput
	.venv/bin/cma policy load

demo: migrate
	.venv/bin/cma demo load

run: demo
	.venv/bin/cma demo logins
	.venv/bin/cma runserver 127.0.0.1:8000

test: install system-deps
	.venv/bin/pytest $(PYTEST_ARGS)

# System packages the tests need (Chromium, poppler-utils); installed only when missing.
system-deps:
	scripts/ensure-system-packages

# docs/requirements.md: every DOMAIN.md requirement ID -> the tests that name it.
requirements: install
	.venv/bin/python scripts/requirements_map.py

# docs/openapi.json: the committed API contract (.ci/run fails when it is stale).
openapi: install
	.venv/bin/python scripts/openapi.py

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# mypy with django-stubs; strict on services, selectors and the access door (pyproject.toml).
typecheck: install
	.venv/bin/mypy

format: install
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

clean:
	rm -rf .venv var
