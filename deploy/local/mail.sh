#!/usr/bin/env bash
# The local SMTP sink: keeps every mail survey-service sends and shows them in a browser.
# usage: mail.sh start|stop|status   (ports: TREUE_SURVEY_SMTP_PORT, TREUE_MAIL_SINK_PORT)
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

NAME=mail-sink
SMTP_PORT=${TREUE_SURVEY_SMTP_PORT:-1025}
HTTP_PORT=${TREUE_MAIL_SINK_PORT:-8025}
URL="http://127.0.0.1:$HTTP_PORT/"

ready_or_dead() {
  http_ok "${URL}health" && return 0
  running_pid "$NAME" >/dev/null || return 2
  return 1
}

start() {
  require_venv
  if running_pid "$NAME" >/dev/null; then
    info "$NAME already running (pid $(running_pid "$NAME"))"
  else
    for port in "$SMTP_PORT" "$HTTP_PORT"; do
      port_open 127.0.0.1 "$port" && die "port $port is taken by a process that is not $NAME"
    done
    (cd "$ROOT" && spawn "$NAME" "$PY" "$LOCAL/mail_sink.py" --smtp-port "$SMTP_PORT" \
      --http-port "$HTTP_PORT" --directory "$RUN/mail")
  fi
  wait_until "$READY_TIMEOUT" "$NAME" ready_or_dead || {
    log_tail "$LOGS/$NAME.log"
    stop_process "$NAME" 5 >/dev/null
    die "$NAME did not start (log: $LOGS/$NAME.log)"
  }
  info "$NAME: SMTP on 127.0.0.1:$SMTP_PORT, mails at $URL"
}

stop() { stop_process "$NAME" 10; }

status() {
  local pid
  if pid=$(running_pid "$NAME"); then info "$NAME: running (pid $pid), mails at $URL"; else info "$NAME: stopped"; fi
}

case "${1:-}" in
  start | stop | status) "$1" ;;
  *) die "usage: $0 start|stop|status" ;;
esac
