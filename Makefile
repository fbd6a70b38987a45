# ParPlan: make run | make test | make test-fast | make lint | make check | make lock | make messages
# Each target first runs scripts/bootstrap.sh (Debian packages, .venv from the lock
# files in requirements/), which is quick when everything is already installed.

# (test-fast needs poppler-utils for the PDF tests, not chromium.)
.PHONY: help bootstrap bootstrap-run bootstrap-dev run test test-fast lint check lock messages
.DEFAULT_GOAL := help

help:
	@echo "make run        install what running needs, then web + Celery worker + beat on http://127.0.0.1:8000/ with demo data"
	@echo "make test       install the rest (dev lock, chromium, poppler-utils), then the whole pytest suite on every core"
	@echo "                (PYTEST_ARGS=... passes options: PYTEST_ARGS='tests/targets -n 0', PYTEST_WORKERS=1 for no xdist)"
	@echo "make test-fast  the same without the browser tests (-m 'not browser')"
	@echo "make lint       ruff check, ruff format --check, djLint, lint-imports, mypy"
	@echo "make check      manage.py check + makemigrations --check --dry-run + the lock files + every marked string's English"
	@echo "make lock       rewrite requirements/*.txt from pyproject.toml (LOCK_ARGS=--upgrade for newer versions)"
	@echo "make messages   read the marked strings into locale/en (makemessages), compile, list those without English"

bootstrap:
	@bash scripts/bootstrap.sh test

bootstrap-run:
	@bash scripts/bootstrap.sh run

bootstrap-dev:
	@bash scripts/bootstrap.sh dev

run: bootstrap-run
	@bash scripts/run-dev.sh

test: bootstrap
	@bash scripts/test.sh $(PYTEST_ARGS)

test-fast:
	@bash scripts/bootstrap.sh dev poppler-utils
	@bash scripts/test.sh -m "not browser" $(PYTEST_ARGS)

lint: bootstrap-dev
	@bash scripts/lint.sh

check: bootstrap-run
	@bash scripts/check.sh

lock: bootstrap-dev
	@bash scripts/lock.sh $(LOCK_ARGS)

messages: bootstrap-run
	@.venv/bin/python scripts/messages.py update
