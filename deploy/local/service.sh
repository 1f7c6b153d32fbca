#!/usr/bin/env bash
# One Treue process (uvicorn) in the background, migrated before it starts.
# usage: service.sh contacts|surveys|analytics|gateway start|stop|status|migrate [replica]
# The replica (default 1, or $REPLICA) picks the port, pid file and log: contacts-2 on 8011.
# `status` without a replica reports every replica that has a pid file.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

SERVICE=${1:-}
REPLICA=${3:-${REPLICA:-}}
service_info "$SERVICE" "${REPLICA:-1}"
NAME=$SVC_NAME
URL="http://127.0.0.1:$SVC_PORT/health/ready"

prepare_env() {
  require_venv
  export_service_env
  # Only the gateway creates the first admin.
  if [ "$SERVICE" = gateway ]; then load_admin_credentials; fi
}

migrate() {
  prepare_env
  local ini="$SVC_DIR/alembic.ini"
  if [ ! -f "$ROOT/$ini" ]; then
    info "$NAME: no $ini yet, no migrations to run"
    return
  fi
  (cd "$ROOT" && "$VENV/bin/alembic" -c "$ini" upgrade head) >>"$LOGS/$NAME.log" 2>&1 || {
    log_tail "$LOGS/$NAME.log"
    die "$NAME: migrations failed"
  }
  info "$NAME: migrations at head"
}

# Ready answers 200; a process that died gives up at once (2) instead of waiting out the timeout.
ready_or_dead() {
  http_ok "$URL" && return 0
  running_pid "$NAME" >/dev/null || return 2
  return 1
}

start() {
  prepare_env
  if running_pid "$NAME" >/dev/null; then
    info "$NAME already running (pid $(running_pid "$NAME"))"
  else
    port_open 127.0.0.1 "$SVC_PORT" && die "port $SVC_PORT is taken by a process that is not $NAME"
    # The first replica migrates; the others start on the schema it left.
    if [ "${REPLICA:-1}" -eq 1 ]; then migrate; fi
    (cd "$ROOT" && spawn "$NAME" "$VENV/bin/uvicorn" "$SVC_MODULE.main:create_app" --factory \
      --host 127.0.0.1 --port "$SVC_PORT")
    info "$NAME: waiting for $URL"
  fi
  wait_until "$READY_TIMEOUT" "$NAME" ready_or_dead || {
    log_tail "$LOGS/$NAME.log"
    stop_process "$NAME" 10 >/dev/null
    die "$NAME did not become ready (log: $LOGS/$NAME.log)"
  }
  info "$NAME ready on http://127.0.0.1:$SVC_PORT"
}

stop() { stop_process "$NAME" 20; }

status_of() {
  local name=$1 url=$2 pid
  if pid=$(running_pid "$name"); then
    if http_ok "$url"; then info "$name: ready (pid $pid, $url)"; else info "$name: running, not ready (pid $pid)"; fi
  else
    info "$name: stopped"
  fi
}

status() {
  local r
  if [ -n "$REPLICA" ]; then status_of "$NAME" "$URL"; return; fi
  for r in $( (echo 1; running_replicas "$SERVICE") | sort -nu); do
    service_info "$SERVICE" "$r"
    status_of "$SVC_NAME" "http://127.0.0.1:$SVC_PORT/health/ready"
  done
}

case "${2:-}" in
  start | stop | status | migrate) "$2" ;;
  *) die "usage: $0 <service> start|stop|status|migrate" ;;
esac
