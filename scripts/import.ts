/**
 * `npm run import -- [--replace] <file | ->`: reads a dump made by `npm run export` (`-` reads
 * stdin) into the configured database (DATABASE_URL, or the embedded PGlite directory, as the
 * app; migrations run first). The whole file is checked before the database is opened, so a bad
 * file writes nothing. Explorations and collections that already exist (same slug, same public id)
 * are skipped, or replaced with `--replace`; chunks without vectors are embedded again.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { readConfig } from "../lib/config";
import { openDatabase } from "../lib/db/connection";
import { parseDump } from "../lib/transfer/format";
import { importDump } from "../lib/transfer/import";

const usage = "Usage: npm run import -- [--replace] <file | ->";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { replace: { type: "boolean", default: false } }, allowPositionals: true });
  if (positionals.length !== 1) throw new Error(`Name one dump file to read, or - for stdin.\n${usage}`);
  const source = positionals[0];
  const dump = parseDump(fs.readFileSync(source === "-" ? 0 : source, "utf8"));

  const config = readConfig();
  const where = config.DATABASE_URL ? `PostgreSQL at ${new URL(config.DATABASE_URL).host}` : `PGlite in ${config.pgliteDir}`;
  const db = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: config.pgliteDir });
  try {
    const report = await importDump(db, dump, { replace: values.replace, log: (line) => console.log(`[import] ${line}`) });
    const { explorations: e, collections: c } = report;
    console.log(
      `[import] into ${where}: explorations ${e.inserted} new, ${e.replaced} replaced, ${e.skipped} skipped; ` +
        `collections ${c.inserted} new, ${c.replaced} replaced, ${c.skipped} skipped ` +
        `(${c.documents} documents, ${c.chunks} chunks, ${c.reembeddedChunks} re-embedded)` +
        `${dump.embeddings ? `; ${report.embeddings} cached embeddings offered` : ""}.`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`[import] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
