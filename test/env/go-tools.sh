#!/usr/bin/env bash
# Builds the FerretDB binary the store tests use as their MongoDB-wire server
# when no `mongod` is installed. Idempotent: does nothing when a working
# `ferretdb` v1.24.2 is already in $(go env GOPATH)/bin.
#
# Why not a plain `go install ...@v1.24.2`: that command downloads and builds
# the module, but the resulting binary panics at start-up ("Invalid
# build/version/version.txt file content"): FerretDB's build/version package
# requires a generated version.txt that the published module does not carry,
# and `go build -overlay` refuses to replace files in the module cache. So we
# run the `go install` (it fetches the module and its dependencies into the
# module cache and warms the build cache), then rebuild the same command from
# a writable copy of the module source with version.txt supplied.
#
# Needs: Go >= 1.22 on PATH, network access to the Go module proxy the first
# time. Env: CGO is not needed (FerretDB's SQLite is the pure-Go
# modernc.org/sqlite); GOFLAGS=-buildvcs=false because the copy has no .git.
set -euo pipefail

FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
GOBIN_DIR="$(go env GOPATH)/bin"
BIN="$GOBIN_DIR/ferretdb"

# The version is read whole into a variable, never piped into `grep -q` or `head`: those close the
# pipe after the first line, the binary then dies of SIGPIPE on its next line, and under pipefail
# that made the check fail (a needless rebuild) or, on the last line below, the whole set-up exit 141.
built_version() { "$BIN" --version 2>/dev/null || true; }
reports_pinned_version() { grep -qx "version: $FERRETDB_VERSION" <<<"$(built_version)"; }
if [ -x "$BIN" ] && reports_pinned_version; then
  echo "ferretdb $FERRETDB_VERSION already built: $BIN"
  exit 0
fi

export CGO_ENABLED=0
export GOFLAGS=-buildvcs=false

# 1. fetch module + deps (the binary it installs is replaced below)
go install "github.com/FerretDB/FerretDB/cmd/ferretdb@$FERRETDB_VERSION"

# 2. rebuild from a writable copy with build/version/version.txt present
MODDIR="$(go list -m -f '{{.Dir}}' "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>/dev/null || true)"
if [ -z "$MODDIR" ]; then
  MODDIR="$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$FERRETDB_VERSION"
fi
SRC="$(mktemp -d)"
trap 'rm -rf "$SRC"' EXIT
cp -r "$MODDIR/." "$SRC/"
chmod -R u+w "$SRC"
echo "$FERRETDB_VERSION" > "$SRC/build/version/version.txt"
(cd "$SRC" && go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb)
mv "$BIN.tmp" "$BIN"
if ! reports_pinned_version; then
  echo "ferretdb built at $BIN but it does not report version $FERRETDB_VERSION:" >&2
  built_version >&2
  exit 1
fi
echo "ferretdb $FERRETDB_VERSION built: $BIN"
