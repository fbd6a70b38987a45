#!/usr/bin/env bash
# The pytest suite, on every core (pytest-xdist); arguments go to pytest. With
# DATABASE_URL and REDIS_URL set it runs against PostgreSQL and Redis, as CI does.
#
#   PYTEST_WORKERS  xdist workers: auto (default: one per core), a number, or 0/1
#                   for no xdist at all (one process, as before)
#
# Each worker has its own test database (test_<name>_gw0, …) with the demo data
# loaded once, and its own Celery queue and cache keys on REDIS_URL
# (tests/conftest.py). `--dist load` hands each worker its tests in pytest-django's
# order, transactional ones (browser, Redis) last: they empty that worker's
# database. (loadscope, loadfile and loadgroup reorder the tests: not those.)
set -euo pipefail
cd "$(dirname "$0")/.."

workers=${PYTEST_WORKERS:-auto}
xdist=()
if [[ $workers != 0 && $workers != 1 ]]; then
    xdist=(-n "$workers" --dist load)
fi

rc=0
.venv/bin/pytest "${xdist[@]}" "$@" || rc=$?
if ((rc == 5)); then
    echo "error: pytest collected no tests (exit 5); that counts as a failure." >&2
fi
exit "$rc"
