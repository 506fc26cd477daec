#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster, then stops it and
# deletes it (also when the command fails or is interrupted).
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# The cluster lives in a new temporary folder, listens only on a Unix socket
# in that folder (no TCP), runs with fsync, synchronous_commit and
# full_page_writes on (what Frontdoor demands), and has one database,
# frontdoor_test, owned by the superuser "frontdoor" (local trust
# authentication: nobody else can reach the socket's folder). The command
# sees it as
#
#   FRONTDOOR_TEST_POSTGRES_URL=postgresql://frontdoor@/frontdoor_test?host=<folder>
#
# Tests that read that variable give each test its own schema in it.
# FRONTDOOR_TEST_PG_DATA, FRONTDOOR_TEST_PG_BIN and FRONTDOOR_TEST_PG_AS_SERVER
# let a battery stop and restart the cluster (see the end of this script).
# As root, the server runs as the "postgres" user (created if missing),
# because PostgreSQL refuses to run as root.
# FRONTDOOR_PG_BIN overrides /usr/lib/postgresql/15/bin.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

pgbin="${FRONTDOOR_PG_BIN:-/usr/lib/postgresql/15/bin}"
if [[ ! -x "$pgbin/initdb" ]]; then
  echo "with-postgres: $pgbin/initdb not found (apt-get install postgresql, or scripts/setup.sh)" >&2
  exit 2
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/frontdoor-pg.XXXXXX")"
as_server=()
if [[ "$(id -u)" == 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
  chown postgres: "$dir"
  as_server=(runuser -u postgres --)
fi
chmod 700 "$dir"

started=0
cleanup() {
  local status=$?
  if ((started)); then
    "${as_server[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
      "${as_server[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! "${as_server[@]}" "$pgbin/initdb" -D "$dir/data" --username=frontdoor --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 --no-instructions --no-sync >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  exit 1
fi
cat >>"$dir/data/postgresql.conf" <<EOF
# scripts/with-postgres.sh
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 200
shared_buffers = 64MB
EOF

started=1
if ! "${as_server[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
  cat "$dir/server.log" >&2
  exit 1
fi
"$pgbin/psql" -X -q -h "$dir" -U frontdoor -d postgres -c "CREATE DATABASE frontdoor_test" >/dev/null

export FRONTDOOR_TEST_POSTGRES_URL="postgresql://frontdoor@/frontdoor_test?host=$dir"
# For batteries that stop and restart the server themselves (the crash
# battery's pg_ctl stop -m immediate): the data folder, the binaries and the
# command prefix that runs them as the server's user ("" when not root).
export FRONTDOOR_TEST_PG_DATA="$dir/data"
export FRONTDOOR_TEST_PG_BIN="$pgbin"
export FRONTDOOR_TEST_PG_AS_SERVER="${as_server[*]}"
echo "with-postgres: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on $dir"
set +e
"$@"
status=$?
set -e
exit "$status"
