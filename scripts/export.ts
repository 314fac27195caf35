/**
 * `npm run export -- [--vectors] [--cache] <file | ->`: writes every exploration and collection
 * of the configured database (DATABASE_URL, or the embedded PGlite directory, as the app) as one
 * JSON dump; `-` writes to stdout. `--vectors` includes each chunk's vector (else the importer
 * embeds the chunks again); `--cache` includes the shared embeddings cache. A file appears only
 * when the export is complete: it is written as `<file>.partial` and renamed at the end.
 * Messages go to stderr, so stdout carries nothing but the dump.
 */
import { once } from "node:events";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { readConfig } from "../lib/config";
import { openDatabase } from "../lib/db/connection";
import { exportDump } from "../lib/transfer/export";

const usage = "Usage: npm run export -- [--vectors] [--cache] <file | ->";
const log = (message: string) => process.stderr.write(`${message}\n`);

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { vectors: { type: "boolean", default: false }, cache: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new Error(`Name one file to write, or - for stdout.\n${usage}`);
  const target = positionals[0];
  // openDatabase logs applied migrations with console.log: keep them out of a dump on stdout.
  console.log = (...args: unknown[]) => log(args.map(String).join(" "));

  const config = readConfig();
  const db = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: config.pgliteDir });
  const partial = `${target}.partial`;
  const stream = target === "-" ? process.stdout : fs.createWriteStream(partial);
  try {
    const write = async (text: string) => {
      if (!stream.write(text)) await once(stream, "drain");
    };
    const counts = await exportDump(db, write, { withVectors: values.vectors, withCache: values.cache });
    if (stream !== process.stdout) {
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      fs.renameSync(partial, target);
    }
    log(
      `[export] ${counts.explorations} explorations, ${counts.collections} collections (${counts.documents} documents, ` +
        `${counts.chunks} chunks, ${values.vectors ? "with" : "without"} vectors)` +
        `${values.cache ? `, ${counts.embeddings} cached embeddings` : ""} → ${target === "-" ? "stdout" : target}`,
    );
  } catch (error) {
    if (stream !== process.stdout) {
      stream.destroy();
      fs.rmSync(partial, { force: true });
    }
    throw error;
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  log(`[export] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
