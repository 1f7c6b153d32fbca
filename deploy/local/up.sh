#!/usr/bin/env bash
# Everything, in order: install, the web app, postgres, kafka, the mail sink, the four
# processes, demo data.
# Safe to run again.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

TOTAL=$((6 + ${#SERVICES[@]}))
n=0
next() { n=$((n + 1)); step "$n/$TOTAL" "$1"; }

next "installing what is missing"
"$LOCAL/install.sh"
next "building the web app when its sources changed"
"$LOCAL/frontend.sh" build
next "starting postgres"
"$LOCAL/postgres.sh" start
next "starting kafka"
"$LOCAL/kafka.sh" start
next "starting the mail sink"
"$LOCAL/mail.sh" start
for svc in "${SERVICES[@]}"; do
  next "migrating and starting $svc"
  "$LOCAL/service.sh" "$svc" start
done

next "seeding demo data"
export_service_env
load_admin_credentials
(cd "$ROOT" && "$PY" "$LOCAL/seed.py" --if-empty)

cat <<MSG

Treue is running: $TREUE_GATEWAY_URL
  admin login: $TREUE_ADMIN_EMAIL / $TREUE_ADMIN_PASSWORD
  mails:       http://127.0.0.1:${TREUE_MAIL_SINK_PORT:-8025}/ (the local SMTP sink)
  logs:        $LOGS/ (make logs)
  stop:        make down
MSG
