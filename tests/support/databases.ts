import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connection";

/**
 * The backends storage tests run on: embedded PGlite always, a real PostgreSQL + pgvector when
 * TEST_DATABASE_URL is set (CI sets it). Each test file gets a database of its own.
 */
export interface TestBackend {
  name: "pglite" | "postgres";
  /** False when the backend is not configured here; its tests are skipped with a notice. */
  enabled: boolean;
  open(): Promise<TestDatabase>;
}

export interface TestDatabase {
  db: Database;
  /** Closes and deletes the database. */
  dispose(): Promise<void>;
}

const serverUrl = process.env.TEST_DATABASE_URL;

if (!serverUrl) {
  console.warn("NOTICE: TEST_DATABASE_URL is not set: tests against a real PostgreSQL + pgvector are skipped.");
}

export const pgliteBackend: TestBackend = {
  name: "pglite",
  enabled: true,
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-pglite-"));
    const db = await openDatabase({ pgliteDir: dir });
    return {
      db,
      async dispose() {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresBackend: TestBackend = {
  name: "postgres",
  enabled: Boolean(serverUrl),
  async open() {
    const { url, drop } = await createScratchDatabase(serverUrl!);
    const db = await openDatabase({ url });
    return {
      db,
      async dispose() {
        await db.close();
        await drop();
      },
    };
  },
};

export const testBackends = [pgliteBackend, postgresBackend];

/**
 * For the calling describe block: opens a scratch database on `backend` before its tests, hands it
 * to `opened`, and disposes of it after them. Does nothing when the backend is not configured
 * here (its tests are skipped).
 */
export function useScratchDatabase(backend: TestBackend, opened: (db: Database) => void): void {
  let handle: TestDatabase | undefined;
  beforeAll(async () => {
    if (!backend.enabled) return;
    handle = await backend.open();
    opened(handle.db);
  });
  afterAll(async () => handle?.dispose());
}

/**
 * Points the app's own database (lib/db/client opens DATABASE_URL, else PGLITE_DIR) at a new one on
 * `backend`, for tests that call route handlers; resolves to what deletes it. The caller closes the
 * app's database first.
 */
export async function pointAppDatabaseAt(backend: TestBackend, prefix: string): Promise<() => Promise<void>> {
  if (backend.name === "postgres") {
    const scratch = await createScratchDatabase(serverUrl!);
    process.env.DATABASE_URL = scratch.url;
    return scratch.drop;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.PGLITE_DIR = dir;
  return async () => fs.rmSync(dir, { recursive: true, force: true });
}

/** A new, empty database on the test server; `drop` removes it. */
export async function createScratchDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `notebook_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
