import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { ModelWorker } from "../embeddings/model-worker";
import type { Database } from "./database";
import { runMigrations } from "./migrate";

/**
 * Where a database's word-model vocabularies live (vocabulary-queries.ts reads and writes them only
 * through this). On PostgreSQL: the database itself; building the HNSW index there runs in the
 * server's processes, and other connections keep answering.
 *
 * On PGlite the server's database is one WASM session on the server's own thread: a 40–75 s
 * `CREATE INDEX` there leaves every other request waiting. So with `pgliteWorker` the vocabularies
 * get an embedded database of their own, a second PGlite in a worker thread (vocabulary.worker.mjs)
 * in the `vocabulary` folder of the main data directory (in memory when the main one is): the build
 * runs on another core and holds no session the server needs. The same migrations give it the same
 * tables. Two PGlite instances cannot share one directory, so an index built elsewhere cannot be
 * attached to the main database; and growing the index row by row in bounded steps costs ~4× the
 * bulk build (BENCHMARKS.md, issue 14 finding 8).
 */
export interface VocabularyStore {
  /** The SQL to write with: `pglite` takes a binary COPY from a blob, `postgres` an INSERT from arrays. */
  kind: "postgres" | "pglite";
  /** True when a long statement here stalls the server's other requests (the main PGlite). */
  sharesServerSession: boolean;
  /** False while the store certainly holds nothing (its own database not created yet), so status checks need not create it. */
  mayHoldData(): boolean;
  /** Creates or opens the store's database if it has one of its own; queries do that too, on first use. */
  open(): Promise<void>;
  query<Row>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Runs the statements as one transaction; a statement's `copy` is the data of its `COPY … FROM '/dev/blob'` (PGlite only). */
  transaction(statements: VocabularyStatement[]): Promise<void>;
  /** Statements (`;`-separated, so `SET LOCAL` applies) as one transaction without a query timeout: index builds. */
  runMaintenance(statements: string): Promise<void>;
}

export interface VocabularyStatement {
  text: string;
  values?: unknown[];
  copy?: Uint8Array<ArrayBuffer>;
}

/** `pgliteWorker`: PGlite keeps its vocabularies in the worker's database (false: in the main one, as before; tests compare both). */
export const vocabularyStoreOptions = { pgliteWorker: true };

/**
 * On globalThis, like the database itself (client.ts): a dev-mode reload of this module must not
 * open the vocabulary's directory a second time, which PGlite does not survive.
 */
const cache = globalThis as unknown as { embeddingsNotebookVocabularyStores?: WeakMap<Database, VocabularyStore> };
const stores = (cache.embeddingsNotebookVocabularyStores ??= new WeakMap());

/** The database's vocabulary store, made on first use (the worker thread starts on the first query). */
export function vocabularyStore(db: Database): VocabularyStore {
  let store = stores.get(db);
  if (!store) {
    store = db.pglite && vocabularyStoreOptions.pgliteWorker ? workerStore(db, db.pglite) : serverStore(db);
    stores.set(db, store);
  }
  return store;
}

/** The vocabulary in the database itself. */
function serverStore(db: Database): VocabularyStore {
  return {
    kind: db.kind,
    sharesServerSession: db.kind === "pglite",
    mayHoldData: () => true,
    open: async () => {},
    query: <Row>(text: string, values: unknown[] = []) => db.query<Row>(text, values),
    async transaction(statements) {
      if (db.pglite) {
        await db.pglite.transaction(async (tx) => {
          for (const { text, values = [], copy } of statements) await tx.query(text, values, copy && { blob: new Blob([copy]) });
        });
        return;
      }
      await db.prisma.$transaction(statements.map(({ text, values = [] }) => db.prisma.$executeRawUnsafe(text, ...values)));
    },
    // Looked up on each call: tests replace db.runMaintenance to make a build fail.
    runMaintenance: (statements) => db.runMaintenance(statements),
  };
}

/** The vocabulary in a PGlite of its own, in a worker thread; closed with the main database. */
function workerStore(db: Database, main: PGlite): VocabularyStore {
  const mainDir = main.dataDir ?? "memory://";
  const dataDir = mainDir.startsWith("memory://") ? "memory://" : path.join(mainDir, "vocabulary");
  const inMemory = dataDir.startsWith("memory://");
  let opening: Promise<ModelWorker> | undefined;
  let migration: { crashes: number; done: Promise<void> } | undefined;

  async function start(): Promise<ModelWorker> {
    // The main session's settings (hnsw.ef_search, iterative scans, a benchmark's own) apply here too.
    const { rows } = await main.query<{ name: string; setting: string }>(`SELECT "name", "setting" FROM pg_settings WHERE "source" = 'session'`);
    const worker = new ModelWorker("lib/db/vocabulary.worker.mjs", { workerData: { dataDir, settings: rows.map((row) => [row.name, row.setting]) } });
    try {
      await migrated(worker);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return worker;
  }

  /** Applies the migrations once per thread: a thread that crashed restarts on its next call. */
  function migrated(worker: ModelWorker): Promise<void> {
    if (migration?.crashes !== worker.crashes) {
      const done = migrate(worker).catch((error: unknown) => {
        migration = undefined;
        throw error;
      });
      migration = { crashes: worker.crashes, done };
    }
    return migration.done;
  }

  async function migrate(worker: ModelWorker): Promise<void> {
    const applied = await runMigrations(
      {
        exec: async (sql) => void (await worker.request({ op: "exec", sql })),
        query: async (text, values) => (await worker.request<{ rows: Record<string, unknown>[] }>({ op: "query", text, values })).rows,
      },
      { lock: false },
    );
    for (const name of applied) console.log(`[db] vocabulary database (${dataDir}): applied migration ${name}`);
  }

  async function ready(): Promise<ModelWorker> {
    opening ??= start().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    const worker = await opening;
    // Its words went with the thread: answering from an empty database would be a silent wrong answer.
    if (inMemory && worker.crashes > 0) throw new Error("The in-memory vocabulary database's thread crashed and its words are gone; restart the server.");
    await migrated(worker);
    return worker;
  }

  const store: VocabularyStore = {
    kind: "pglite",
    sharesServerSession: false,
    mayHoldData: () => opening !== undefined || (!inMemory && fs.existsSync(/* turbopackIgnore: true */ path.join(dataDir, "PG_VERSION"))),
    open: async () => void (await ready()),
    query: async <Row>(text: string, values: unknown[] = []) => (await (await ready()).request<{ rows: Row[] }>({ op: "query", text, values })).rows,
    async transaction(statements) {
      const copies = statements.flatMap((statement) => (statement.copy ? [statement.copy.buffer] : []));
      await (await ready()).request({ op: "transaction", statements }, copies);
    },
    runMaintenance: async (sql) => void (await (await ready()).request({ op: "maintenance", sql })),
  };

  // Closed before the main database, so a test that deletes the directory afterwards finds nothing open.
  const closeMain = db.close;
  db.close = async () => {
    const worker = await opening?.catch(() => undefined);
    opening = undefined;
    if (worker?.running) await worker.request({ op: "close" }).catch(() => {});
    await worker?.terminate();
    await closeMain.call(db);
  };
  return store;
}
