#!/usr/bin/env bash
# Django's system checks, no model change without its migration, lock files that
# still match pyproject.toml's ranges, and an English translation of every marked string.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py check
.venv/bin/python manage.py makemigrations --check --dry-run
.venv/bin/python scripts/check-lock.py && echo "requirements/*.txt match pyproject.toml."
.venv/bin/python scripts/messages.py check
