#!/usr/bin/env bash
# Runs a command with the environment the local processes get: database URLs, Kafka, the
# internal token secret and the admin login (tests and benchmarks talk to the same stack).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

export_service_env
load_admin_credentials
exec "$@"
