# Shared helpers for the scripts in this folder and .ci/run. Source it; do not run it.
# shellcheck shell=bash

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*' and sudo is not installed"
    fi
}

deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Install the Debian packages that are missing; apt-get update only when some are.
apt_install_missing() {
    local missing=() pkg
    for pkg in "$@"; do
        deb_installed "$pkg" || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing packages: ${missing[*]} (no apt-get here: install them by hand)"
    log "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -q
    # APT_NO_RECOMMENDS=1: only what the packages depend on (a large suite's optional parts left out).
    local options=(-y -q)
    [[ ${APT_NO_RECOMMENDS:-} == 1 ]] && options+=(--no-install-recommends)
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install "${options[@]}" "${missing[@]}"
}
