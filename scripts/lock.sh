#!/usr/bin/env bash
# Write the lock files from the ranges in pyproject.toml, with uv pip compile:
#   requirements/base.txt  [project.dependencies]: what `make run` installs
#   requirements/dev.txt   the same pins + the dev extra: what `make test` installs
#
#   scripts/lock.sh                          keep every pin that still fits its range
#   scripts/lock.sh --upgrade                newest versions within the ranges
#   scripts/lock.sh --upgrade-package NAME   only NAME (and what it needs)
#
# (make lock LOCK_ARGS=--upgrade does the same.) The locks are universal (any
# platform, Python >= 3.11) and carry every file's hash; bootstrap installs them
# with pip --require-hashes. uv comes from .venv (dev lock), or PATH, or UV=...
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

UV=${UV:-}
if [[ -z $UV ]]; then
    if [[ -x .venv/bin/uv ]]; then
        UV=.venv/bin/uv
    elif command -v uv >/dev/null 2>&1; then
        UV=uv
    else
        die "uv not found: run 'make bootstrap-dev' (uv is in the dev lock), or 'pip install uv', or set UV=/path/to/uv"
    fi
fi

mkdir -p requirements
compile=("$UV" pip compile --quiet --universal --python-version 3.11 --generate-hashes
    --custom-compile-command "make lock" "$@")
log "requirements/base.txt: pyproject.toml [project.dependencies]"
"${compile[@]}" pyproject.toml -o requirements/base.txt
# The runtime pins are constraints of the dev lock: both hold the same versions.
log "requirements/dev.txt: the same + the dev extra"
"${compile[@]}" pyproject.toml --extra dev -c requirements/base.txt -o requirements/dev.txt
PY=python3
[[ -x .venv/bin/python ]] && PY=.venv/bin/python
"$PY" scripts/check-lock.py
