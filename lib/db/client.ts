import { readConfig } from "../config";
import { flushDeferredEmbeddings } from "../embeddings/service";
import { jobRunnerOf, startJobRunner } from "../jobs/runner";
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

/**
 * What the production server (scripts/serve.mjs, outside Next.js's module graph) calls on SIGTERM:
 * `handBackJobs` at once, the other two once the requests in flight have finished. Each waits for
 * a database still opening, and answers null or false when none is open (never opened, or it
 * could not be).
 */
export interface ShutdownHooks {
  /** Stops the job runner; resolves with how many running jobs it put back in the queue. */
  handBackJobs(): Promise<number | null>;
  /** Writes the embedding-cache rows still deferred (lib/embeddings/service.ts). */
  flushWrites(): Promise<boolean>;
  closeDatabase(): Promise<boolean>;
}

const shutdown = globalThis as unknown as { embeddingsNotebookShutdown?: ShutdownHooks };

/** The open database, waiting for one still opening; undefined when there is none. */
async function openedDatabase(): Promise<Database | undefined> {
  return cache.embeddingsNotebookDb?.catch(() => undefined);
}

shutdown.embeddingsNotebookShutdown = {
  async handBackJobs() {
    const db = await openedDatabase();
    return db ? ((await jobRunnerOf(db)?.handBack()) ?? 0) : null;
  },
  async flushWrites() {
    const db = await openedDatabase();
    if (db) await flushDeferredEmbeddings(db);
    return db !== undefined;
  },
  async closeDatabase() {
    const open = (await openedDatabase()) !== undefined;
    if (open) await closeDatabase();
    return open;
  },
};
