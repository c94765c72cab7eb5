#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster on a Unix socket in a temp dir.
# The cluster is stopped and removed afterwards, also when the command fails.
set -euo pipefail
pgbin="${SIA_PG_BIN:-/usr/lib/postgresql/15/bin}"
tmp="$(mktemp -d /tmp/sia-pg.XXXXXX)"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  chown postgres: "$tmp"
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
"${as_owner[@]}" "$pgbin/initdb" -D "$tmp/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w \
  -o "-k $tmp -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') berjalan di soket $tmp"
export DATABASE_URL="postgres://postgres@/sia?host=$tmp"
"$@"
