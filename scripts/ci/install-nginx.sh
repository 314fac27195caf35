#!/usr/bin/env bash
# Installs Debian's nginx-light: the reverse proxy the deployment tests put in front of the app
# (tests/support/nginx.ts starts its own instance as an ordinary process on a free port).
# The package's own service is kept from starting (policy-rc.d), so nothing listens on port 80.
# Idempotent: skips when nginx-light is installed.
set -euo pipefail
CI_LOG_TAG="install-nginx"
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$(readlink -f "$0")")/common.sh"

if pkg_installed nginx-light; then
  log "nginx-light already installed: nothing to do"
  exit 0
fi
ensure_root "$0" "$@"

start=$(date +%s)
policy=/usr/sbin/policy-rc.d
created_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=1
fi
trap '[ -n "$created_policy" ] && rm -f "$policy"' EXIT
apt_install nginx-light
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || die "nginx missing after installing nginx-light"
log "nginx-light installed in $(( $(date +%s) - start )) s"
