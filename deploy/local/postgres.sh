#!/usr/bin/env bash
# The local Postgres: a Debian cluster of its own ("treue"), so the machine's main cluster is untouched.
# usage: postgres.sh start|stop|status|drop
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

DATABASES=(contacts survey analytics gateway)

external() {
  if is_true "${TREUE_EXTERNAL_POSTGRES:-}"; then
    info "TREUE_EXTERNAL_POSTGRES is set: using the servers in TREUE_*_DATABASE_URL, nothing to $1"
    return 0
  fi
  return 1
}

version() { pg_version || die "no postgres server installed: run 'make install'"; }

# Stopping what was never installed is not an error (make clean on a fresh machine).
installed() { pg_version >/dev/null || { info "postgres is not installed"; return 1; }; }

cluster_exists() { [ -f "/etc/postgresql/$VER/$PG_CLUSTER/postgresql.conf" ]; }
cluster_running() { as_root pg_ctlcluster "$VER" "$PG_CLUSTER" status >/dev/null 2>&1; }

pg_ready() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || return 1; }

psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"; }

create_cluster() {
  info "creating cluster $VER/$PG_CLUSTER on port $PG_PORT"
  # C.UTF-8 exists on every Debian; without --locale a bare environment would give SQL_ASCII.
  as_root pg_createcluster "$VER" "$PG_CLUSTER" --port "$PG_PORT" --start-conf manual \
    --locale C.UTF-8 --encoding UTF8 >/dev/null
}

# $1 clamped to [$2, $3], all in MB.
clamp_mb() { local v=$1; ((v < $2)) && v=$2; ((v > $3)) && v=$3; echo "$v"; }

configure() {
  # Written on every start, so a changed TREUE_PG_PORT also reaches an existing cluster.
  # The cluster listens on loopback only, where TLS protects nothing and cost about 15 % of
  # a service's CPU per request (bench/README.md, survey ingestion); Debian turns it on.
  # Memory and WAL are sized for the machine instead of Postgres' defaults (128 MB of shared
  # buffers, a checkpoint every 1 GB of WAL): the analytics recompute rewrites a million
  # customer rows and writes as many events in one transaction (bench/README.md, recompute).
  # None of these changes a query plan.
  local memory_mb
  memory_mb=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))
  {
    printf "port = %s\nlisten_addresses = '127.0.0.1'\nmax_connections = 300\nssl = off\n" "$PG_PORT"
    printf "shared_buffers = %sMB\n" "$(clamp_mb $((memory_mb / 8)) 128 4096)"
    printf "maintenance_work_mem = %sMB\n" "$(clamp_mb $((memory_mb / 32)) 64 1024)"
    printf "max_wal_size = 8GB\nmin_wal_size = 1GB\ncheckpoint_timeout = 15min\nwal_compression = lz4\n"
  } | as_root tee "/etc/postgresql/$VER/$PG_CLUSTER/conf.d/treue.conf" >/dev/null
}

create_role_and_databases() {
  psql_admin <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'treue') THEN
    CREATE ROLE treue LOGIN CREATEDB PASSWORD 'treue';
  END IF;
END $$;
SQL
  local db
  for db in "${DATABASES[@]}"; do
    psql_admin -c "SELECT 'CREATE DATABASE $db OWNER treue' WHERE NOT EXISTS \
      (SELECT FROM pg_database WHERE datname = '$db')" -t -A | psql_admin
  done
}

start() {
  external start && return
  VER=$(version)
  cluster_exists || create_cluster
  ln -sfn "/var/log/postgresql/postgresql-$VER-$PG_CLUSTER.log" "$LOGS/postgres.log"
  if cluster_running; then
    info "postgres $VER/$PG_CLUSTER already running on port $PG_PORT"
  else
    configure
    # /run is a tmpfs: after a reboot the socket folder is gone.
    as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    as_root pg_ctlcluster "$VER" "$PG_CLUSTER" start
  fi
  wait_until "$READY_TIMEOUT" postgres pg_ready || {
    log_tail "$LOGS/postgres.log"
    exit 1
  }
  create_role_and_databases
  info "postgres ready on 127.0.0.1:$PG_PORT (user treue, databases ${DATABASES[*]})"
}

stop() {
  external stop && return
  installed || return 0
  VER=$(version)
  if cluster_exists && cluster_running; then
    as_root pg_ctlcluster "$VER" "$PG_CLUSTER" stop -m fast
    info "postgres stopped"
  else
    info "postgres is not running"
  fi
}

status() {
  external check && return
  installed || return 0
  VER=$(version)
  if cluster_exists && cluster_running; then info "postgres: running on port $PG_PORT"; else info "postgres: stopped"; fi
}

# Removes the cluster with all its data (make clean).
drop() {
  external drop && return
  installed || return 0
  VER=$(version)
  cluster_exists || return 0
  as_root pg_dropcluster --stop "$VER" "$PG_CLUSTER"
  # pg_dropcluster leaves our conf.d file, and with it the folder.
  as_root rm -rf "/etc/postgresql/$VER/$PG_CLUSTER"
  rm -f "$LOGS/postgres.log"
  info "postgres cluster $VER/$PG_CLUSTER dropped"
}

case "${1:-}" in
  start | stop | status | drop) "$1" ;;
  *) die "usage: $0 start|stop|status|drop" ;;
esac
