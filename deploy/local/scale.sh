#!/usr/bin/env bash
# Runs <n> replicas of every service and of the gateway: starts the missing ones, restarts
# the gateways when the upstream lists they balance over changed, then stops replicas above n.
# usage: scale.sh [replicas]   (default: $TREUE_REPLICAS, else 1)
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

N=${1:-$REPLICAS}
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "replicas must be a number from 1, not '$N'"
export TREUE_REPLICAS=$N
REPLICAS=$N
# The lists follow the replica count; lists inherited from a stack of another size would not.
unset TREUE_GATEWAY_CONTACTS_URLS TREUE_GATEWAY_SURVEY_URLS TREUE_GATEWAY_ANALYTICS_URLS
export_service_env
UPSTREAMS="${TREUE_GATEWAY_CONTACTS_URLS:-$TREUE_GATEWAY_CONTACTS_URL} ${TREUE_GATEWAY_SURVEY_URLS:-$TREUE_GATEWAY_SURVEY_URL} ${TREUE_GATEWAY_ANALYTICS_URLS:-$TREUE_GATEWAY_ANALYTICS_URL}"
MARKER="$RUN/gateway-upstreams"

stop_above() {
  local r
  for r in $(running_replicas "$1"); do
    if [ "$r" -gt "$N" ]; then "$LOCAL/service.sh" "$1" stop "$r"; fi
  done
}

for svc in contacts surveys analytics; do
  for ((r = 1; r <= N; r++)); do "$LOCAL/service.sh" "$svc" start "$r"; done
done

# A gateway reads its upstream lists once, at start.
if [ "$(cat "$MARKER" 2>/dev/null || true)" != "$UPSTREAMS" ]; then
  for r in $(running_replicas gateway); do "$LOCAL/service.sh" gateway stop "$r"; done
fi
for ((r = 1; r <= N; r++)); do "$LOCAL/service.sh" gateway start "$r"; done
printf '%s\n' "$UPSTREAMS" >"$MARKER"

# Only now that no gateway sends to them.
for svc in gateway contacts surveys analytics; do stop_above "$svc"; done
info "$N replica(s) of every service running"
