#!/usr/bin/env bash
# Installs, from Debian's packages and at pinned versions, what the local node and the local image build need:
# a container runtime (containerd, runc, CNI plugins), the tools kubelet and kube-proxy call, and buildah and
# debootstrap for images without a Docker engine. Does nothing when all of them are there at these versions.
set -euo pipefail

packages=(
  containerd=1.6.20~ds1-1+deb12u3
  runc=1.1.5+ds1-1+deb12u1
  containernetworking-plugins=1.1.1+ds1-3+b5
  iptables=1.8.9-2
  conntrack=1:1.4.7-1+b2
  ethtool=1:6.1-1
  socat=1.7.4.4-2
  ebtables=2.0.11-5
  iproute2
  openssl
  curl
  buildah=1.28.2+ds1-3+deb12u1+b3
  debootstrap=1.0.128+nmu2+deb12u2
)

missing=()
for p in "${packages[@]}"; do
  name=${p%%=*}
  have=$(dpkg-query -W -f='${db:Status-Abbrev}=${Version}' "$name" 2>/dev/null || true)
  # pinned (name=version): that version installed; unpinned: any version installed
  if [ "$p" = "$name" ]; then
    [[ $have == "ii ="* ]] || missing+=("$p")
  else
    [ "$have" = "ii =${p#*=}" ] || missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: these packages are missing and this is not a Debian-like system with apt-get: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "error: installing ${missing[*]} needs root (run as root, or install them first)" >&2
  exit 1
fi
echo "[packages] installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
