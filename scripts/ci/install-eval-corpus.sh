#!/usr/bin/env bash
# Installs what `npm run eval:retrieval` builds its corpus and questions from, all Debian
# packages: man-db + groff-base (render manual pages to plain text), manpages (the Linux
# man-pages project's pages, the English corpus), manpages-zh (Chinese translations, the Chinese
# corpus) and wordnet-base (WordNet 3.0's synonym sets, for paraphrased questions).
# Idempotent: skips when all are installed. Without root (and no passwordless sudo) it says
# which packages are missing and the command that installs them, and fails.
set -euo pipefail
CI_LOG_TAG="install-eval-corpus"
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$(readlink -f "$0")")/common.sh"

PACKAGES=(man-db groff-base manpages manpages-zh wordnet-base)

missing=$(missing_pkgs "${PACKAGES[@]}")
if [ -z "$missing" ]; then
  log "${PACKAGES[*]} already installed: nothing to do"
  exit 0
fi
if ! is_root && ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
  die "missing Debian packages: $missing; install them with: sudo apt-get install --no-install-recommends $missing"
fi
ensure_root "$0" "$@"

start=$(date +%s)
apt_install "${PACKAGES[@]}"
[ -d /usr/share/man/zh_CN ] && [ -f /usr/share/wordnet/index.noun ] \
  || die "/usr/share/man/zh_CN or /usr/share/wordnet/index.noun missing after install"
log "$missing installed in $(( $(date +%s) - start )) s"
