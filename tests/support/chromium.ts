import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium (scripts/ci/install-chromium.sh); browser tests are skipped, with a notice, where it is missing. */
export const chromiumPath = "/usr/bin/chromium";
export const hasChromium = fs.existsSync(chromiumPath);

/** Headless Chromium as every browser test runs it: no GPU, no sandbox, nothing that goes online by itself. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
