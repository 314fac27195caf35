#!/usr/bin/env bash
# Stops a cluster made by start-postgres.sh and deletes its directory.
#
# Usage: stop-postgres.sh DIR [--keep]
#   --keep  stop the server but keep DIR (start-postgres.sh --dir DIR restarts it)
# Refuses to delete a directory that start-postgres.sh did not create (it looks
# for its marker file). Does nothing if DIR does not exist.
set -euo pipefail
CI_LOG_TAG="stop-postgres"
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$(readlink -f "$0")")/common.sh"

dir="" keep=0
for a in "$@"; do
  case "$a" in
    --keep) keep=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    -*) die "unknown option $a" ;;
    *) dir=$a ;;
  esac
done
[ -n "$dir" ] || die "usage: stop-postgres.sh DIR [--keep]"
if [ ! -e "$dir" ]; then log "$dir does not exist: nothing to do"; exit 0; fi
dir=$(readlink -f "$dir")
[ -f "$dir/.pgci-cluster" ] || die "$dir was not made by start-postgres.sh: not touching it"

as_pg() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}

if [ -f "$dir/data/postmaster.pid" ]; then
  log "stopping server in $dir"
  if ! as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
    log "fast shutdown failed; trying immediate"
    as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -m immediate -w -t 15 stop >/dev/null 2>&1 || true
  fi
  # Last resort: the postmaster pid recorded by the server itself.
  if [ -f "$dir/data/postmaster.pid" ]; then
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
       && grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
      log "killing postmaster $pid"
      kill -KILL "$pid" || true
      sleep 1
    fi
  fi
else
  log "server in $dir not running"
fi

if [ "$keep" = 1 ]; then
  log "kept $dir"
else
  rm -rf "$dir"
  log "removed $dir"
fi
