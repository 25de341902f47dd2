#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite and print its URL.
# Installs Debian's server packages when missing (CI runs on a clean machine as root).
set -euo pipefail
PORT=${PGPORT_TEST:-54329}
DATA=${PGDATA_TEST:-/tmp/openimr-pg}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
fi
PGBIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
as_pg() { runuser -u postgres -- "$@"; }
if [ "$(id -u)" != 0 ]; then as_pg() { "$@"; }; fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  rm -rf "$DATA"; mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  as_pg "$PGBIN/initdb" -D "$DATA" -U openimr --auth=trust -E UTF8 >/dev/null
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
fi
as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U openimr -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname='openimr_test'" | grep -q 1 \
  || as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U openimr openimr_test
echo "postgresql+psycopg://openimr@127.0.0.1:$PORT/openimr_test"
