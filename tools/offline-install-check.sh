#!/usr/bin/env bash
# The air-gapped install, for real: the offline bundle is installed inside a network namespace
# with no interface but loopback (no internet, no Maven repository), then a login and a streamed
# reply of the demo model are checked there. Needs root (ip netns) and iproute2.
#   tools/offline-install-check.sh [BUNDLE]   (without BUNDLE: bin/llmchat bundle makes one)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf '== %s\n' "$*"; }
fail() { printf 'offline check FAILED: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (ip netns)"
command -v ip >/dev/null || fail "needs iproute2 (ip)"

work=$(mktemp -d /tmp/llmchat-offline.XXXXXX)
chmod 755 "$work"
bundle=${1:-$work/llmchat.tar.gz}
[ -f "$bundle" ] || "$ROOT/bin/llmchat" bundle "$bundle"
ns=llmchat-offline-$$
cleanup() {
  ip netns exec "$ns" "$work/installed/bin/llmchat" stop >/dev/null 2>&1 || true
  ip netns del "$ns" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
in_ns() { ip netns exec "$ns" "$@"; }

say "network interfaces inside the namespace:"
in_ns ip -brief link
if in_ns curl -s --max-time 5 -o /dev/null https://repo.maven.apache.org/maven2/; then
  fail "the namespace reaches the internet"
fi
say "no route out: $(in_ns curl -s --max-time 5 -o /dev/null https://repo.maven.apache.org/maven2/ 2>&1 || echo "curl exit $?")"

# Maven must not be needed: a stub that fails loudly comes first in PATH
mkdir -p "$work/no-maven"
printf '#!/bin/sh\necho "mvn was called during an offline install" >&2\nexit 97\n' >"$work/no-maven/mvn"
chmod +x "$work/no-maven/mvn"

tar -C "$work" -xzf "$bundle"
installer=$(ls "$work"/llmchat-*/install.sh)
say "installing from $(basename "$(dirname "$installer")") with the bundled PostgreSQL"
in_ns env PATH="$work/no-maven:$PATH" LLMCHAT_INSTALL_YES=1 LLMCHAT_PREFIX="$work/installed" \
  LLMCHAT_SYSTEMD=no LLMCHAT_PG_BINARIES=maven bash "$installer" </dev/null | tee "$work/install.log"

one_time=$(sed -n 's/^ *user admin  password \([A-Za-z0-9]*\)$/\1/p' "$work/install.log")
[ -n "$one_time" ] || fail "no administrator password printed"
api=http://127.0.0.1:8080/api/v1
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
token=$(in_ns curl -sf -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$one_time\"}" "$api/auth/login" | json "['accessToken']")
chosen="Offline-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
token=$(in_ns curl -sf -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"currentPassword\":\"$one_time\",\"newPassword\":\"$chosen\"}" "$api/auth/password" \
  | json "['accessToken']")
say "logged in as admin, one-time password replaced"
conversation=$(in_ns curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"model":"demo"}' "$api/conversations" | json "['id']")
in_ns curl -sfN -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"content":"Hello from the air gap [sim tokens=6 gap-ms=100]"}' \
  "$api/conversations/$conversation/messages" >"$work/stream.txt"
deltas=$(grep -c '^event: delta' "$work/stream.txt" || true)
grep -q '^event: done' "$work/stream.txt" || fail "the reply did not finish: $(cat "$work/stream.txt")"
[ "$deltas" -ge 6 ] || fail "only $deltas deltas"
say "streamed demo reply: $deltas delta events, then done"
say "OK: installed and working with no network"
