#!/usr/bin/env bash
# Builds the project's container images without a Docker engine or a registry, with buildah, from Debian's
# packages only, and writes them as archives that `ctr -n k8s.io images import` accepts.
#
#   hack/image.sh base              JRE base image (debootstrap bookworm + openjdk-17-jre-headless), if missing
#   hack/image.sh pause             pod sandbox image from hack/pause, if missing or if the binary changed
#   hack/image.sh app IMG           the project's Dockerfile on top of the base (needs target/leaderdemo.jar)
#   hack/image.sh archive IMG FILE  docker-archive of IMG, named as kubelet asks for it (docker.io/library/...)
#
# Needs Linux, root, buildah and (for base) debootstrap, (for pause) go: it runs hack/packages.sh, which installs
# the Debian ones.
# STORAGE_DRIVER=vfs hack/image.sh ... forces buildah's storage driver where the default (overlay) does not work.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE_IMAGE=localhost/leaderdemo/jre-base:17-bookworm
PAUSE_IMAGE=localhost/leaderdemo/pause:1.0
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
JRE_PACKAGE=openjdk-17-jre-headless
# The version in bookworm's main suite: debootstrap reads that one suite from one mirror, so neither
# bookworm-security's newer build nor a pin (--include takes names only) can be asked of it; checked after install.
JRE_VERSION=17.0.19+10-1~deb12u2
PAUSE_LABEL=dev.leaderdemo.pause.sha256

log() { echo "[image $(date +%H:%M:%S)] $*" >&2; }
die() {
  echo "error: $*" >&2
  exit 1
}

bh() { buildah ${STORAGE_DRIVER:+--storage-driver "$STORAGE_DRIVER"} "$@"; }

TMP=""
CID=""
cleanup() {
  local rc=$?
  set +e
  if [ -n "$CID" ]; then bh rm "$CID" >/dev/null 2>&1 || true; fi
  if [ -n "$TMP" ] && [ -d "$TMP" ]; then
    # debootstrap mounts /proc and /sys inside the rootfs and may leave them when it is interrupted
    findmnt -rn -o TARGET | grep -F "$TMP/" | sort -r | while read -r m; do umount -l "$m" || true; done
    if findmnt -rn -o TARGET | grep -qF "$TMP/"; then
      echo "error: mounts remain under $TMP; not removing it" >&2
    else
      rm -rf "$TMP"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

preflight() {
  [ "$(uname -s)" = Linux ] || die "buildah images need Linux (this is $(uname -s))"
  [ "$(id -u)" -eq 0 ] || die "hack/image.sh needs root (buildah's rootful storage, debootstrap)"
  "$ROOT/hack/packages.sh"
}

tmpdir() { [ -n "$TMP" ] || TMP=$(mktemp -d /var/tmp/leaderdemo-image.XXXXXX); }
image_exists() { bh inspect --type image "$1" >/dev/null 2>&1; }
image_id() { bh inspect --type image --format '{{.FromImageID}}' "$1" 2>/dev/null || true; }

# Removes an image that a new build took the tag from, unless something else still names it.
drop_old() {
  local old=$1 new
  new=$(image_id "$2")
  if [ -n "$old" ] && [ "$old" != "$new" ]; then bh rmi "$old" >/dev/null 2>&1 || true; fi
}

cmd_base() {
  if image_exists "$BASE_IMAGE"; then
    log "$BASE_IMAGE is there"
    return
  fi
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing (run hack/packages.sh)"
  local start=$SECONDS rootfs version
  log "building $BASE_IMAGE: debootstrap $SUITE + $JRE_PACKAGE (a few minutes)"
  # on disk rather than /tmp, which may be a tmpfs mounted nodev/noexec
  tmpdir
  rootfs=$TMP/rootfs
  if ! debootstrap --variant=minbase --include="$JRE_PACKAGE" "$SUITE" "$rootfs" "$MIRROR" >"$TMP/debootstrap.log" 2>&1; then
    tail -n 20 "$TMP/debootstrap.log" >&2
    die "debootstrap $SUITE failed (log above)"
  fi
  version=$(dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f='${Version}' "$JRE_PACKAGE" 2>/dev/null || true)
  [ "$version" = "$JRE_VERSION" ] ||
    die "debootstrap installed $JRE_PACKAGE '${version:-nothing}', pinned is $JRE_VERSION: check it and update JRE_VERSION in hack/image.sh"
  [ -e "$rootfs/usr/bin/java" ] || die "$JRE_PACKAGE is installed but /usr/bin/java is missing in the base rootfs"

  log "stripping and committing the rootfs"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/dev/* "$rootfs"/tmp/* "$rootfs"/var/tmp/*
  find "$rootfs/var/log" -type f -delete
  # docs go, the licences stay
  find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  tar --numeric-owner --xattrs --xattrs-include='*' -C "$rootfs" -cf "$TMP/rootfs.tar" .

  CID=$(bh from --quiet scratch)
  bh add --quiet "$CID" "$TMP/rootfs.tar" /
  bh config \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env LANG=C.UTF-8 \
    --env JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$rootfs/usr/bin/java" | sed "s|^$rootfs||")")")" \
    --cmd '["/bin/bash"]' \
    --label dev.leaderdemo.base="JRE base: Debian $SUITE minbase (debootstrap) with $JRE_PACKAGE $JRE_VERSION" \
    "$CID"
  bh commit --quiet --rm "$CID" "$BASE_IMAGE" >/dev/null
  CID=""
  rm -rf "$rootfs" "$TMP/rootfs.tar"
  log "built $BASE_IMAGE in $((SECONDS - start))s ($(bh images --format '{{.Size}}' "$BASE_IMAGE"))"
}

cmd_pause() {
  command -v go >/dev/null 2>&1 || die "go is missing (needed to build hack/pause)"
  local sum have old
  tmpdir
  (cd "$ROOT/hack/pause" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$TMP/pause" .) ||
    die "go build of hack/pause failed"
  sum=$(sha256sum "$TMP/pause" | cut -d' ' -f1)
  have=$(bh inspect --type image --format "{{index .OCIv1.Config.Labels \"$PAUSE_LABEL\"}}" "$PAUSE_IMAGE" 2>/dev/null || true)
  if [ "$have" = "$sum" ]; then
    log "$PAUSE_IMAGE is up to date"
    return
  fi
  old=$(image_id "$PAUSE_IMAGE")
  CID=$(bh from --quiet scratch)
  bh copy --quiet --chmod 0755 "$CID" "$TMP/pause" /pause
  bh config --entrypoint '["/pause"]' --cmd '' --user 65535:65535 \
    --label org.opencontainers.image.title="leaderdemo pod sandbox (pause)" --label "$PAUSE_LABEL=$sum" "$CID"
  bh commit --quiet --rm "$CID" "$PAUSE_IMAGE" >/dev/null
  CID=""
  drop_old "$old" "$PAUSE_IMAGE"
  log "built $PAUSE_IMAGE (binary sha256 ${sum:0:12})"
}

cmd_app() {
  local img=$1 start=$SECONDS old
  [ -f "$ROOT/target/leaderdemo.jar" ] || die "target/leaderdemo.jar is missing: run mvn -B -ntp package -DskipTests first"
  cmd_base
  old=$(image_id "$img")
  tmpdir
  if ! (cd "$ROOT" && bh bud --quiet --pull=never --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$img" -f Dockerfile .) \
    >"$TMP/bud.log" 2>&1; then
    tail -n 20 "$TMP/bud.log" >&2
    die "buildah bud of $img failed (log above)"
  fi
  drop_old "$old" "$img"
  log "built $img in $((SECONDS - start))s ($(bh images --format '{{.Size}}' "$img"))"
}

# The name kubelet asks containerd for: docker.io/library/NAME:latest for a bare NAME, as Docker normalizes it.
qualified() {
  local ref=$1 first=${1%%/*}
  if [ "$ref" = "$first" ]; then
    ref=docker.io/library/$ref
  elif [[ ! $first =~ [.:] && $first != localhost ]]; then
    ref=docker.io/$ref
  fi
  [[ ${ref##*/} =~ [:@] ]] || ref=$ref:latest
  echo "$ref"
}

cmd_archive() {
  local img=$1 file=$2 name
  image_exists "$img" || die "image $img is not in buildah's storage (build it: hack/image.sh app $img)"
  [[ $img == *@* ]] && die "archive needs a tag, not a digest: $img"
  # buildah keeps a bare name as localhost/NAME; the archive must carry Docker's name for it instead
  name=$(qualified "$img")
  rm -f "$file.tmp"
  # by ID: pushed by name, the archive would also carry buildah's localhost/ name
  bh push --quiet "$(image_id "$img")" "docker-archive:$file.tmp:$name" >/dev/null
  mv -f "$file.tmp" "$file"
  log "wrote $file as $name ($(du -h "$file" | cut -f1))"
}

usage() {
  echo "usage: hack/image.sh base | pause | app IMG | archive IMG FILE" >&2
  exit 2
}

[ $# -ge 1 ] || usage
case "$1" in
  base) [ $# -eq 1 ] || usage; preflight; cmd_base ;;
  pause) [ $# -eq 1 ] || usage; preflight; cmd_pause ;;
  app) [ $# -eq 2 ] || usage; preflight; cmd_app "$2" ;;
  archive) [ $# -eq 3 ] || usage; preflight; cmd_archive "$2" "$3" ;;
  *) usage ;;
esac
