#!/usr/bin/env bash
# One database per service, owned by POSTGRES_USER (the official image runs this once, on an
# empty data directory). Names match the TREUE_<SVC>_DATABASE_URL values in compose.yaml.
set -euo pipefail

for db in contacts survey analytics gateway; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "CREATE DATABASE \"$db\" OWNER \"$POSTGRES_USER\""
done
