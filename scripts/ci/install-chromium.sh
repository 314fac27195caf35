#!/usr/bin/env bash
# Installs Debian's chromium (for the browser tests, driven by playwright-core
# with executablePath /usr/bin/chromium). `npx playwright install` would try to
# download a browser, which is not possible here. Idempotent: skips when
# /usr/bin/chromium exists.
#
# No recommends (udev, upower, printing, ...), but fonts-liberation (a
# recommend) is added so pages render text with metric-compatible fonts.
set -euo pipefail
CI_LOG_TAG="install-chromium"
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$(readlink -f "$0")")/common.sh"

if [ -x /usr/bin/chromium ]; then
  log "chromium already installed: nothing to do"
  exit 0
fi
ensure_root "$0" "$@"

start=$(date +%s)
apt_install chromium fonts-liberation
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after install"
log "$(/usr/bin/chromium --version 2>/dev/null || echo chromium) installed in $(( $(date +%s) - start )) s"
