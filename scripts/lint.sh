#!/usr/bin/env bash
# Lint, checks only (changes nothing), in this order; stops at the first failure:
#   ruff check, ruff format --check, djLint (templates/: formatting, then its
#   lint rules), lint-imports ([tool.importlinter]), mypy ([tool.mypy]).
# A tool whose configuration section is not in pyproject.toml yet is skipped
# with a message. .ci/run calls this script's steps one by one (lint.sh STEP).
#
#   scripts/lint.sh            every step
#   scripts/lint.sh STEP...    only those: ruff ruff-format djlint imports mypy
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

BIN=.venv/bin

has_section() {  # has_section tool.mypy: is [tool.mypy] in pyproject.toml?
    $BIN/python - "$1" <<'EOF'
import sys, tomllib

table = tomllib.load(open("pyproject.toml", "rb"))
for part in sys.argv[1].split("."):
    table = table.get(part) if isinstance(table, dict) else None
sys.exit(0 if isinstance(table, dict) else 1)
EOF
}

lint_ruff() { $BIN/ruff check .; }
lint_ruff_format() { $BIN/ruff format --check .; }
lint_djlint() {
    $BIN/djlint templates/ --check
    $BIN/djlint templates/ --lint
}
lint_imports() {
    if ! has_section tool.importlinter; then
        echo "lint-imports: skipped, pyproject.toml has no [tool.importlinter] yet"
        return 0
    fi
    $BIN/lint-imports
}
lint_mypy() {
    if ! has_section tool.mypy; then
        echo "mypy: skipped, pyproject.toml has no [tool.mypy] yet"
        return 0
    fi
    $BIN/mypy  # the files and settings are [tool.mypy]'s
}

steps=("$@")
((${#steps[@]})) || steps=(ruff ruff-format djlint imports mypy)
for name in "${steps[@]}"; do
    case $name in
        ruff) log "ruff check"; lint_ruff ;;
        ruff-format) log "ruff format --check"; lint_ruff_format ;;
        djlint) log "djlint --check, djlint --lint (templates/)"; lint_djlint ;;
        imports) log "lint-imports"; lint_imports ;;
        mypy) log "mypy"; lint_mypy ;;
        *) die "unknown lint step '$name' (ruff ruff-format djlint imports mypy)" ;;
    esac
done
