#!/usr/bin/env bash
# Install what ParPlan needs on a Debian machine, and the Python environment.
#
#   scripts/bootstrap.sh [run|dev|test] [more Debian packages...]
#
#   run   what running needs: WeasyPrint's Pango and the reports' fonts, and
#         .venv from requirements/base.txt (make run, make check)
#   dev   the same with .venv from requirements/dev.txt: pytest, ruff, djLint,
#         import-linter, mypy (make lint, make lock)
#   test  dev + chromium (browser tests), poppler-utils (PDF tests), LibreOffice
#         Calc (the Excel annexes printed) and node_modules/ from package-lock.json:
#         axe-core, which the browser tests inject to check WCAG 2 A/AA (make test;
#         the default)
#
# Idempotent and quick when nothing changed: Debian packages are checked with dpkg
# (apt-get runs only for missing ones, through sudo when not root), and .venv is
# (re)installed only when the lock file or the Python version changed (stamp file).
# A .venv installed from the dev lock also serves `run` (it holds the same pins).
# PYTHON picks the interpreter that creates .venv (default: python3, needs >= 3.11).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

mode=test
if [[ ${1:-} == run || ${1:-} == dev || ${1:-} == test ]]; then
    mode=$1
    shift
fi

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.parplan-installed

# fonts-liberation2: PDF reports; libpango*: WeasyPrint; gettext: msgfmt compiles the
# message catalogues (locale/), xgettext and msgmerge read the marked strings (make messages).
packages=(fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 gettext)
# chromium: browser tests (Playwright drives /usr/bin/chromium, 500 MB with its
# libraries); poppler-utils: pdftotext/pdftoppm in the PDF tests; postgresql-client:
# pg_dump/pg_restore, which the backup test runs against PostgreSQL; nodejs npm: `npm ci`
# for axe-core (test only: the portal serves no JavaScript from npm).
[[ $mode == test ]] && packages+=(chromium poppler-utils postgresql-client)
# Node.js from elsewhere (NodeSource's nodejs carries its own npm and conflicts with
# Debian's npm package): Debian's packages only for the commands that are missing.
if [[ $mode == test ]]; then
    command -v node >/dev/null 2>&1 || packages+=(nodejs)
    command -v npm >/dev/null 2>&1 || packages+=(npm)
fi
packages+=("$@")
# One interpreter start (a pyenv shim takes a quarter of a second): its version,
# and whether it can make a venv.
python_info() {
    "$PYTHON" -c 'import importlib.util as u, sys
print(sys.version.split()[0], int(sys.version_info >= (3, 11)), int(bool(u.find_spec("ensurepip") and u.find_spec("venv"))))' 2>/dev/null
}
read -r python_version python_ok python_venv < <(python_info || true) || true
if [[ -z ${python_version:-} ]]; then
    packages+=(python3 python3-venv)
elif ((!python_venv)); then
    packages+=(python3-venv)  # Debian's python3 keeps ensurepip in this package
fi
apt_install_missing "${packages[@]}"
# libreoffice-calc-nogui: soffice --headless prints the Excel annexes to PDF as offices'
# LibreOffice does (tests/reports/test_xlsx_print.py). Without recommends (Java, help,
# more fonts), which the converter does not use: 56 packages, 272 MB, about 25 s to install.
if [[ $mode == test ]]; then
    APT_NO_RECOMMENDS=1 apt_install_missing libreoffice-calc-nogui
fi
[[ -n ${python_version:-} ]] || read -r python_version python_ok python_venv < <(python_info || true) || true
[[ -n ${python_version:-} ]] || die "no $PYTHON"
((python_ok)) || die "$PYTHON is Python $python_version; ParPlan needs Python >= 3.11 (set PYTHON=python3.11 or newer)"

lock=requirements/dev.txt
[[ $mode == run ]] && lock=requirements/base.txt
[[ -f $lock ]] || die "$lock is missing (make lock writes it)"

stamp_for() { echo "$1 $(sha256sum "$1" | cut -d' ' -f1) python $python_version"; }
want=$(stamp_for "$lock")
have=$(cat "$STAMP" 2>/dev/null || true)
venv_version=$($VENV/bin/python -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || true)

up_to_date=0
if [[ $venv_version == "$python_version" ]]; then
    if [[ $have == "$want" ]]; then
        up_to_date=1
    elif [[ $mode == run && $have == "$(stamp_for requirements/dev.txt)" ]]; then
        up_to_date=1  # the dev lock pins the same runtime versions, and more
    fi
fi

if ((!up_to_date)); then
    if [[ $venv_version != "$python_version" ]]; then
        log "Creating $VENV with $("$PYTHON" -V)"
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    log "Installing Python dependencies ($lock)"
    rm -f "$STAMP"
    # Every file's hash is in the lock: pip refuses anything else. The project
    # itself is no package (pyproject.toml: packages = []), so there is nothing
    # more to install. (The filter drops pip's warnings about find-links/index
    # folders that some machines configure but do not have.)
    if ! $VENV/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock" 2>&1 \
        | { grep -v 'is ignored: it is neither a file nor a directory' || true; }; then
        die "pip could not install $lock"
    fi
    echo "$want" >"$STAMP"
fi

# The English catalogue and the Vietnamese corrections, compiled when missing or older
# than their .po files (the .mo files are not in git).
$VENV/bin/python scripts/messages.py compile || die "could not compile the message catalogues (locale/)"

# The lock files and pyproject.toml's ranges must agree (CI fails otherwise).
$VENV/bin/python scripts/check-lock.py \
    || log "warning: install from the lock files as they are; refresh them with: make lock"

# axe-core for the browser tests' accessibility checks (package-lock.json pins it), installed
# again only when node_modules is missing or the lock file changed since (stamp file).
if [[ $mode == test ]]; then
    NODE_STAMP=node_modules/.parplan-installed
    node_want="package-lock.json $(sha256sum package-lock.json | cut -d' ' -f1)"
    if [[ ! -d node_modules || $(cat "$NODE_STAMP" 2>/dev/null || true) != "$node_want" ]]; then
        log "Installing the browser tests' JavaScript (package-lock.json)"
        npm ci --no-audit --no-fund || die "npm ci failed (package-lock.json)"
        echo "$node_want" >"$NODE_STAMP"
    fi
fi
