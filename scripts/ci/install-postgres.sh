#!/usr/bin/env bash
# Installs PostgreSQL 15 (Debian bookworm) and builds pgvector from Debian
# trixie's source package. Idempotent: every step is skipped when already done.
#
# Why trixie's *source* package: bookworm ships no pgvector package, trixie's
# binary .deb is built against trixie's libc/PostgreSQL 17, and the only network
# we may use is the Debian archive. The source package (pgvector 0.8.0) builds
# cleanly against bookworm's postgresql-server-dev-15.
#
# The trixie deb-src line lives in a private, throwaway apt list: the machine's
# apt configuration and package lists are not changed.
#
# Env: PGVECTOR_VERSION (default 0.8.0; another 0.8.x from trixie is accepted
# with a warning), DEBIAN_MIRROR (default: read from the machine's apt sources),
# PGVECTOR_SUITE (default trixie), PG_MAJOR (default 15).
set -euo pipefail
CI_LOG_TAG="install-postgres"
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$(readlink -f "$0")")/common.sh"

PGVECTOR_VERSION=${PGVECTOR_VERSION:-0.8.0}
PGVECTOR_SUITE=${PGVECTOR_SUITE:-trixie}
# Server + headers for PGXS, plus what building and unpacking a source package needs.
PACKAGES=("postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" make gcc libc6-dev dpkg-dev xz-utils)

pgvector_installed() {
  [ -x "$PG_CONFIG" ] || return 1
  local share lib
  share=$("$PG_CONFIG" --sharedir) && lib=$("$PG_CONFIG" --pkglibdir) || return 1
  [ -f "$share/extension/vector.control" ] && [ -f "$lib/vector.so" ]
}

pgvector_version() {
  sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$("$PG_CONFIG" --sharedir)/extension/vector.control"
}

start=$(date +%s)

if [ -z "$(missing_pkgs "${PACKAGES[@]}")" ] && pgvector_installed; then
  log "PostgreSQL $PG_MAJOR and pgvector $(pgvector_version) already installed: nothing to do"
  exit 0
fi
ensure_root "$0" "$@"

# 1. PostgreSQL server and build dependencies from the machine's own apt sources.
apt_install "${PACKAGES[@]}"
[ -x "$PG_CONFIG" ] || die "$PG_CONFIG missing after install"

# 2. pgvector from trixie's source package.
if pgvector_installed; then
  log "pgvector $(pgvector_version) already installed: skipping build"
else
  mirror=$(debian_mirror)
  log "building pgvector from $PGVECTOR_SUITE source package (mirror $mirror)"

  work=$(mktemp -d /var/tmp/pgvector-build.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  chmod 755 "$work"
  mkdir -p "$work/lists/partial" "$work/src"
  # Let apt's unprivileged download user write there (avoids the "unsandboxed" notice).
  if id _apt >/dev/null 2>&1; then chown _apt "$work/lists/partial" "$work/src"; fi

  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  opt=""
  [ -f "$keyring" ] && opt="[signed-by=$keyring] "
  printf 'deb-src %s%s %s main\n' "$opt" "$mirror" "$PGVECTOR_SUITE" > "$work/sources.list"

  # Private apt view: only our list, our own lists dir, no binary caches written.
  APT_PRIV=(-o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=/dev/null
            -o "Dir::State::Lists=$work/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)

  apt-get -q "${APT_PRIV[@]}" update >"$work/update.log" 2>&1 \
    || { cat "$work/update.log" >&2; die "apt-get update of the $PGVECTOR_SUITE source list failed"; }

  # Pick the source version: exactly $PGVECTOR_VERSION if listed, else the newest
  # of the same major.minor (with a warning).
  mapfile -t versions < <(apt-cache "${APT_PRIV[@]}" showsrc pgvector 2>/dev/null | sed -n 's/^Version: *//p' | sort -Vr)
  [ ${#versions[@]} -gt 0 ] || die "no pgvector source package in $PGVECTOR_SUITE"
  chosen=""
  for v in "${versions[@]}"; do
    up=${v#*:}; up=${up%-*}
    if [ "$up" = "$PGVECTOR_VERSION" ]; then chosen=$v; break; fi
  done
  if [ -z "$chosen" ]; then
    for v in "${versions[@]}"; do
      up=${v#*:}; up=${up%-*}
      case "$up" in "${PGVECTOR_VERSION%.*}".*) chosen=$v; break ;; esac
    done
    [ -n "$chosen" ] || die "pgvector $PGVECTOR_VERSION not in $PGVECTOR_SUITE (found: ${versions[*]})"
    log "WARNING: pgvector $PGVECTOR_VERSION not in $PGVECTOR_SUITE; using $chosen"
  fi
  log "downloading pgvector $chosen source"
  (cd "$work/src" && apt-get -q "${APT_PRIV[@]}" source --download-only "pgvector=$chosen" >"$work/source.log" 2>&1) \
    || { cat "$work/source.log" >&2; die "apt-get source pgvector failed"; }

  dsc=$(ls "$work/src"/pgvector_*.dsc)
  # The files were checked against the signed trixie Sources index by apt; the
  # uploader's OpenPGP signature cannot be checked without debian-keyring, so
  # dpkg-source only warns about it.
  (cd "$work/src" && dpkg-source -x "$dsc" pgvector >"$work/unpack.log" 2>&1) \
    || { cat "$work/unpack.log" >&2; die "dpkg-source -x failed"; }

  log "compiling (OPTFLAGS=\"\": no -march=native, portable binary)"
  # PG_CONFIG/OPTFLAGS on the command line override the Makefile's defaults.
  make -C "$work/src/pgvector" -j"$(nproc)" OPTFLAGS="" PG_CONFIG="$PG_CONFIG" >"$work/build.log" 2>&1 \
    || { tail -n 40 "$work/build.log" >&2; die "pgvector build failed"; }
  make -C "$work/src/pgvector" install OPTFLAGS="" PG_CONFIG="$PG_CONFIG" >"$work/install.log" 2>&1 \
    || { tail -n 40 "$work/install.log" >&2; die "pgvector install failed"; }
  pgvector_installed || die "pgvector files missing after make install"
  log "pgvector $(pgvector_version) installed into $("$PG_CONFIG" --pkglibdir)"
fi

log "done in $(( $(date +%s) - start )) s"
