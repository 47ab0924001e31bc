#!/usr/bin/env bash
# The container image, the Compose file and the Kubernetes manifests, run for real with Podman on
# stand-in base images (tools/containers/stand-in-bases.sh: no registry is needed). Each step prints
# PASS or FAIL; the first failure ends the check (KEEP=1 keeps containers, volumes and files).
#
#   tools/container-check.sh          (or bin/llmchat container-check; builds LLM Chat if needed)
#
# Needs root, and podman, runc, netavark, aardvark-dns, iptables, catatonit, mmdebstrap,
# podman-compose and python3-yaml (Debian packages; .ci/run installs them). Uses its own
# containers.conf (CONTAINERS_CONF), names and loopback ports.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$ROOT/tools/containers/containers.conf}
WILDFLY_BASE=localhost/llmchat-stand-in/wildfly-runtime:jdk17
POSTGRES_BASE=localhost/llmchat-stand-in/postgres:15
IMAGE=localhost/llmchat:0.1.0
NAME=llmchat-check
NET=$NAME

checked_at=$(date +%s)
current=""
say() { printf '   %s\n' "$*"; }
step() { current=$1; printf '== %s\n' "$1"; }
pass() { printf 'PASS %s%s\n' "$current" "${1:+ ($1)}"; }
fail() {
  printf 'FAIL %s: %s\n' "${current:-container check}" "$*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "needs root (mmdebstrap, and the files it gives the container's uid 185)"
for tool in podman mmdebstrap podman-compose python3 curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (.ci/run installs it: podman runc netavark aardvark-dns iptables catatonit mmdebstrap podman-compose python3-yaml)"
done
python3 -c 'import yaml' 2>/dev/null || fail "python3-yaml is not installed"

work=$(mktemp -d /tmp/llmchat-containers.XXXXXX)
chmod 755 "$work"
# what an earlier check left (a run cut short) and what this one makes
remove_containers() {
  podman ps -a --format '{{.Names}}' | grep "^$NAME" | xargs -r podman rm -f -t 5 >/dev/null 2>&1 || true
  podman pod ls --format '{{.Name}}' | grep "^$NAME" | xargs -r podman pod rm -f >/dev/null 2>&1 || true
  podman volume ls --format '{{.Name}}' | grep "^$NAME" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
  podman network ls --format '{{.Name}}' | grep "^$NAME" | xargs -r podman network rm -f >/dev/null 2>&1 || true
}
cleanup() {
  if [ -n "${KEEP:-}" ]; then
    echo "kept: $work, and the containers, volumes and network named $NAME*"
    return
  fi
  remove_containers
  rm -rf "$work"
}
remove_containers
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
seconds_since() { echo $(($(date +%s) - $1)); }

# the health check of the image itself (HEALTHCHECK), run by Podman until it reports healthy
wait_healthy() {
  local container=$1 limit=${2:-300} began
  began=$(date +%s)
  until podman healthcheck run "$container" >/dev/null 2>&1; do
    if [ "$(podman inspect --format '{{.State.Running}}' "$container" 2>/dev/null)" != true ]; then
      podman logs --tail 30 "$container" 2>&1 | cut -c1-300 >&2 || true
      fail "$container stopped before it became healthy"
    fi
    if [ "$(seconds_since "$began")" -ge "$limit" ]; then
      podman logs --tail 30 "$container" 2>&1 | cut -c1-300 >&2 || true
      fail "$container not healthy after $limit s"
    fi
    sleep 2
  done
}

# GET until 200 (a pod has no HEALTHCHECK of the image: its probes are the manifest's)
wait_http() {
  local url=$1 limit=${2:-300} began
  began=$(date +%s)
  until curl -sf -o /dev/null "$url"; do
    if [ "$(seconds_since "$began")" -ge "$limit" ]; then
      [ -z "${3:-}" ] || podman logs --tail 30 "$3" 2>&1 | cut -c1-300 >&2 || true
      fail "$url did not answer 200 within $limit s"
    fi
    sleep 2
  done
}

# log in as the administrator, start a conversation, stream a reply of the demo model
login() { # base-url password -> access token
  curl -sf -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$2\"}" "$1/api/v1/auth/login" | json "['accessToken']"
}
streamed_reply() { # base-url token -> conversation id
  local base=$1 token=$2 conversation deltas
  conversation=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"model":"demo"}' "$base/api/v1/conversations" | json "['id']") \
    || fail "no conversation could be started"
  curl -sfN -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"content":"Hello from a container [sim tokens=8 gap-ms=20]"}' \
    "$base/api/v1/conversations/$conversation/messages" >"$work/stream.txt" \
    || fail "the message was not taken: $(cat "$work/stream.txt")"
  deltas=$(grep -c '^event: delta' "$work/stream.txt" || true)
  grep -q '^event: done' "$work/stream.txt" || fail "the reply did not finish: $(head -c 600 "$work/stream.txt")"
  [ "$deltas" -ge 8 ] || fail "only $deltas delta events in the reply"
  echo "$conversation"
}

# --- the build this image is made of -------------------------------------------------------------
server=$ROOT/wildfly/target/server
ear=$ROOT/wildfly/target/llmchat.ear
simulator_jar=$(ls "$ROOT"/tools/llm-simulator/target/llm-simulator-*-runnable.jar 2>/dev/null | head -n 1 || true)
if [ ! -x "$server/bin/standalone.sh" ] || [ ! -f "$ear" ] || [ -z "$simulator_jar" ]; then
  "$ROOT/bin/llmchat" build
  simulator_jar=$(ls "$ROOT"/tools/llm-simulator/target/llm-simulator-*-runnable.jar | head -n 1)
fi

step "0/7 stand-in base images (Debian packages only)"
"$ROOT/tools/containers/stand-in-bases.sh"
pass

step "1/7 build the image from this build's server and EAR"
began=$(date +%s)
podman build --quiet --format docker --build-arg BASE="$WILDFLY_BASE" -f "$ROOT/docker/Dockerfile" \
  -t "$IMAGE" "$ROOT" >/dev/null || fail "podman build failed"
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
podman image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE" | grep -q health/ready \
  || fail "the image has no HEALTHCHECK (built with --format docker?)"
[ "$(podman image inspect --format '{{.Config.User}}' "$IMAGE")" = jboss ] \
  || fail "the image does not run as jboss"
pass "$IMAGE, $((size / 1024 / 1024)) MB, built in $(seconds_since "$began") s"

# --- secrets as files -------------------------------------------------------------------------
mkdir -p "$work/secrets"
umask 077
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$work/secrets/db_password"
admin_password="Check-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$admin_password" >"$work/secrets/admin_password"
umask 022
# readable by the container's users, as Docker and Kubernetes give secret files
chmod 0644 "$work/secrets/"*

step "2/7 run it with PostgreSQL on one network: secrets as files, non-root, read-only root filesystem"
podman network create "$NET" >/dev/null
podman run -d --name "$NAME-postgres" --network "$NET" --network-alias postgres \
  -e POSTGRES_DB=llmchat -e POSTGRES_USER=llmchat -e POSTGRES_PASSWORD_FILE=/run/secrets/db_password \
  -v "$work/secrets/db_password:/run/secrets/db_password:ro" \
  -v "$NAME-pgdata:/var/lib/postgresql/data" "$POSTGRES_BASE" >/dev/null 2>>"$work/podman.log"
podman run -d --name "$NAME-simulator" --network "$NET" --network-alias simulator \
  -v "$simulator_jar:/opt/simulator.jar:ro" --entrypoint java "$WILDFLY_BASE" \
  -jar /opt/simulator.jar --host=0.0.0.0 --port=8089 --models=demo >/dev/null 2>>"$work/podman.log"
for _ in $(seq 1 60); do
  podman exec "$NAME-postgres" pg_isready -U llmchat -d llmchat >/dev/null 2>&1 && break
  sleep 1
done
podman exec "$NAME-postgres" pg_isready -U llmchat -d llmchat >/dev/null || fail "PostgreSQL did not start"
http_port=$(free_port)
management_port=$(free_port)
# what the Kubernetes Deployment mounts writable (emptyDir) is all that is writable here; the
# named volumes start with the image's content, as the manifest's init container copies it
app_args=(--network "$NET" --read-only --read-only-tmpfs=false --user 185:0
  --cap-drop ALL --security-opt no-new-privileges
  -v "$NAME-configuration:/opt/server/standalone/configuration"
  -v "$NAME-deployments:/opt/server/standalone/deployments"
  -v "$NAME-wildfly-data:/opt/server/standalone/data"
  -v "$NAME-wildfly-log:/opt/server/standalone/log"
  -v "$NAME-wildfly-tmp:/opt/server/standalone/tmp"
  -v "$NAME-data:/var/lib/llmchat" --tmpfs /tmp
  -e LLMCHAT_DB_URL=jdbc:postgresql://postgres:5432/llmchat -e LLMCHAT_DB_USER=llmchat
  -e LLMCHAT_DB_PASSWORD_FILE=/run/secrets/llmchat/db_password
  -e LLMCHAT_ADMIN_PASSWORD_FILE=/run/secrets/llmchat/admin_password
  -e LLMCHAT_LLM_URL=http://simulator:8089/v1 -e LLMCHAT_LLM_MODEL=demo
  -v "$work/secrets:/run/secrets/llmchat:ro")
began=$(date +%s)
podman run -d --name "$NAME-app" "${app_args[@]}" \
  -p "127.0.0.1:$http_port:8080" -p "127.0.0.1:$management_port:9990" "$IMAGE" >/dev/null 2>>"$work/podman.log"
wait_healthy "$NAME-app"
to_healthy=$(seconds_since "$began")
[ "$(podman exec "$NAME-app" id -u)" = 185 ] || fail "the server does not run as uid 185"
if podman exec "$NAME-app" touch /opt/server/written 2>/dev/null; then
  fail "the root filesystem is writable"
fi
pass "healthy $to_healthy s after podman run"

step "3/7 from the host: log in, a streamed reply, /health/ready, /prometheus"
base=http://127.0.0.1:$http_port
token=$(login "$base" "$admin_password") || fail "the administrator cannot log in"
conversation=$(streamed_reply "$base" "$token")
ready=$(curl -sf "http://127.0.0.1:$management_port/health/ready") || fail "/health/ready is not 200"
grep -q '"status" *: *"UP"' <<<"$ready" || fail "/health/ready: $ready"
curl -sf "http://127.0.0.1:$management_port/prometheus" >"$work/metrics.txt" || fail "/prometheus is not 200"
grep -q '^llmchat_' "$work/metrics.txt" || fail "/prometheus has no llmchat_ metrics"
pass "conversation $conversation, $(grep -c '^event: delta' "$work/stream.txt") deltas streamed"

step "4/7 stop and start: the conversation and the keys are still there"
keys() { podman exec "$NAME-app" sh -c 'cd /var/lib/llmchat/keys && find . -type f | sort | xargs sha256sum'; }
keys_before=$(keys)
[ -n "$keys_before" ] || fail "no keys in the data volume"
began=$(date +%s)
podman stop -t 30 "$NAME-app" >/dev/null 2>>"$work/podman.log"
stopped_in=$(seconds_since "$began")
# SIGTERM must reach the JVM (it finishes the streams and stops): 137 is Podman's SIGKILL after 30 s
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$NAME-app")
[ "$exit_code" != 137 ] || fail "the server ignored SIGTERM and was killed after 30 s"
podman stop -t 30 "$NAME-postgres" "$NAME-simulator" >/dev/null 2>>"$work/podman.log"
podman start "$NAME-postgres" "$NAME-simulator" >/dev/null 2>>"$work/podman.log"
for _ in $(seq 1 60); do
  podman exec "$NAME-postgres" pg_isready -U llmchat -d llmchat >/dev/null 2>&1 && break
  sleep 1
done
began=$(date +%s)
podman start "$NAME-app" >/dev/null 2>>"$work/podman.log"
wait_healthy "$NAME-app"
[ "$(keys)" = "$keys_before" ] || fail "the keys in the data volume changed"
# the access token of before the restart is still good: the same signing key
curl -sf -H "Authorization: Bearer $token" "$base/api/v1/conversations/$conversation/messages" \
  >"$work/messages.json" || fail "the token of before the restart is refused, or the conversation is gone"
grep -qi '"role":"assistant"' "$work/messages.json" || fail "the reply is gone: $(head -c 400 "$work/messages.json")"
pass "stopped on SIGTERM in $stopped_in s (exit $exit_code), healthy again in $(seconds_since "$began") s, same keys, token still valid"

step "5/7 the entrypoint's refusals"
set +e
out=$(podman run --rm -e LLMCHAT_DB_URL=jdbc:postgresql://postgres:5432/llmchat "$IMAGE" 2>&1)
code=$?
set -e
[ $code -eq 64 ] && grep -q 'LLMCHAT_DB_PASSWORD is not set' <<<"$out" \
  || fail "without a database password: exit $code, $out"
printf 'secret\n' >"$work/unreadable"
chmod 0600 "$work/unreadable"
set +e
out=$(podman run --rm -v "$work/unreadable:/run/secrets/db_password:ro" \
  -e LLMCHAT_DB_URL=jdbc:postgresql://postgres:5432/llmchat \
  -e LLMCHAT_DB_PASSWORD_FILE=/run/secrets/db_password "$IMAGE" 2>&1)
code=$?
set -e
[ $code -eq 64 ] && grep -q 'cannot be read' <<<"$out" \
  || fail "with an unreadable secret file: exit $code, $out"
pass "exit 64 and the variable named, both"
podman stop -t 30 "$NAME-app" >/dev/null 2>>"$work/podman.log"

step "6/7 podman-compose: docker/compose.yaml on the stand-in images"
mkdir -p "$work/compose/docker/secrets"
cp "$ROOT/docker/compose.yaml" "$work/compose/docker/"
cp "$work/secrets/db_password" "$work/secrets/admin_password" "$work/compose/docker/secrets/"
chmod 0644 "$work/compose/docker/secrets/"*
touch "$work/compose/docker/secrets/grafana_password"
# the simulator as one more service of the project
cat >"$work/compose/docker/simulator.yaml" <<EOF
services:
  simulator:
    image: $WILDFLY_BASE
    entrypoint: ["java", "-jar", "/opt/simulator.jar", "--host=0.0.0.0", "--port=8089", "--models=demo"]
    volumes:
      - $simulator_jar:/opt/simulator.jar:ro
EOF
compose_http=$(free_port)
compose_management=$(free_port)
began=$(date +%s)
(cd "$work/compose/docker" \
  && LLMCHAT_IMAGE=$IMAGE LLMCHAT_POSTGRES_IMAGE=$POSTGRES_BASE \
    LLMCHAT_LLM_URL=http://simulator:8089/v1 LLMCHAT_LLM_MODEL=demo \
    LLMCHAT_PUBLISH=127.0.0.1:$compose_http LLMCHAT_MANAGEMENT_PUBLISH=127.0.0.1:$compose_management \
    podman-compose -p "$NAME-compose" -f compose.yaml -f simulator.yaml up -d --no-build \
    >"$work/compose.log" 2>&1) || { cat "$work/compose.log" >&2; fail "podman-compose up failed"; }
compose_app=$(podman ps --format '{{.Names}}' | grep "^$NAME-compose.*llmchat" | head -n 1)
[ -n "$compose_app" ] || { cat "$work/compose.log" >&2; fail "no llmchat container from compose"; }
wait_healthy "$compose_app"
base=http://127.0.0.1:$compose_http
token=$(login "$base" "$admin_password") || fail "the administrator cannot log in"
conversation=$(streamed_reply "$base" "$token")
pass "healthy in $(seconds_since "$began") s, conversation $conversation streamed"
(cd "$work/compose/docker" && podman-compose -p "$NAME-compose" -f compose.yaml -f simulator.yaml down \
  >/dev/null 2>&1) || true

step "7/7 podman kube play: the Kubernetes base"
kube_http=$(free_port)
kube_management=$(free_port)
if command -v kubectl >/dev/null; then
  kubectl kustomize "$ROOT/docker/k8s/base" >"$work/rendered.yaml"
else
  # the base is resources and a namespace only: their concatenation is what kustomize renders,
  # but for the namespace (kube play has none)
  python3 - "$ROOT/docker/k8s/base" >"$work/rendered.yaml" <<'EOF'
import sys, yaml, pathlib
base = pathlib.Path(sys.argv[1])
kustomization = yaml.safe_load((base / "kustomization.yaml").read_text())
docs = [d for r in kustomization["resources"] for d in yaml.safe_load_all((base / r).read_text()) if d]
print(yaml.safe_dump_all(docs, sort_keys=False))
EOF
fi
# what kube play runs: the Deployment and its ConfigMap, the Secret made from the check's files,
# the database and model server as this network has them, the ports on the host's loopback
# the init container's copy of the server's configuration and deployments, made here
mkdir -p "$work/prepared"
podman create --name "$NAME-prepare" "$IMAGE" >/dev/null 2>>"$work/podman.log"
podman cp "$NAME-prepare:/opt/server/standalone/configuration" "$work/prepared/"
podman cp "$NAME-prepare:/opt/server/standalone/deployments" "$work/prepared/"
podman rm "$NAME-prepare" >/dev/null
chown -R 185:0 "$work/prepared"
python3 - "$work/rendered.yaml" "$work/kube.yaml" "$work/secrets" "$kube_http" "$kube_management" \
  "$work/prepared" >"$work/kube-skipped.txt" <<'EOF'
import base64, sys, yaml, pathlib, subprocess
rendered, out, secrets, http, management, prepared = sys.argv[1:]
docs = [d for d in yaml.safe_load_all(open(rendered)) if d]
kept, skipped = [], []
for d in docs:
    kind = d["kind"]
    if kind == "ConfigMap":
        d["data"]["LLMCHAT_DB_URL"] = "jdbc:postgresql://postgres:5432/llmchat"
        d["data"]["LLMCHAT_LLM_URL"] = "http://simulator:8089/v1"
        d["data"]["LLMCHAT_LLM_MODEL"] = "demo"
        d["data"]["LLMCHAT_SECURE_COOKIES"] = "false"
        kept.append(d)
    elif kind == "Deployment":
        d["spec"]["replicas"] = 1
        # Podman 4.3 removes an init container that runs longer than a moment while it still runs
        # ("cannot remove container ... as it is running"), and its emptyDirs start empty: what
        # the init container copies into them is copied beforehand into host directories instead
        pod = d["spec"]["template"]["spec"]
        skipped += ["initContainer/" + c["name"] for c in pod.pop("initContainers", [])]
        for volume in pod["volumes"]:
            if volume["name"] in ("configuration", "deployments"):
                volume.pop("emptyDir", None)
                volume["hostPath"] = {"path": prepared + "/" + volume["name"], "type": "Directory"}
        app = d["spec"]["template"]["spec"]["containers"][0]
        # HTTP and management on the host's loopback; the cluster's ports stay inside the pod
        app["ports"] = [p for p in app["ports"] if p["containerPort"] in (8080, 9990)]
        for port in app["ports"]:
            port["hostIP"] = "127.0.0.1"
            port["hostPort"] = int(http if port["containerPort"] == 8080 else management)
        # Podman 4.3 takes no status.podIP: the image's entrypoint then uses the pod's address
        # (hostname -i), which is what Kubernetes would give
        for variable in app["env"]:
            if variable.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "status.podIP":
                app["env"].remove(variable)
                skipped.append("env/" + variable["name"] + " (fieldRef status.podIP: hostname -i)")
                break
        # Podman 4.3 mounts a Secret's values base64-encoded (and panics on a secret volume without
        # "optional"): the Secret's files, made here with its defaultMode, come from a host directory
        for volume in d["spec"]["template"]["spec"]["volumes"]:
            if "secret" in volume:
                mode = volume.pop("secret").get("defaultMode", 0o644)
                volume["hostPath"] = {"path": prepared + "/secrets", "type": "Directory"}
                skipped.append("Secret-volume/" + volume["name"] + " (a host directory)")
        kept.append(d)
    else:
        skipped.append(kind + "/" + d["metadata"]["name"])
folder = pathlib.Path(secrets)
files = pathlib.Path(prepared) / "secrets"
files.mkdir()
private = subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
                         check=True, capture_output=True).stdout
public = subprocess.run(["openssl", "pkey", "-pubout"], input=private, check=True, capture_output=True).stdout
values = {
    "db-password": (folder / "db_password").read_bytes().strip(),
    "admin-password": (folder / "admin_password").read_bytes().strip(),
    "master-key": base64.b64encode(open("/dev/urandom", "rb").read(32)),
    "jwt-private.pem": private,
    "jwt-public.pem": public,
}
for name, value in values.items():
    (files / name).write_bytes(value)
    (files / name).chmod(mode)
yaml.safe_dump_all(kept, open(out, "w"), sort_keys=False)
print(" ".join(skipped))
EOF
began=$(date +%s)
podman kube play --network "$NET" "$work/kube.yaml" >"$work/kube.log" 2>&1 \
  || { cat "$work/kube.log" >&2; fail "podman kube play failed"; }
wait_http "http://127.0.0.1:$kube_management/health/ready" 300 llmchat-pod-0-llmchat
base=http://127.0.0.1:$kube_http
token=$(login "$base" "$admin_password") || fail "the administrator cannot log in"
conversation=$(streamed_reply "$base" "$token")
pass "ready in $(seconds_since "$began") s, conversation $conversation streamed; not run by kube play: $(cat "$work/kube-skipped.txt")"

echo "container check: all 7 steps passed in $(seconds_since "$checked_at") s (image $((size / 1024 / 1024)) MB, healthy $to_healthy s after podman run)"
