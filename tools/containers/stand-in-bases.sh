#!/usr/bin/env bash
# Stand-in base images for machines that cannot pull images (no registry but a Debian mirror):
# Debian 12 root filesystems made with mmdebstrap from the configured mirror, imported into Podman,
# then the contracts LLM Chat's Dockerfile and Compose file rely on (see the Containerfiles here).
#
#   tools/containers/stand-in-bases.sh [--rebuild]
#
# Makes (skipped when present, unless --rebuild):
#   localhost/llmchat-stand-in/wildfly-runtime:jdk17   for quay.io/wildfly/wildfly-runtime:jdk21
#   localhost/llmchat-stand-in/postgres:15             for postgres:17
# Settings: LLMCHAT_DEBIAN_MIRROR (default: the first URIs of /etc/apt/sources.list.d/debian.sources,
# else http://deb.debian.org/debian); CONTAINERS_CONF (default: tools/containers/containers.conf).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$HERE/containers.conf}
PREFIX=localhost/llmchat-stand-in
WILDFLY_BASE=$PREFIX/wildfly-runtime:jdk17
POSTGRES_BASE=$PREFIX/postgres:15

say() { printf 'stand-in bases: %s\n' "$*"; }
fail() { printf 'stand-in bases FAILED: %s\n' "$*" >&2; exit 1; }

rebuild=false
[ "${1:-}" = --rebuild ] && rebuild=true
command -v podman >/dev/null || fail "podman is not installed (apt-get install podman runc)"
command -v mmdebstrap >/dev/null || fail "mmdebstrap is not installed (apt-get install mmdebstrap)"

mirror=${LLMCHAT_DEBIAN_MIRROR:-}
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources | head -n 1)
fi
mirror=${mirror:-http://deb.debian.org/debian}

# a Debian 12 root filesystem with the packages, as an image (no registry involved)
rootfs() {
  local image=$1 packages=$2
  if ! $rebuild && podman image exists "$image"; then
    say "$image is there"
    return
  fi
  say "making $image from $mirror ($packages)"
  mmdebstrap --quiet --variant=apt --include="$packages" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    bookworm - "$mirror" | podman import --quiet - "$image" >/dev/null
}

image() {
  local image=$1 containerfile=$2 rootfs_image=$3
  if ! $rebuild && podman image exists "$image"; then
    say "$image is there"
    return
  fi
  say "building $image"
  podman build --quiet --format docker --build-arg ROOTFS="$rootfs_image" \
    -f "$HERE/$containerfile" -t "$image" "$HERE" >/dev/null
}

started=$(date +%s)
rootfs $PREFIX/debian-jre:bookworm default-jre-headless,curl,ca-certificates
image "$WILDFLY_BASE" wildfly-runtime.Containerfile $PREFIX/debian-jre:bookworm
rootfs $PREFIX/debian-postgresql:bookworm postgresql,postgresql-client
image "$POSTGRES_BASE" postgres.Containerfile $PREFIX/debian-postgresql:bookworm
say "ready in $(($(date +%s) - started)) s: $WILDFLY_BASE, $POSTGRES_BASE"
