import type { Database } from "./database";

/*
 * The rate-limit buckets shared by every server on one database (table "rate_limit_buckets",
 * lib/api/shared-rate-limit.ts). Time is the database's clock, so servers whose clocks differ
 * still refill a bucket at the same rate.
 */

/** Longest client key stored; longer ones (only `next dev` trusts a client's X-Forwarded-For) share the bucket of their first characters. */
export const maxClientKeyLength = 200;

/**
 * Takes one token from `client`'s bucket of `kind` in one atomic statement: the bucket refills at
 * `perMinute` per minute up to `perMinute` (a new bucket starts full), then gives a token when it
 * holds at least one. Concurrent requests of one client queue on its row, so no two take the same
 * token; different clients never wait for each other. Returns whether a token was taken and the
 * tokens left.
 */
export async function takeRateLimitToken(
  db: Database,
  { kind, client, perMinute }: { kind: string; client: string; perMinute: number },
): Promise<{ granted: boolean; tokens: number }> {
  const refilled = `LEAST($3::float8, "bucket"."tokens"
    + GREATEST(0, EXTRACT(EPOCH FROM "excluded"."updated_at" - "bucket"."updated_at")::float8) * $3::float8 / 60)`;
  const [row] = await db.query<{ granted: boolean; tokens: number }>(
    `INSERT INTO "rate_limit_buckets" AS "bucket" ("kind", "client", "tokens", "granted", "updated_at")
     VALUES ($1, $2, $3::float8 - 1, true, clock_timestamp())
     ON CONFLICT ("kind", "client") DO UPDATE SET
       "tokens" = CASE WHEN ${refilled} >= 1 THEN ${refilled} - 1 ELSE ${refilled} END,
       "granted" = ${refilled} >= 1,
       "updated_at" = GREATEST("bucket"."updated_at", "excluded"."updated_at")
     RETURNING "granted", "tokens"`,
    [kind, client.slice(0, maxClientKeyLength), perMinute],
  );
  return { granted: row.granted, tokens: Number(row.tokens) };
}

/**
 * Deletes buckets untouched for a minute: by then any bucket has refilled completely, exactly as
 * if it had no row, so no answer changes. Returns how many were deleted.
 */
export async function pruneRateLimitBuckets(db: Database): Promise<number> {
  const rows = await db.query<{ count: number }>(
    `WITH "pruned" AS (
       DELETE FROM "rate_limit_buckets" WHERE "updated_at" < clock_timestamp() - interval '60 seconds' RETURNING 1)
     SELECT count(*)::int AS "count" FROM "pruned"`,
    [],
  );
  return rows[0].count;
}
