# Shared helpers for the local-stack scripts; sourced, never run.
# shellcheck shell=bash disable=SC2034 # the variables are used by the scripts that source this

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCAL="$ROOT/deploy/local"
RUN="$ROOT/.run"
LOGS="$RUN/logs"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

export UV_PYTHON_DOWNLOADS=never
PG_PORT=${TREUE_PG_PORT:-5433}
PG_CLUSTER=${TREUE_PG_CLUSTER:-treue}
KAFKA_PORT=${TREUE_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=$((KAFKA_PORT + 1))
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$LOCAL/kafka/pom.xml")
KAFKA_LIB=${TREUE_KAFKA_LIB:-${XDG_CACHE_HOME:-$HOME/.cache}/treue/kafka-$KAFKA_VERSION/lib}
READY_TIMEOUT=${TREUE_READY_TIMEOUT:-60}
# gateway on the base port, contacts, surveys and analytics on the next three; replica r of
# each runs REPLICA_PORT_STEP * (r - 1) ports higher (the second gateway on 8010, …).
PORT_BASE=${TREUE_PORT_BASE:-8000}
SERVICES=(contacts surveys analytics gateway)
REPLICA_PORT_STEP=10
# How many replicas of every service `up` starts (make up REPLICAS=2).
REPLICAS=${TREUE_REPLICAS:-1}

mkdir -p "$LOGS"

# --- output -----------------------------------------------------------------
step() { printf '\n[%s] %s …\n' "$1" "$2"; }
info() { printf '  %s\n' "$*"; }
warn() { printf '  warning: %s\n' "$*" >&2; }
die() { printf '  error: %s\n' "$*" >&2; exit 1; }

is_true() { case "${1:-}" in 1 | true | yes | on) return 0 ;; *) return 1 ;; esac; }

# Without a terminal (CI) progress dots would only clutter the log.
progress() { if [ -t 1 ]; then printf '.'; fi; }
progress_end() { if [ -t 1 ]; then printf '\n'; fi; }

# Root on the dev machines and CI; plain users go through sudo.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

# --- waiting ----------------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_until <seconds> <what> <command…>: polls once a second; the command answers 2 to give up early.
wait_until() {
  local timeout=$1 what=$2 i rc
  shift 2
  for ((i = 0; i < timeout; i++)); do
    rc=0
    "$@" || rc=$?
    if [ "$rc" -eq 0 ]; then progress_end; return 0; fi
    if [ "$rc" -eq 2 ]; then progress_end; warn "$what gave up"; return 1; fi
    progress
    sleep 1
  done
  progress_end
  warn "$what not ready after ${timeout}s"
  return 1
}

wait_for_port() { wait_until "${3:-$READY_TIMEOUT}" "$1:$2" port_open "$1" "$2"; }

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null || return 1; }

# --- pid files --------------------------------------------------------------
pid_file() { printf '%s/%s.pid' "$RUN" "$1"; }

# A killed process stays a zombie until its adoptive parent reaps it; that is not alive.
alive() {
  local state
  state=$(sed -E 's/.*\) (.).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# Prints the pid of a live process started under <name>; fails otherwise.
running_pid() {
  local f pid
  f=$(pid_file "$1")
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  if [ -n "$pid" ] && alive "$pid"; then
    printf '%s' "$pid"
  else
    rm -f "$f"
    return 1
  fi
}

# spawn <name> <command…>: runs it detached in its own process group, output to its log.
spawn() {
  local name=$1
  shift
  printf '\n=== %s starting %s ===\n' "$(date -Is)" "$name" >>"$LOGS/$name.log"
  setsid nohup "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
}

# stop_process <name> [grace seconds]: SIGTERM to the group, SIGKILL after the grace time.
stop_process() {
  local name=$1 grace=${2:-30} pid i
  if ! pid=$(running_pid "$name"); then
    info "$name is not running"
    return 0
  fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace; i++)); do
    alive "$pid" || break
    sleep 1
  done
  if alive "$pid"; then
    warn "$name (pid $pid) ignored SIGTERM for ${grace}s, killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$(pid_file "$name")"
  info "$name stopped"
}

log_tail() { printf '  --- last lines of %s ---\n' "$1" >&2; tail -n "${2:-40}" "$1" >&2 || true; }

# --- environment of the processes -------------------------------------------
require_venv() { [ -x "$PY" ] || die "no .venv yet: run 'make install' first"; }

load_admin_credentials() {
  local f="$RUN/admin-credentials"
  if [ ! -s "$f" ]; then
    (umask 077 && printf 'admin@treue.local\n%s\n' \
      "$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')" >"$f")
  fi
  export TREUE_ADMIN_EMAIL=${TREUE_ADMIN_EMAIL:-$(sed -n 1p "$f")}
  export TREUE_ADMIN_PASSWORD=${TREUE_ADMIN_PASSWORD:-$(sed -n 2p "$f")}
}

# Exported for every service process, migrations and the seed; values already set win.
export_service_env() {
  local db var secret="$RUN/internal-token-secret"
  export TREUE_ENV=${TREUE_ENV:-development}
  export TREUE_KAFKA_BOOTSTRAP_SERVERS=${TREUE_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}
  export TREUE_WEBHOOKS_ALLOW_PRIVATE_URLS=${TREUE_WEBHOOKS_ALLOW_PRIVATE_URLS:-true}
  export TREUE_GATEWAY_URL=${TREUE_GATEWAY_URL:-http://127.0.0.1:$PORT_BASE}
  export TREUE_GATEWAY_CONTACTS_URL=${TREUE_GATEWAY_CONTACTS_URL:-http://127.0.0.1:$((PORT_BASE + 1))}
  export TREUE_GATEWAY_SURVEY_URL=${TREUE_GATEWAY_SURVEY_URL:-http://127.0.0.1:$((PORT_BASE + 2))}
  export TREUE_GATEWAY_ANALYTICS_URL=${TREUE_GATEWAY_ANALYTICS_URL:-http://127.0.0.1:$((PORT_BASE + 3))}
  # With replicas the gateway balances over every one of them.
  if [ "$REPLICAS" -gt 1 ]; then
    export TREUE_GATEWAY_CONTACTS_URLS=${TREUE_GATEWAY_CONTACTS_URLS:-$(replica_urls 1)}
    export TREUE_GATEWAY_SURVEY_URLS=${TREUE_GATEWAY_SURVEY_URLS:-$(replica_urls 2)}
    export TREUE_GATEWAY_ANALYTICS_URLS=${TREUE_GATEWAY_ANALYTICS_URLS:-$(replica_urls 3)}
  fi
  for db in contacts survey analytics gateway; do
    var="TREUE_${db^^}_DATABASE_URL"
    export "$var=${!var:-postgresql+asyncpg://treue:treue@127.0.0.1:$PG_PORT/$db}"
  done
  # Tests and benchmarks drive load as one user; the production limits would throttle them.
  export TREUE_GATEWAY_RATE_LIMIT_USER_PER_MINUTE=${TREUE_GATEWAY_RATE_LIMIT_USER_PER_MINUTE:-600000}
  export TREUE_GATEWAY_RATE_LIMIT_API_KEY_PER_MINUTE=${TREUE_GATEWAY_RATE_LIMIT_API_KEY_PER_MINUTE:-600000}
  export TREUE_GATEWAY_RATE_LIMIT_PUBLIC_PER_MINUTE=${TREUE_GATEWAY_RATE_LIMIT_PUBLIC_PER_MINUTE:-600000}
  # The browser tests sign the admin in once per test, more often than a person would.
  export TREUE_GATEWAY_LOGIN_LIMIT_PER_ACCOUNT=${TREUE_GATEWAY_LOGIN_LIMIT_PER_ACCOUNT:-1000}
  export TREUE_GATEWAY_LOGIN_LIMIT_PER_ADDRESS=${TREUE_GATEWAY_LOGIN_LIMIT_PER_ADDRESS:-1000}
  # Where the tests create their own *_test databases.
  export TREUE_TEST_POSTGRES_URL=${TREUE_TEST_POSTGRES_URL:-postgresql+asyncpg://treue:treue@127.0.0.1:$PG_PORT/postgres}
  # Generated once, so processes restarted later still trust each other's tokens.
  if [ -z "${TREUE_INTERNAL_TOKEN_SECRET:-}" ]; then
    [ -s "$secret" ] || (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(32))' >"$secret")
    TREUE_INTERNAL_TOKEN_SECRET=$(cat "$secret")
  fi
  export TREUE_INTERNAL_TOKEN_SECRET
}

# replica_port <offset> <replica>: the port of that replica of the service at PORT_BASE + offset.
replica_port() { printf '%s' $((PORT_BASE + $1 + REPLICA_PORT_STEP * ($2 - 1))); }

# replica_urls <offset>: the comma-separated URLs of replicas 1..REPLICAS of one service.
replica_urls() {
  local r urls=""
  for ((r = 1; r <= REPLICAS; r++)); do
    urls+="${urls:+,}http://127.0.0.1:$(replica_port "$1" "$r")"
  done
  printf '%s' "$urls"
}

# replica_name <service> <replica>: the first replica keeps the plain name (pid file, log).
replica_name() { if [ "$2" -eq 1 ]; then printf '%s' "$1"; else printf '%s-%s' "$1" "$2"; fi; }

# running_replicas <service>: the replica numbers with a pid file, in order.
running_replicas() {
  local f r
  for f in "$RUN/$1.pid" "$RUN/$1"-*.pid; do
    [ -f "$f" ] || continue
    r=${f##*/"$1"}
    r=${r%.pid}
    r=${r#-}
    printf '%s\n' "${r:-1}"
  done | sort -n
}

# service_info <make-name> [replica]: sets SVC_MODULE, SVC_DIR, SVC_PORT and SVC_NAME.
service_info() {
  local replica=${2:-1} offset
  [[ "$replica" =~ ^[1-9][0-9]*$ ]] || die "replica must be a number from 1, not '$replica'"
  case "$1" in
    gateway) SVC_MODULE=gateway SVC_DIR=gateway offset=0 ;;
    contacts) SVC_MODULE=contacts SVC_DIR=contacts-service offset=1 ;;
    surveys) SVC_MODULE=survey SVC_DIR=survey-service offset=2 ;;
    analytics) SVC_MODULE=analytics SVC_DIR=analytics-service offset=3 ;;
    *) die "unknown service '$1' (one of: ${SERVICES[*]})" ;;
  esac
  SVC_PORT=$(replica_port "$offset" "$replica")
  SVC_NAME=$(replica_name "$1" "$replica")
}

# --- postgres ---------------------------------------------------------------
pg_version() {
  local initdb latest=""
  for initdb in /usr/lib/postgresql/*/bin/initdb; do
    [ -x "$initdb" ] && latest=$(basename "${initdb%/bin/initdb}")
  done
  [ -n "$latest" ] && printf '%s' "$latest"
}
