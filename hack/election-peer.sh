#!/usr/bin/env bash
# Makes sure the client-go peer of the demo app (hack/election-peer: client-go's leaderelection, for the
# benchmarks) is built, from the Go module proxy with the versions its go.mod and go.sum pin, into
# ${LEADERDEMO_KUBERNETES_DIR:-~/.cache/leaderdemo/kubernetes}/election-peer-<hash of its sources>/, and prints
# the binary's path. Built already: does nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src="$here/election-peer"
hash=$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-16)
dir="${LEADERDEMO_KUBERNETES_DIR:-$HOME/.cache/leaderdemo/kubernetes}/election-peer-$hash"
bin="$dir/leader-election-peer"

if [ ! -x "$bin" ]; then
  command -v go >/dev/null 2>&1 || { echo "error: Go is needed to build $src (install Go 1.24 or newer)" >&2; exit 1; }
  echo "[election-peer $(date +%H:%M:%S)] building $bin" >&2
  mkdir -p "$dir"
  (cd "$src" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -trimpath" go build -ldflags "-s -w" -o "$bin.tmp" .)
  mv -f "$bin.tmp" "$bin"
fi
echo "$bin"
