import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
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
  const client = await PGlite.create(dir, { extensions: { vector } });
  logApplied(await runMigrations(pgliteScriptRunner(client), { lock: false }));
  for (const [name, value] of Object.entries(session)) {
    await client.exec(`SET ${name} = '${value}'`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client), transactionOptions });
  const db: Database = {
    kind: "pglite",
    prisma,
    pglite: client,
    query: async <Row>(text: string, values: unknown[]) => (await client.query<Row>(text, values)).rows,
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
