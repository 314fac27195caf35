import { AppError } from "../api/errors";
import { getDatabase } from "../db/client";
import { readMigrations } from "../db/migrate";
import { builtInModelIds, resolveModel } from "../embeddings/registry";

/**
 * What a load balancer or orchestrator asks before sending a server traffic: is the database
 * reachable, are its migrations applied, can the built-in models run, and is the server not
 * shutting down. Nothing secret goes in: no addresses, no connection strings, only what failed.
 */

export interface ReadinessCheck {
  name: "database" | "migrations" | "models" | "shutdown";
  ok: boolean;
  detail: string;
}

/** Set by the production server (scripts/serve.mjs) on SIGTERM: from then on the server reports not ready. */
const shutdownFlag = globalThis as unknown as { embeddingsNotebookShuttingDown?: boolean };

/** How long the database may take to answer before it counts as unreachable. */
const databaseTimeoutMs = 3_000;

export async function checkReadiness(): Promise<{ ready: boolean; checks: ReadinessCheck[] }> {
  const checks: ReadinessCheck[] = [
    shutdownFlag.embeddingsNotebookShuttingDown
      ? { name: "shutdown", ok: false, detail: "The server is shutting down: requests in flight are finishing." }
      : { name: "shutdown", ok: true, detail: "Not shutting down." },
    ...(await checkDatabase()),
    checkModels(),
  ];
  return { ready: checks.every((check) => check.ok), checks };
}

async function checkDatabase(): Promise<ReadinessCheck[]> {
  try {
    const applied = await withTimeout(
      (async () => {
        const db = await getDatabase();
        return db.prisma.$queryRaw<{ name: string }[]>`
          SELECT "migration_name" AS "name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
      })(),
      databaseTimeoutMs,
    );
    const names = new Set(applied.map((row) => row.name));
    const pending = readMigrations().filter((migration) => !names.has(migration.name));
    return [
      { name: "database", ok: true, detail: "Reachable." },
      pending.length === 0
        ? { name: "migrations", ok: true, detail: `All ${names.size} applied.` }
        : { name: "migrations", ok: false, detail: `Not applied yet: ${pending.map((migration) => migration.name).join(", ")}.` },
    ];
  } catch (error) {
    // An AppError says what to do itself, e.g. that the embedded database's files are damaged and how to recover.
    const detail =
      error instanceof TimeoutError
        ? `No answer within ${databaseTimeoutMs / 1000} s (it may still be opening).`
        : error instanceof AppError
          ? error.message
          : "Not reachable, or could not be opened; the server log says why.";
    if (!(error instanceof TimeoutError || error instanceof AppError)) console.error("[ready] database check failed:", error);
    return [
      { name: "database", ok: false, detail },
      { name: "migrations", ok: false, detail: "Unknown while the database is not reachable." },
    ];
  }
}

function checkModels(): ReadinessCheck {
  const ids = builtInModelIds();
  const unavailable = ids.filter((id) => !resolveModel(id).info().available);
  return unavailable.length === 0
    ? { name: "models", ok: true, detail: `Built-in models available: ${ids.join(", ")}.` }
    : { name: "models", ok: false, detail: `Not available: ${unavailable.join(", ")} (GET /api/models says why).` };
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError()), ms);
    }),
  ]);
}
