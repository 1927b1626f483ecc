#!/usr/bin/env bash
# Makes sure the Kubernetes binaries of the local cluster (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, and the node's kubelet and kube-proxy) are installed in
# ${LEADERDEMO_KUBERNETES_DIR:-~/.cache/leaderdemo/kubernetes}/<version>-<os>-<arch>/.
# Present: does nothing. Missing: builds them from the Go module proxy (the modules beside this script pin every
# version): nothing is downloaded from anywhere else.
#
#   hack/controlplane.sh          ensure, print the directory on the last line
#   hack/controlplane.sh --dir    print the directory only
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
k8s_version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {sub(/^v/, "", $3); print $3}' "$here/controlplane/kubernetes/go.mod")
etcd_version=$(awk '$1 == "require" && $2 == "go.etcd.io/etcd/server/v3" {print $3}' "$here/controlplane/etcd/go.mod")
os=linux
arch=amd64
command -v go >/dev/null 2>&1 && arch=$(go env GOARCH)
dir="${LEADERDEMO_KUBERNETES_DIR:-$HOME/.cache/leaderdemo/kubernetes}/${k8s_version}-${os}-${arch}"
kubernetes_commands=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
binaries=("${kubernetes_commands[@]}" etcd)

if [ "${1:-}" = "--dir" ]; then
  echo "$dir"
  exit 0
fi

installed() {
  local b
  for b in "${binaries[@]}"; do [ -x "$dir/$b" ] || return 1; done
  "$dir/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes v${k8s_version}" &&
    "$dir/etcd" --version 2>/dev/null | grep -q "etcd Version: ${etcd_version#v}"
}

if installed; then
  echo "kubernetes v${k8s_version} (etcd ${etcd_version}) ready in $dir" >&2
  echo "$dir"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<EOF
error: the local cluster's Kubernetes binaries are missing and Go is not installed, so they cannot be built.
  missing: ${binaries[*]} v${k8s_version} in $dir
  fix one of:
    - install Go 1.24 or newer (with access to a Go module proxy) and run: hack/controlplane.sh
    - copy ${kubernetes_commands[*]} (v${k8s_version}) and etcd (${etcd_version}) into $dir
EOF
  exit 1
fi

log() { printf '[kubernetes %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
# go build -v prints bare package paths as it compiles them: count those and the module downloads, and pass
# anything else (an error) through
progress() {
  local n=0 d=0 line
  while IFS= read -r line; do
    case "$line" in
      "go: downloading "*) d=$((d + 1)); [ $((d % 100)) -ne 0 ] || log "$d modules downloaded" ;;
      *" "*) echo "$line" >&2 ;;
      *) n=$((n + 1)); [ $((n % 250)) -ne 0 ] || log "$n packages compiled" ;;
    esac
  done
}
staging=$(mktemp -d "${TMPDIR:-/tmp}/kubernetes.XXXXXX")
trap 'rm -rf "$staging"' EXIT
export GOFLAGS="-mod=readonly -trimpath" CGO_ENABLED=0
start=$SECONDS

log "building etcd ${etcd_version} (a cold build takes a few minutes)"
(cd "$here/controlplane/etcd" && go build -v -ldflags "-s -w" -o "$staging/etcd" go.etcd.io/etcd/server/v3 2>&1 | progress)
log "etcd built after $((SECONDS - start))s"

commit=$(cd "$here/controlplane/kubernetes" && go mod download -json "k8s.io/kubernetes@v${k8s_version}" |
  sed -n 's/.*"Hash": "\([0-9a-f]\{40\}\)".*/\1/p' | head -1)
minor=$(echo "$k8s_version" | cut -d. -f2)
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=v${k8s_version} -X $pkg.gitMajor=1 -X $pkg.gitMinor=${minor}"
  ldflags+=" -X $pkg.gitCommit=${commit:-unknown} -X $pkg.gitTreeState=clean"
  ldflags+=" -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
done
log "building ${kubernetes_commands[*]} v${k8s_version} (cold: about 6 minutes on 2 fast cores, more on slower ones)"
(cd "$here/controlplane/kubernetes" && go build -v -ldflags "$ldflags" -o "$staging/" \
  "${kubernetes_commands[@]/#/k8s.io/kubernetes/cmd/}" 2>&1 | progress)
for b in "${binaries[@]}"; do
  [ -x "$staging/$b" ] || { echo "error: $b was not built" >&2; exit 1; }
done

mkdir -p "$dir"
for b in "${binaries[@]}"; do mv -f "$staging/$b" "$dir/$b"; done
installed || { echo "error: the built binaries in $dir do not report v${k8s_version} / ${etcd_version}" >&2; exit 1; }
log "kubernetes v${k8s_version} (etcd ${etcd_version}) built into $dir in $((SECONDS - start))s"
echo "$dir"
