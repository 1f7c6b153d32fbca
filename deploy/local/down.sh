#!/usr/bin/env bash
# Stops everything `up` started, in reverse order.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
  for r in $(running_replicas "${SERVICES[i]}"); do "$LOCAL/service.sh" "${SERVICES[i]}" stop "$r"; done
done
rm -f "$RUN/gateway-upstreams"
"$LOCAL/mail.sh" stop
"$LOCAL/kafka.sh" stop
"$LOCAL/postgres.sh" stop
