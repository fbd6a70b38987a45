# ParPlan: make run | make test | make lint | make check
# Each target first runs scripts/bootstrap.sh (Debian packages, .venv), which is
# quick when everything is already installed.

.PHONY: help bootstrap run test lint check
.DEFAULT_GOAL := help

help:
	@echo "make run    install everything, then web + Celery worker + beat on http://127.0.0.1:8000/ with demo data"
	@echo "make test   install everything, then the whole pytest suite (PYTEST_ARGS=... passes options)"
	@echo "make lint   ruff check + ruff format --check"
	@echo "make check  manage.py check + makemigrations --check --dry-run"

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	@bash scripts/run-dev.sh

test: bootstrap
	@bash scripts/test.sh $(PYTEST_ARGS)

lint: bootstrap
	@bash scripts/lint.sh

check: bootstrap
	@bash scripts/check.sh
