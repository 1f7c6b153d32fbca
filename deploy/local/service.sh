#!/usr/bin/env bash
# One Treue process (uvicorn) in the background, migrated before it starts.
# usage: service.sh contacts|surveys|analytics|gateway start|stop|status|migrate
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

NAME=${1:-}
service_info "$NAME"
URL="http://127.0.0.1:$SVC_PORT/health/ready"

prepare_env() {
  require_venv
  export_service_env
  # Only the gateway creates the first admin.
  if [ "$NAME" = gateway ]; then load_admin_credentials; fi
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
    migrate
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

status() {
  local pid
  if pid=$(running_pid "$NAME"); then
    if http_ok "$URL"; then info "$NAME: ready (pid $pid)"; else info "$NAME: running, not ready (pid $pid)"; fi
  else
    info "$NAME: stopped"
  fi
}

case "${2:-}" in
  start | stop | status | migrate) "$2" ;;
  *) die "usage: $0 <service> start|stop|status|migrate" ;;
esac
