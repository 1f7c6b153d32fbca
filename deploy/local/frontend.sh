#!/usr/bin/env bash
# The web app in frontend/: its node_modules and its build in frontend/dist (served by the gateway).
# Each step is skipped when its result is newer than what it is made from.
# usage: frontend.sh install|build
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

FRONTEND="$ROOT/frontend"
# What the build is made from; a newer one of these makes dist stale.
SOURCES=(src index.html package-lock.json vite.config.ts tsconfig.json)

require_npm() { command -v npm >/dev/null || die "npm is missing: run 'make install'"; }

install() {
  require_npm
  # npm ci writes node_modules/.package-lock.json; older than the lock means the lock changed since.
  if [ "$FRONTEND/node_modules/.package-lock.json" -nt "$FRONTEND/package-lock.json" ]; then
    info "web app packages up to date (frontend/node_modules)"
    return
  fi
  info "installing the web app's packages (npm ci, log $LOGS/frontend-install.log)"
  (cd "$FRONTEND" && npm ci --no-audit --no-fund) >"$LOGS/frontend-install.log" 2>&1 || {
    log_tail "$LOGS/frontend-install.log"
    die "npm ci failed"
  }
}

stale() {
  [ -f "$FRONTEND/dist/index.html" ] || return 0
  [ -n "$(cd "$FRONTEND" && find "${SOURCES[@]}" -newer dist/index.html -print -quit)" ]
}

build() {
  install
  if ! stale; then
    info "web app build up to date (frontend/dist)"
    return
  fi
  info "building the web app (npm run build, log $LOGS/frontend-build.log)"
  (cd "$FRONTEND" && npm run build) >"$LOGS/frontend-build.log" 2>&1 || {
    log_tail "$LOGS/frontend-build.log"
    die "building the web app failed"
  }
  info "web app built into frontend/dist"
}

case "${1:-}" in
  install | build) "$1" ;;
  *) die "usage: $0 install|build" ;;
esac
