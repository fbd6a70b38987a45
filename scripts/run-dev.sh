#!/usr/bin/env bash
# Run ParPlan locally on the embedded defaults (SQLite, Celery on kombu's
# filesystem broker, e-mail to the console): migrate, load the demo data, then
# the web server, a Celery worker and Celery beat as three processes.
# Ctrl-C (or SIGTERM) stops all three; so does any one of them dying.
#
#   PARPLAN_HOST (127.0.0.1) and PARPLAN_PORT (8000) choose the address.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

HOST=${PARPLAN_HOST:-127.0.0.1}
PORT=${PARPLAN_PORT:-8000}
PY=.venv/bin/python
CELERY=.venv/bin/celery

if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
    die "something already listens on $HOST:$PORT; stop it or choose another port: PARPLAN_PORT=8001 make run"
fi

log "Migrating the database"
$PY manage.py migrate --noinput
log "Loading the demo data"
demo_output=$($PY manage.py demo)
printf '%s\n' "$demo_output"

names=()
pids=()
start() {  # start NAME COMMAND...: in the background, in a process group of its own
    names+=("$1")
    shift
    "$@" &
    pids+=("$!")
}

stopped=0
# shellcheck disable=SC2317  # called from traps
stop_all() {
    ((stopped)) && return 0
    stopped=1
    trap '' INT TERM PIPE  # finish stopping even if the terminal or a pipe is gone
    log "Stopping web, worker and beat" || true
    local pid _
    # SIGTERM to each main process: the worker's warm shutdown (it stops its own
    # pool; a few seconds), beat, and runserver (whose reloader stops its child).
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 150); do  # up to 30 s, then anything left in their groups is killed
        local alive=0
        for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.2
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    log "Stopped" || true
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

set -m  # job control: each background process gets its own process group
start worker $CELERY -A config worker -l info --concurrency 2
start beat $CELERY -A config beat -l info
start web $PY manage.py runserver "$HOST:$PORT"
set +m

# Print the address once the server answers (it prints its own lines first).
for _ in $(seq 150); do
    if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
        printf '\n\033[1mParPlan: http://%s:%s/\033[0m   (web + Celery worker + Celery beat; Ctrl-C stops all three)\n' "$HOST" "$PORT"
        printf '%s\n\n' "$(grep -v '^Đã nạp' <<<"$demo_output")"
        break
    fi
    kill -0 "${pids[2]}" 2>/dev/null || break
    sleep 0.2
done

# Wait until Ctrl-C, or until one of the three exits by itself.
rc=0
wait -n "${pids[@]}" || rc=$?
for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
        echo "error: ${names[$i]} exited (status $rc); stopping the others." >&2
    fi
done
exit 1
