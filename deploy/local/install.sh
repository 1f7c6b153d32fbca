#!/usr/bin/env bash
# Installs what the local stack needs; every step is skipped when its result is already there.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

apt_install() {
  info "installing $* (apt)"
  # apt wants no questions asked, also with a terminal attached; another apt run (a second
  # checkout's install, the system's own updates) holds the lock for a while, so wait for it.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=600
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "$@" >/dev/null
}

install_system_packages() {
  local missing=()
  if ! is_true "${TREUE_EXTERNAL_POSTGRES:-}"; then
    pg_version >/dev/null && command -v pg_ctlcluster >/dev/null || missing+=(postgresql postgresql-contrib)
  fi
  if ! is_true "${TREUE_EXTERNAL_KAFKA:-}"; then
    command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
    [ -f "$KAFKA_LIB/.complete" ] || command -v mvn >/dev/null || missing+=(maven)
  fi
  command -v curl >/dev/null || missing+=(curl)
  # The web app's toolchain (frontend/: Node 20.19 or newer).
  command -v npm >/dev/null || missing+=(nodejs npm)
  have_uv || python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
}

# pip may put uv where PATH does not look; `python3 -m uv` finds it there too.
have_uv() { command -v uv >/dev/null || python3 -m uv --version >/dev/null 2>&1; }
uv_cmd() { if command -v uv >/dev/null; then uv "$@"; else python3 -m uv "$@"; fi; }

install_python() {
  if ! have_uv; then
    info "installing uv (pip)"
    # Debian's own python3 refuses installs outside a venv without the override.
    python3 -m pip install -q uv 2>/dev/null || python3 -m pip install -q --break-system-packages uv
  fi
  # requirements.lock pins every package with its hashes (uv export of the workspace's lock);
  # it names no index, so the lock works against whichever package index is configured.
  [ -x "$VENV/bin/python" ] || (cd "$ROOT" && uv_cmd venv -q --python python3.11 "$VENV")
  (cd "$ROOT" && VIRTUAL_ENV="$VENV" uv_cmd pip sync -q requirements.lock)
  info "python environment ready ($VENV)"
}

install_kafka_jars() {
  if [ -f "$KAFKA_LIB/.complete" ]; then
    info "kafka $KAFKA_VERSION jars cached in $KAFKA_LIB"
    return
  fi
  info "fetching kafka $KAFKA_VERSION jars (maven) into $KAFKA_LIB"
  # Copy into a fresh folder and move it into place, so a broken fetch leaves no half cache.
  local tmp="$KAFKA_LIB.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$KAFKA_LIB")"
  (cd "$LOCAL/kafka" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime) >"$LOGS/install-kafka.log" 2>&1 || {
    log_tail "$LOGS/install-kafka.log"
    die "fetching the kafka jars failed"
  }
  touch "$tmp/.complete"
  rm -rf "$KAFKA_LIB"
  mv "$tmp" "$KAFKA_LIB"
}

# Only the browser tests need it: Debian's chromium, never a browser build Playwright downloads.
install_browser() {
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    info "chromium ready (${CHROMIUM_PATH:-/usr/bin/chromium})"
    return
  fi
  apt_install chromium
}

if [ "${1:-}" = browser ]; then
  install_browser
  exit 0
fi
install_system_packages
install_python
is_true "${TREUE_EXTERNAL_KAFKA:-}" || install_kafka_jars
