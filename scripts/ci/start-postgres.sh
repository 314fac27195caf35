#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests and prints its connection URL.
#
# Usage: start-postgres.sh [--dir DIR] [--url-file FILE] [FILE]
#   --dir DIR       cluster directory (default: a new /tmp/pgci.XXXXXX). If DIR
#                   already holds a cluster made by this script it is reused:
#                   started if stopped, left alone if running.
#   --url-file FILE also write the URL (one line) to FILE (a bare FILE argument
#                   means the same).
# stdout: exactly one line, postgresql://USER:PASS@127.0.0.1:PORT/DB
# stderr: progress lines, including the cluster dir to give to stop-postgres.sh.
#
# The cluster listens on 127.0.0.1 only, on a free port (never assumes 5432),
# with its Unix socket inside DIR. USER is a superuser with a password, so
# `CREATE EXTENSION vector` works. Durability is off (fsync etc.): test data only.
# As root, the server runs as the postgres user (initdb refuses root).
#
# Env: PGCI_DB (default notebook_test), PGCI_USER (default notebook),
#      PG_MAJOR (default 15).
set -euo pipefail
CI_LOG_TAG="start-postgres"
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$(readlink -f "$0")")/common.sh"

DB=${PGCI_DB:-notebook_test}
DBUSER=${PGCI_USER:-notebook}
dir="" url_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --url-file) url_file=${2:?--url-file needs a value}; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) url_file=$1; shift ;;
  esac
done

[ -x "$PG_BINDIR/initdb" ] || die "$PG_BINDIR/initdb not found: run scripts/ci/install-postgres.sh"

# as_pg CMD...: run as the postgres user when we are root, else as ourselves.
as_pg() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}

port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

pick_port() {
  local p n
  for ((n = 0; n < 200; n++)); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))  # below the ephemeral range
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free TCP port found"
}

write_url_file() {
  [ -n "$url_file" ] || return 0
  local tmp
  tmp=$(mktemp "$(dirname "$url_file")/.pgurl.XXXXXX")
  printf '%s\n' "$1" > "$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$url_file"
  log "URL written to $url_file"
}

running() { as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

wait_ready() {
  local n
  for ((n = 0; n < 120; n++)); do
    "$PG_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$1" -d postgres && return 0
    sleep 0.5
  done
  return 1
}

# start_server: start on the port in ci.conf, moving to another free port if
# that one is taken (a race with another process); sets $port.
start_server() {
  local n logsize
  for ((n = 0; n < 5; n++)); do
    port=$(sed -n 's/^port = //p' "$dir/data/ci.conf")
    if port_in_use "$port"; then
      port=$(pick_port)
      sed -i "s/^port = .*/port = $port/" "$dir/data/ci.conf"
    fi
    log "starting server on 127.0.0.1:$port"
    logsize=$(stat -c %s "$dir/postgres.log" 2>/dev/null || echo 0)
    if as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null 2>&1 \
       && wait_ready "$port"; then
      return 0
    fi
    # Only look at what this attempt logged.
    if tail -c +"$((logsize + 1))" "$dir/postgres.log" 2>/dev/null \
       | grep -q 'could not bind\|Address already in use\|could not create any TCP/IP sockets'; then
      log "port $port was taken; retrying"
      as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
      sed -i "s/^port = .*/port = $(pick_port)/" "$dir/data/ci.conf"
      continue
    fi
    tail -n 30 "$dir/postgres.log" >&2 || true
    die "server did not start (log: $dir/postgres.log)"
  done
  die "server did not start after 5 attempts"
}

# --- reuse an existing cluster made by this script -------------------------
if [ -n "$dir" ] && [ -f "$dir/.pgci-cluster" ] && [ -f "$dir/data/PG_VERSION" ]; then
  dir=$(readlink -f "$dir")
  if running && [ -f "$dir/url" ] && wait_ready "$(sed -n 's/^port = //p' "$dir/data/ci.conf")"; then
    log "cluster in $dir already running"
  else
    start_server
    password=$(cat "$dir/password")
    printf 'postgresql://%s:%s@127.0.0.1:%s/%s\n' "$DBUSER" "$password" "$port" "$DB" > "$dir/url"
  fi
  url=$(cat "$dir/url")
  write_url_file "$url"
  log "cluster dir: $dir"
  printf '%s\n' "$url"
  exit 0
fi

# --- new cluster -------------------------------------------------------------
start=$(date +%s)
if [ -z "$dir" ]; then
  dir=$(mktemp -d /tmp/pgci.XXXXXX)
else
  mkdir -p "$dir"
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty and holds no cluster made by this script"
fi
dir=$(readlink -f "$dir")
touch "$dir/.pgci-cluster"
mkdir -p "$dir/socket"
password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$password" > "$dir/password"
chmod 700 "$dir"
chmod 600 "$dir/password"
if is_root; then
  id postgres >/dev/null 2>&1 || die "no postgres user (is postgresql-$PG_MAJOR installed?)"
  chown -R postgres: "$dir"
fi

locale=C
locale -a 2>/dev/null | grep -qix 'C.utf-\?8' && locale=C.UTF-8
log "initdb in $dir/data"
as_pg "$PG_BINDIR/initdb" -D "$dir/data" -U postgres -E UTF8 --locale="$locale" \
  --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

as_pg tee "$dir/data/ci.conf" >/dev/null <<EOF
# written by scripts/ci/start-postgres.sh: throwaway test cluster
listen_addresses = '127.0.0.1'
port = $(pick_port)
unix_socket_directories = '$dir/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
maintenance_work_mem = '512MB'
max_connections = 200
EOF
echo "include 'ci.conf'" | as_pg tee -a "$dir/data/postgresql.conf" >/dev/null

start_server

log "creating superuser role $DBUSER and database $DB"
as_pg "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres \
  -v u="$DBUSER" -v p="$password" -v d="$DB" >/dev/null <<'SQL'
CREATE ROLE :"u" LOGIN SUPERUSER PASSWORD :'p';
CREATE DATABASE :"d" OWNER :"u";
SQL

url="postgresql://$DBUSER:$password@127.0.0.1:$port/$DB"
# Check the URL itself works (TCP + password), as the tests will use it.
"$PG_BINDIR/psql" -X -q -At "$url" -c 'SELECT 1' >/dev/null || die "cannot connect with $url"
as_pg tee "$dir/url" >/dev/null <<<"$url"
write_url_file "$url"
log "ready in $(( $(date +%s) - start )) s; cluster dir: $dir (stop with scripts/ci/stop-postgres.sh $dir)"
printf '%s\n' "$url"
