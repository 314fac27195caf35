import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Applies prisma/migrations/<name>/migration.sql in name order, each in its own transaction, and
 * records it in `_prisma_migrations` exactly as `prisma migrate deploy` would (checksum = SHA-256
 * of the file), so both tools agree about what has run. Needed because the Prisma CLI cannot run
 * migrations offline: it downloads a native engine first.
 */

/** The two things the runner needs from a driver: run a script, run a parameterised query. */
export interface SqlScriptRunner {
  exec(script: string): Promise<void>;
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export const migrationsDir = path.join(process.cwd(), "prisma", "migrations");

/** Arbitrary but fixed: serialises concurrent migrators on one PostgreSQL server. */
const advisoryLockKey = 7_261_128;

export function readMigrations(dir = migrationsDir): Migration[] {
  if (!fs.existsSync(/* turbopackIgnore: true */ dir)) throw new Error(`Migrations directory not found: ${dir}`);
  return fs
    .readdirSync(/* turbopackIgnore: true */ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Runs every migration not yet recorded and returns the names applied. Throws when a recorded
 * migration's file has changed since (committed migrations are never edited) or a previous run
 * failed half-way.
 */
export async function runMigrations(
  db: SqlScriptRunner,
  { lock, dir }: { lock: boolean; dir?: string },
): Promise<string[]> {
  const migrations = readMigrations(dir);
  if (lock) await db.query("SELECT pg_advisory_lock($1)", [advisoryLockKey]);
  try {
    await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const recorded = await db.query(
      `SELECT "migration_name", "checksum", "finished_at" FROM "_prisma_migrations"
       WHERE "rolled_back_at" IS NULL`,
    );
    const recordedByName = new Map(recorded.map((row) => [String(row.migration_name), row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const record = recordedByName.get(migration.name);
      if (record) {
        if (record.finished_at === null) {
          throw new Error(`Migration ${migration.name} failed earlier and was never finished; fix the database, then mark it rolled back.`);
        }
        if (record.checksum !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was edited after it was applied; add a new migration instead.`);
        }
        continue;
      }
      await applyMigration(db, migration);
      applied.push(migration.name);
    }
    return applied;
  } finally {
    if (lock) await db.query("SELECT pg_advisory_unlock($1)", [advisoryLockKey]);
  }
}

async function applyMigration(db: SqlScriptRunner, migration: Migration): Promise<void> {
  await db.exec("BEGIN");
  try {
    await db.exec(migration.sql);
    await db.query(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count")
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await db.exec("COMMIT");
  } catch (error) {
    await db.exec("ROLLBACK");
    throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
