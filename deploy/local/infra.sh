#!/usr/bin/env bash
# Only Postgres and Kafka, for the integration tests.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

step 1/2 "starting postgres"
"$LOCAL/postgres.sh" start
step 2/2 "starting kafka"
"$LOCAL/kafka.sh" start
