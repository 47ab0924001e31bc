#!/bin/sh
# The stand-in postgres image's entrypoint (tools/containers/postgres.Containerfile): as root it
# reads the password file and gives the data dir to postgres, then runs itself again as postgres;
# as postgres it makes the cluster, its user and database when the data dir is empty, then the
# server replaces this shell.
set -eu

fail() {
  echo "postgres stand-in: $*" >&2
  exit 1
}

if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
  [ -z "${POSTGRES_PASSWORD:-}" ] || fail "POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE are both set"
  [ -r "$POSTGRES_PASSWORD_FILE" ] || fail "cannot read $POSTGRES_PASSWORD_FILE"
  POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE")
  export POSTGRES_PASSWORD
  unset POSTGRES_PASSWORD_FILE
fi

if [ "${1:-}" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || fail "POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) is not set"
  user=${POSTGRES_USER:-postgres}
  database=${POSTGRES_DB:-$user}
  password_file=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$password_file"
  initdb -D "$PGDATA" --username="$user" --pwfile="$password_file" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 >/dev/null
  rm -f "$password_file"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  if [ "$database" != postgres ]; then
    # a private socket: pg_isready and clients see nothing until the real server starts
    socket=$(mktemp -d)
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=$socket" -w start >/dev/null
    psql -v ON_ERROR_STOP=1 -h "$socket" -U "$user" -d postgres -q \
      -c "create database \"$database\" owner \"$user\""
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    rmdir "$socket"
  fi
  echo "postgres stand-in: made the database $database of $user in $PGDATA"
fi
unset POSTGRES_PASSWORD
exec "$@"
