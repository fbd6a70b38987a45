#!/usr/bin/env bash
# Django's system checks, and no model change without its migration.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py check
.venv/bin/python manage.py makemigrations --check --dry-run
