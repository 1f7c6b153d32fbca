#!/usr/bin/env bash
# Stops everything `up` started, in reverse order.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
  "$LOCAL/service.sh" "${SERVICES[i]}" stop
done
"$LOCAL/mail.sh" stop
"$LOCAL/kafka.sh" stop
"$LOCAL/postgres.sh" stop
