import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { AppError } from "../api/errors";
import type { Database } from "./database";
import { PrismaClient } from "./generated/prisma/client";
import { scheduleIndexing, stopIndexing } from "./embedding-index";
import { runMigrations, type SqlScriptRunner } from "./migrate";
import { flushEmbeddingWrites } from "./queries";

/** Where the data lives: a PostgreSQL server, or an embedded PGlite directory (`memory://` for RAM). */
export type DatabaseTarget = { url: string } | { pgliteDir: string };

export type { Database } from "./database";

/**
 * Set for every session, on both backends. Filtered HNSW scans (by model) must not stop short of
 * k rows: iterative scans keep walking the graph until enough rows pass the filter. `ef_search`
 * 80 (pgvector's default is 40): on GloVe's 100k words recall@10 is 0.97 at 80 against 0.95 at 40,
 * for ~0.3 ms more per query; see BENCHMARKS.md, "Search".
 */
const sessionSettings: Record<string, string> = { "hnsw.iterative_scan": "relaxed_order", "hnsw.ef_search": "80" };

/**
 * A server that stops answering (frozen, unreachable network) must not hang requests: connecting
 * gives up after 5 s and a query after 60 s, and both become a 503 like a refused connection.
 */
const connectTimeoutMs = 5_000;
const queryTimeoutMs = 60_000;

/**
 * Prisma's interactive transactions give up after 5 s by default: storing one document of 1,640
 * chunks takes 7–10 s on PostgreSQL while another server stores one too (the HNSW inserts), and
 * was answered 500. A transaction may run as long as a query may; waiting for a connection to
 * start one, as long as connecting may.
 */
const transactionOptions = { maxWait: connectTimeoutMs, timeout: queryTimeoutMs };

export interface OpenDatabaseOptions {
  /**
   * Session settings on top of the defaults (`hnsw.iterative_scan`, `hnsw.ef_search`), for every
   * connection, e.g. `{ "hnsw.ef_search": "80" }`; benchmarks use it to compare settings.
   */
  settings?: Record<string, string>;
}

/** Opens the database and applies pending migrations, so callers always see the current schema. */
export async function openDatabase(target: DatabaseTarget, { settings = {} }: OpenDatabaseOptions = {}): Promise<Database> {
  const session = { ...sessionSettings, ...settings };
  const db = await ("url" in target ? openPostgres(target.url, session) : openPglite(target.pgliteDir, session));
  scheduleIndexing(db); // rows left unindexed by an earlier run, or by a migration
  return db;
}

async function openPostgres(url: string, session: Record<string, string>): Promise<Database> {
  const options = Object.entries(session)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(" ");
  const migrationClient = new pg.Client({ connectionString: url, options, connectionTimeoutMillis: connectTimeoutMs });
  await migrationClient.connect();
  try {
    logApplied(await runMigrations(pgScriptRunner(migrationClient), { lock: true }));
  } finally {
    await migrationClient.end();
  }
  const pool = new pg.Pool({ connectionString: url, options, max: 10, connectionTimeoutMillis: connectTimeoutMs, query_timeout: queryTimeoutMs });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions });
  const db: Database = {
    kind: "postgres",
    prisma,
    query: async <Row>(text: string, values: unknown[]) => (await pool.query(text, values)).rows as Row[],
    async copyIn({ setup, table, rows, finish }) {
      const client = await pool.connect();
      try {
        await client.query(`BEGIN; ${setup}`);
        await pipeline(Readable.from([rows]), client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT binary)`)));
        const finished = await client.query(finish);
        await client.query("COMMIT");
        return finished.rowCount ?? 0;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async runMaintenance(statements) {
      const client = new pg.Client({ connectionString: url, options, connectionTimeoutMillis: connectTimeoutMs });
      await client.connect();
      try {
        // On failure the session ends in an aborted transaction, rolled back when it closes.
        await client.query(`BEGIN; ${statements}; COMMIT;`);
      } finally {
        await client.end();
      }
    },
    async close() {
      await stopIndexing(db);
      await flushEmbeddingWrites(db);
      await prisma.$disconnect();
      await pool.end();
    },
  };
  return db;
}

async function openPglite(dir: string, session: Record<string, string>): Promise<Database> {
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const client = await createPglite(dir);
  try {
    logApplied(await runMigrations(pgliteScriptRunner(client), { lock: false }));
  } catch (error) {
    await client.close().catch(() => {});
    // A table PostgreSQL cannot read (XX001 data_corrupted, 58P01 a file missing, …): damaged files.
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && /^(XX|58)/.test(code)) throw unopenable(dir, error);
    throw error;
  }
  for (const [name, value] of Object.entries(session)) {
    await client.exec(`SET ${name} = '${value}'`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client), transactionOptions });
  const db: Database = {
    kind: "pglite",
    prisma,
    pglite: client,
    query: async <Row>(text: string, values: unknown[]) => (await client.query<Row>(text, values)).rows,
    copyIn: ({ setup, table, rows, finish }) =>
      client.transaction(async (tx) => {
        await tx.exec(setup);
        await tx.query(`COPY ${table} FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob: new Blob([rows]) });
        return (await tx.query(finish)).affectedRows ?? 0;
      }),
    async runMaintenance(statements) {
      // PGlite has one session for everything: `transaction` holds it until COMMIT or ROLLBACK, so
      // no request queued behind a failing build runs inside its aborted transaction.
      await client.transaction((tx) => tx.exec(statements));
    },
    async close() {
      await stopIndexing(db);
      await flushEmbeddingWrites(db);
      await prisma.$disconnect();
      await client.close();
    },
  };
  return db;
}

/**
 * Why embedded database directories could not be opened, by path: trying again gives the same
 * answer and costs ~0.5 s and ~10 MB of memory each time (measured), so a directory is not tried
 * again until another takes its place (moved aside, restored).
 */
const unopenableDirs = new Map<string, { inode: number; error: AppError }>();

/**
 * Opens PGlite's files. Their damage (files truncated or overwritten; measured: PGlite.create
 * rejects within 0.2–2 s, "PGlite failed to initialize properly" or a WebAssembly abort, and
 * leaves the files as they were) becomes an `unavailable:database` error that says how to recover.
 */
async function createPglite(dir: string): Promise<PGlite> {
  const known = unopenableDirs.get(dir);
  if (known && known.inode === inodeOf(dir)) throw known.error;
  try {
    return await PGlite.create(dir, { extensions: { vector } });
  } catch (error) {
    // The file system's own refusal (permissions, a full disk) says more than "damaged" would.
    if (typeof (error as { code?: unknown }).code === "string" && /^E[A-Z]+$/.test((error as { code: string }).code)) throw error;
    throw unopenable(dir, error);
  }
}

function inodeOf(dir: string): number {
  return dir.startsWith("memory://") ? 0 : (fs.statSync(dir, { throwIfNoEntry: false })?.ino ?? -1);
}

/**
 * The digest of the error a page throws when the embedded database cannot be opened: Next.js
 * sends the browser a server error's digest, never its message, so app/error.tsx tells it by this.
 */
export const unopenableDatabaseDigest = "unavailable:database-files";

/** Logs, once per directory, what cannot be opened and how to recover; the error every request then gets. */
function unopenable(dir: string, cause: unknown): AppError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  console.error(
    `[db] The embedded database in ${dir} (PGLITE_DIR) cannot be opened: its files are damaged or incomplete (${reason}). ` +
      `Every request that needs it answers 503 until it can. To recover: stop the server; move the directory aside ` +
      `(mv "${dir}" "${dir}.damaged"), which keeps it for a closer look; start the server, which creates an empty database ` +
      `there; then load your latest dump, made with \`npm run export\`, with \`npm run import -- <file>\`.`,
  );
  const error = new AppError(
    "unavailable:database",
    "The embedded database (PGLITE_DIR) cannot be opened: its files are damaged or incomplete. To recover, stop the server, " +
      "move the directory aside, start the server again (it creates an empty database) and load your latest dump made with " +
      "`npm run export` through `npm run import -- <file>`; the server log names the directory.",
    { cause },
  );
  unopenableDirs.set(dir, { inode: inodeOf(dir), error });
  return Object.assign(error, { digest: unopenableDatabaseDigest });
}

function logApplied(names: string[]): void {
  for (const name of names) console.log(`[db] applied migration ${name}`);
}

function pgScriptRunner(client: pg.Client): SqlScriptRunner {
  return {
    exec: async (script) => void (await client.query(script)),
    query: async (text, params) => (await client.query(text, params)).rows,
  };
}

function pgliteScriptRunner(client: PGlite): SqlScriptRunner {
  return {
    exec: async (script) => void (await client.exec(script)),
    query: async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows,
  };
}
