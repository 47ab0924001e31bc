#!/usr/bin/env bash
# Installs LLM Chat from an offline bundle (bin/llmchat bundle) on a machine with a JDK 17+ and no
# network: no Maven, no internet. Everything else (WildFly with the application, PostgreSQL, the
# demo model server) is in the bundle.
#
# Without questions, when the settings come as variables (or LLMCHAT_INSTALL_YES=1):
#   LLMCHAT_PREFIX=/opt/llmchat LLMCHAT_BIND_ADDRESS=0.0.0.0 \
#   LLMCHAT_LLM_URL=http://10.0.0.5:8000/v1 LLMCHAT_LLM_MODEL=qwen2.5-7b ./install.sh
# Interactively on a terminal otherwise: it asks for the install dir, the address to serve on and
# the model server. LLMCHAT_SYSTEMD=no: do not install a systemd service even as root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
say() { printf '%s\n' "$*"; }
fail() { printf 'install: %s\n' "$*" >&2; exit 1; }

command -v java >/dev/null || fail "a JDK 17 or newer is required (java not found)"
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
[ "${java_major:-0}" -ge 17 ] || fail "a JDK 17 or newer is required (found ${java_major:-none})"
for tool in curl unzip xz; do
  command -v "$tool" >/dev/null || fail "$tool is required (Debian/Ubuntu: apt-get install curl unzip xz-utils)"
done

interactive=no
if [ -t 0 ] && [ -z "${LLMCHAT_INSTALL_YES:-}" ] && [ -z "${LLMCHAT_PREFIX:-}" ]; then
  interactive=yes
fi
ask() { # variable, question, default
  local answer
  if [ "$interactive" = yes ]; then
    read -r -p "$2 [$3]: " answer
    printf -v "$1" '%s' "${answer:-$3}"
  else
    printf -v "$1" '%s' "$3"
  fi
}

if [ "$(id -u)" -eq 0 ]; then default_prefix=/opt/llmchat; else default_prefix=$HOME/llmchat; fi
ask prefix "Install into" "${LLMCHAT_PREFIX:-$default_prefix}"
ask bind "Serve the UI and API on address (0.0.0.0: every network)" "${LLMCHAT_BIND_ADDRESS:-127.0.0.1}"
ask llm_url "Model server base URL (empty: the built-in demo model)" "${LLMCHAT_LLM_URL:-}"
llm_model=${LLMCHAT_LLM_MODEL:-}
if [ -n "$llm_url" ] && [ -z "$llm_model" ]; then ask llm_model "Model name at that server" ""; fi
[ -z "$llm_url" ] || [ -n "$llm_model" ] || fail "a model server needs a model name (LLMCHAT_LLM_MODEL)"

if [ "$HERE" != "$(mkdir -p "$prefix" && cd "$prefix" && pwd)" ]; then
  say "Copying LLM Chat to $prefix..."
  cp -a "$HERE/." "$prefix/"
fi

# the settings, kept for the service and for later runs (readable by the owner only)
env_file=$prefix/llmchat.env
(umask 077 && {
  [ -z "${LLMCHAT_DATA_DIR:-}" ] || printf 'LLMCHAT_DATA_DIR=%s\n' "$LLMCHAT_DATA_DIR"
  printf 'LLMCHAT_BIND_ADDRESS=%s\n' "$bind"
  [ -z "$llm_url" ] || printf 'LLMCHAT_LLM_URL=%s\nLLMCHAT_LLM_MODEL=%s\n' "$llm_url" "$llm_model"
  [ -z "${LLMCHAT_LLM_API_KEY:-}" ] || printf 'LLMCHAT_LLM_API_KEY=%s\n' "$LLMCHAT_LLM_API_KEY"
  [ -z "${LLMCHAT_PG_BINARIES:-}" ] || printf 'LLMCHAT_PG_BINARIES=%s\n' "$LLMCHAT_PG_BINARIES"
} >"$env_file")

if [ "$(id -u)" -eq 0 ] && [ "${LLMCHAT_SYSTEMD:-yes}" != no ] && [ -d /run/systemd/system ]; then
  sed "s|@PREFIX@|$prefix|g" "$prefix/bin/llmchat.service" >/etc/systemd/system/llmchat.service
  systemctl daemon-reload
  say "Starting the llmchat service (systemctl status llmchat; journalctl -u llmchat)..."
  systemctl enable --now llmchat.service
  journalctl -u llmchat.service -n 30 --no-pager | sed -n '/LLM Chat is running/,$p'
else
  "$prefix/bin/llmchat" run   # reads llmchat.env itself
fi
say "Installed in $prefix (settings: $env_file). Stop: $prefix/bin/llmchat stop"
