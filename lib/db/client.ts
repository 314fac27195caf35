import { readConfig } from "../config";
import { startJobRunner } from "../jobs/runner";
import { openDatabase, type Database } from "./connection";

/**
 * The process-wide database, opened (and migrated) on first use, never at import: `next build`
 * imports route modules. Cached on globalThis so dev-mode reloads don't open PGlite twice. Its
 * job runner (lib/jobs/runner.ts) starts with it, resuming jobs a previous process left running,
 * and stops when it closes.
 */
const cache = globalThis as unknown as { embeddingsNotebookDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  if (!cache.embeddingsNotebookDb) {
    const config = readConfig();
    const target = config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: config.pgliteDir };
    cache.embeddingsNotebookDb = openDatabase(target)
      .then(async (db) => {
        await startJobRunner(db);
        return db;
      })
      .catch((error) => {
        cache.embeddingsNotebookDb = undefined; // let the next request try again
        throw error;
      });
  }
  return cache.embeddingsNotebookDb;
}

/** Closes the process-wide database (tests, scripts). */
export async function closeDatabase(): Promise<void> {
  const pending = cache.embeddingsNotebookDb;
  cache.embeddingsNotebookDb = undefined;
  if (pending) await (await pending).close();
}
