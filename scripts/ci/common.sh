# shellcheck shell=bash
# Helpers shared by the scripts in scripts/ci/. Source it, don't run it.
#
# Network policy: these scripts only ever talk to the Debian archive the
# machine's own apt sources point at (and .ci/run to the npm registry via npm).

PG_MAJOR=${PG_MAJOR:-15}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/$PG_MAJOR/bin}
PG_CONFIG=${PG_CONFIG:-$PG_BINDIR/pg_config}

# log "message": one short progress line on stderr, prefixed by the script name.
log() { printf '[%s] %s\n' "${CI_LOG_TAG:-$(basename "$0" .sh)}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Re-run the calling script as root (via passwordless sudo) when work needs root.
# Usage: ensure_root "$0" "$@"
ensure_root() {
  is_root && return 0
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    log "not root: re-running with sudo"
    exec sudo -n -E bash "$@"
  fi
  die "root is needed to install packages (run as root or give passwordless sudo)"
}

# pkg_installed NAME: true if dpkg has NAME fully installed.
pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

# missing_pkgs NAME...: prints the names that are not installed, space separated.
missing_pkgs() {
  local p out=()
  for p in "$@"; do pkg_installed "$p" || out+=("$p"); done
  printf '%s' "${out[*]:-}"
}

APT_GET=(apt-get -y -q -o Dpkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)

# apt_install NAME...: installs whatever is missing (no recommends). Tries the
# package lists already on the machine first, runs `apt-get update` only if
# that fails (empty or stale lists). Does nothing when all are present.
apt_install() {
  local missing
  missing=$(missing_pkgs "$@")
  if [ -z "$missing" ]; then
    log "packages already installed: $*"
    return 0
  fi
  is_root || die "root is needed to install: $missing"
  log "installing: $missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  if ! "${APT_GET[@]}" install --no-install-recommends $missing >/tmp/ci-apt-install.log 2>&1; then
    log "install from cached package lists failed; running apt-get update"
    "${APT_GET[@]}" update >/tmp/ci-apt-update.log 2>&1 \
      || { cat /tmp/ci-apt-update.log >&2; die "apt-get update failed"; }
    # shellcheck disable=SC2086
    "${APT_GET[@]}" install --no-install-recommends $missing >/tmp/ci-apt-install.log 2>&1 \
      || { tail -n 40 /tmp/ci-apt-install.log >&2; die "apt-get install failed: $missing"; }
  fi
  missing=$(missing_pkgs "$@")
  [ -z "$missing" ] || die "still missing after install: $missing"
}

# debian_mirror: prints the base URI of the machine's main Debian archive, read
# from its own apt sources (one-line .list and deb822 .sources files): the first
# enabled entry whose suite is exactly this release's codename (so not
# -security/-updates, and not third-party repos with their own suite names).
# Override with DEBIAN_MIRROR=... if needed.
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then printf '%s\n' "${DEBIAN_MIRROR%/}"; return 0; fi
  local codename files=() f uri
  codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || die "cannot read VERSION_CODENAME from /etc/os-release"
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || die "no apt sources found"
  uri=$(awk -v want="$codename" '
    function flush() {
      if (found) return
      if (types ~ /(^| )deb(-src)?( |$)/ && enabled !~ /^(no|false)$/) {
        ns = split(suites, s, " "); nu = split(uris, u, " ")
        for (i = 1; i <= ns; i++) if (s[i] == want) for (j = 1; j <= nu; j++) if (u[j] !~ /security/) { print u[j]; found = 1; exit }
      }
      types = uris = suites = field = ""; enabled = "yes"
    }
    BEGIN { enabled = "yes" }
    FNR == 1 { flush() }                         # new file: close the last paragraph
    FILENAME ~ /\.list$/ {                       # one-line format
      sub(/#.*/, ""); if ($0 !~ /^[ \t]*deb(-src)?[ \t]/) next
      line = $0; gsub(/\[[^]]*\]/, "", line); n = split(line, w, /[ \t]+/)
      k = (w[1] == "") ? 2 : 1
      if (w[k+2] == want && w[k+1] !~ /security/) { print w[k+1]; found = 1; exit }
      next
    }
    {                                            # deb822 format
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^#/) next
      if ($0 ~ /^[ \t]/) { val = $0 } else {
        field = tolower($0); sub(/:.*/, "", field); val = $0; sub(/^[^:]*:/, "", val)
      }
      gsub(/^[ \t]+|[ \t]+$/, "", val)
      if (field == "types") types = types " " val
      else if (field == "uris") uris = uris " " val
      else if (field == "suites") suites = suites " " val
      else if (field == "enabled") enabled = tolower(val)
    }
    END { if (!found) flush() }
  ' "${files[@]}")
  [ -n "$uri" ] || die "no Debian mirror for suite '$codename' in the apt sources (set DEBIAN_MIRROR)"
  printf '%s\n' "${uri%/}"
}
