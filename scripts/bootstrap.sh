#!/usr/bin/env bash
# Install everything ParPlan needs on a Debian machine, and the Python environment.
#
#   scripts/bootstrap.sh [more Debian packages...]
#
# Idempotent and quick when nothing changed: Debian packages are checked with dpkg
# (apt-get runs only for missing ones, through sudo when not root), and .venv is
# (re)installed only when pyproject.toml or the Python version changed (stamp file).
# PYTHON picks the interpreter that creates .venv (default: python3, needs >= 3.11).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.parplan-installed

# fonts-liberation2: PDF reports; poppler-utils: pdftotext/pdftoppm in tests;
# chromium: browser tests (Playwright drives /usr/bin/chromium); pango: WeasyPrint.
packages=(fonts-liberation2 poppler-utils chromium libpango-1.0-0 libpangoft2-1.0-0 "$@")
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    packages+=(python3 python3-venv)
elif ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    packages+=(python3-venv)  # Debian's python3 keeps ensurepip in this package
fi
apt_install_missing "${packages[@]}"

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$PYTHON is $("$PYTHON" -V 2>&1); ParPlan needs Python >= 3.11 (set PYTHON=python3.11 or newer)"

want="$(sha256sum pyproject.toml | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.version.split()[0])')"
if [[ -x $VENV/bin/python && -f $STAMP && "$(cat "$STAMP")" == "$want" ]] && $VENV/bin/python -c '' 2>/dev/null; then
    exit 0  # up to date
fi

if ! $VENV/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    log "Creating $VENV with $("$PYTHON" -V)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
log "Installing Python dependencies (pyproject.toml, with the dev extra)"
# (The filter drops pip's warnings about find-links/index folders that some
# machines configure but do not have; everything else pip says is shown.)
$VENV/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 \
    | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
echo "$want" >"$STAMP"
