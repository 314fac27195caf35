import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/prisma/client";
import { runMigrations, type SqlScriptRunner } from "./migrate";

/** Where the data lives: a PostgreSQL server, or an embedded PGlite directory (`memory://` for RAM). */
export type DatabaseTarget = { url: string } | { pgliteDir: string };

/** An open database: Prisma for queries, plus what it runs on. */
export interface Database {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  close(): Promise<void>;
}

/**
 * Filtered HNSW scans (by model) must not stop short of k rows: iterative scans keep walking the
 * graph until enough rows pass the filter. Set for every session, on both backends.
 */
const sessionSettings = { "hnsw.iterative_scan": "relaxed_order" };

/**
 * A server that stops answering (frozen, unreachable network) must not hang requests: connecting
 * gives up after 5 s and a query after 60 s, and both become a 503 like a refused connection.
 */
const connectTimeoutMs = 5_000;
const queryTimeoutMs = 60_000;

/** Opens the database and applies pending migrations, so callers always see the current schema. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return "url" in target ? openPostgres(target.url) : openPglite(target.pgliteDir);
}

async function openPostgres(url: string): Promise<Database> {
  const options = Object.entries(sessionSettings)
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
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: "postgres",
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dir: string): Promise<Database> {
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir, { extensions: { vector } });
  logApplied(await runMigrations(pgliteScriptRunner(client), { lock: false }));
  for (const [name, value] of Object.entries(sessionSettings)) {
    await client.exec(`SET ${name} = '${value}'`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  return {
    kind: "pglite",
    prisma,
    async close() {
      await prisma.$disconnect();
      await client.close();
    },
  };
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
