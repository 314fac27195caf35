#!/usr/bin/env bash
# Installs Debian's fonts-noto-cjk, so that headless Chromium draws Chinese and
# Japanese text (the browser tests of the Chinese example, screenshots, SVG and
# PNG exports) instead of empty boxes: a bare machine has no CJK font.
# Idempotent: skips when fontconfig already knows a Noto CJK face.
set -euo pipefail
CI_LOG_TAG="install-cjk-fonts"
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$(readlink -f "$0")")/common.sh"

# fc-list's whole output is read first: with pipefail, `fc-list | grep -q` fails when grep stops early.
has_cjk_font() { command -v fc-list >/dev/null 2>&1 && [[ "$(fc-list : family)" == *"Noto Sans CJK"* ]]; }

if has_cjk_font; then
  log "Noto Sans CJK already installed: nothing to do"
  exit 0
fi
ensure_root "$0" "$@"

start=$(date +%s)
apt_install fonts-noto-cjk
has_cjk_font || die "no Noto Sans CJK face after installing fonts-noto-cjk"
log "fonts-noto-cjk installed in $(( $(date +%s) - start )) s"
