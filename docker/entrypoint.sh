#!/bin/sh
# The LLM Chat container's entrypoint: configuration comes only from LLMCHAT_* variables and
# mounted secret files, then the command (by default WildFly) replaces this shell.
#
#   LLMCHAT_<NAME>_FILE=/run/secrets/name  ->  LLMCHAT_<NAME>=<the file's content, last newline removed>
#
# Refuses to start, with a message naming the variable, when a setting it needs is missing or a
# secret file cannot be read. Runs outside Docker too (the tests do): docker/entrypoint.sh env
set -eu

fail() {
  echo "llmchat: $*" >&2
  exit 64
}

# Secret files: every LLMCHAT_*_FILE variable, except those the server itself reads as paths.
for assignment in $(env | sed -n 's/^\(LLMCHAT_[A-Z0-9_]*_FILE\)=.*/\1/p'); do
  case "$assignment" in
    LLMCHAT_JWT_PRIVATE_KEY_FILE | LLMCHAT_JWT_PUBLIC_KEY_FILE | LLMCHAT_MASTER_KEY_FILE) continue ;;
  esac
  target=${assignment%_FILE}
  eval "path=\${$assignment}"
  eval "already=\${$target:-}"
  [ -z "$already" ] || fail "$target and $assignment are both set; set one of them"
  [ -r "$path" ] || fail "$assignment points at $path, which cannot be read"
  value=$(cat "$path")
  [ -n "$value" ] || fail "$assignment points at $path, which is empty"
  export "$target=$value"
  unset "$assignment"
done

# What the server cannot start without in a container (no private PostgreSQL here).
[ -n "${LLMCHAT_DB_URL:-}" ] || fail "LLMCHAT_DB_URL is not set (e.g. jdbc:postgresql://postgres:5432/llmchat)"
[ -n "${LLMCHAT_DB_PASSWORD:-}" ] \
  || fail "LLMCHAT_DB_PASSWORD is not set (or LLMCHAT_DB_PASSWORD_FILE=/run/secrets/db_password)"
case "$LLMCHAT_DB_URL" in
  jdbc:postgresql://*) ;;
  *) fail "LLMCHAT_DB_URL must start with jdbc:postgresql:// (it is $LLMCHAT_DB_URL)" ;;
esac

data_dir=${LLMCHAT_DATA_DIR:-/var/lib/llmchat}
[ -d "$data_dir" ] && [ -w "$data_dir" ] \
  || fail "the data dir $data_dir (LLMCHAT_DATA_DIR) must be a writable directory: mount a volume there"
export LLMCHAT_DATA_DIR="$data_dir"

# JVM options to add to the image's (the WildFly images' convention; standalone.sh itself reads
# only JAVA_OPTS, and builds its defaults around JBOSS_JAVA_SIZING when that is unset)
if [ -n "${JAVA_OPTS_APPEND:-}" ]; then
  if [ -n "${JAVA_OPTS:-}" ]; then
    export JAVA_OPTS="$JAVA_OPTS $JAVA_OPTS_APPEND"
  else
    export JBOSS_JAVA_SIZING="${JBOSS_JAVA_SIZING:-} $JAVA_OPTS_APPEND"
  fi
fi

[ "$#" -gt 0 ] || set -- "${JBOSS_HOME:?JBOSS_HOME is not set}/bin/standalone.sh"

# A server of a cluster (docs/scaling.md): standalone-cluster.xml, discovery through the shared
# PostgreSQL; the others reach it at the container's own address unless LLMCHAT_CLUSTER_ADDRESS
# says otherwise (Kubernetes: the pod's address). Every server needs the same keys: a cluster
# without LLMCHAT_MASTER_KEY_FILE (or LLMCHAT_MASTER_KEY), LLMCHAT_JWT_PRIVATE_KEY_FILE and
# LLMCHAT_JWT_PUBLIC_KEY_FILE would give each its own.
if [ "${LLMCHAT_CLUSTER:-false}" = true ]; then
  [ -n "${LLMCHAT_MASTER_KEY:-}" ] || [ -n "${LLMCHAT_MASTER_KEY_FILE:-}" ] \
    || fail "LLMCHAT_CLUSTER=true: every server needs the same master key: set LLMCHAT_MASTER_KEY_FILE (a mounted secret) or LLMCHAT_MASTER_KEY"
  [ -n "${LLMCHAT_JWT_PRIVATE_KEY_FILE:-}" ] && [ -n "${LLMCHAT_JWT_PUBLIC_KEY_FILE:-}" ] \
    || fail "LLMCHAT_CLUSTER=true: every server needs the same token keys: set LLMCHAT_JWT_PRIVATE_KEY_FILE and LLMCHAT_JWT_PUBLIC_KEY_FILE (mounted secrets)"
  if [ -z "${LLMCHAT_CLUSTER_ADDRESS:-}" ]; then
    LLMCHAT_CLUSTER_ADDRESS=$(hostname -i 2>/dev/null | awk '{ print $1 }')
    [ -n "$LLMCHAT_CLUSTER_ADDRESS" ] || fail "LLMCHAT_CLUSTER=true: set LLMCHAT_CLUSTER_ADDRESS, the address the other servers reach this one at"
    export LLMCHAT_CLUSTER_ADDRESS
  fi
  case " $* " in
    *" -c "* | *"--server-config"*) ;;
    *) set -- "$@" -c standalone-cluster.xml ;;
  esac
fi
exec "$@"
