#!/usr/bin/env bash
# The whole pytest suite (arguments go to pytest). With DATABASE_URL and
# REDIS_URL set it runs against PostgreSQL and Redis, as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."
rc=0
.venv/bin/pytest "$@" || rc=$?
if ((rc == 5)); then
    echo "error: pytest collected no tests (exit 5); that counts as a failure." >&2
fi
exit "$rc"
