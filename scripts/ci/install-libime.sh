#!/usr/bin/env bash
# Installs Debian's libime-bin (libime_prediction) and libime-data-language-model (the zh_CN
# word bigram table, LGPL-2.1+): the offline Chinese next-token model of /api/next-tokens. The
# app dumps the table to text into DATA_DIR at first use.
# Idempotent: skips when both packages are installed.
set -euo pipefail
CI_LOG_TAG="install-libime"
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$(readlink -f "$0")")/common.sh"

PACKAGES=(libime-bin libime-data-language-model)

if [ -z "$(missing_pkgs "${PACKAGES[@]}")" ]; then
  log "libime-bin and libime-data-language-model already installed: nothing to do"
  exit 0
fi
ensure_root "$0" "$@"

start=$(date +%s)
apt_install "${PACKAGES[@]}"
command -v libime_prediction >/dev/null 2>&1 || die "libime_prediction missing after installing libime-bin"
log "libime installed in $(( $(date +%s) - start )) s"
