#!/usr/bin/env bash
# Lint: ruff's rules and ruff's formatting (check only, changes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/ruff format --check .
