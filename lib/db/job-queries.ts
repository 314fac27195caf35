import type { Database } from "./database";
import { Prisma, type Job } from "./generated/prisma/client";

/**
 * Queries of the background jobs (lib/jobs/). Every write a runner makes is guarded by its lease
 * (`lease_owner`): a runner that lost its job to another server changes nothing any more.
 */

export type JobRow = Job;

export interface NewJobItem {
  label: string | null;
  input: Prisma.InputJsonObject;
}

export interface JobItemRow {
  position: number;
  label: string | null;
  units: number | null;
  result: Prisma.JsonObject | null;
}

export interface PendingJobItem extends JobItemRow {
  input: Prisma.JsonObject;
  /** When an earlier run began this item; null if none did. */
  attemptedAt: Date | null;
}

/** Items written per statement: a job of 1,000 documents of 50 KB is 10 statements of ~5 MB. */
const itemsPerInsert = 100;

/** Makes a queued job and its items, in one transaction. */
export async function insertJob(
  db: Database,
  { publicId, kind, collectionId, params, items }: { publicId: string; kind: string; collectionId: bigint | null; params: Prisma.InputJsonObject; items: NewJobItem[] },
): Promise<JobRow> {
  return db.prisma.$transaction(async (tx) => {
    const job = await tx.job.create({ data: { publicId, kind, collectionId, params, itemsTotal: items.length } });
    for (let start = 0; start < items.length; start += itemsPerInsert) {
      await tx.jobItem.createMany({
        data: items.slice(start, start + itemsPerInsert).map((item, i) => ({ jobId: job.id, position: start + i, label: item.label, input: item.input })),
      });
    }
    return job;
  });
}

/** Finished jobs kept per collection (unfinished ones are all kept). */
export const keptFinishedJobs = 20;

/** Deletes a collection's finished jobs except the `keep` most recent. */
export async function pruneFinishedJobs(db: Database, { collectionId, keep = keptFinishedJobs }: { collectionId: bigint; keep?: number }): Promise<void> {
  await db.prisma.$executeRaw`
    DELETE FROM "jobs" WHERE "id" IN (
      SELECT "id" FROM "jobs"
      WHERE "collection_id" = ${collectionId} AND "state" IN ('done', 'failed', 'cancelled')
      ORDER BY "id" DESC OFFSET ${keep})`;
}

export async function getJobByPublicId(db: Database, { collectionId, publicId }: { collectionId: bigint; publicId: string }): Promise<JobRow | null> {
  return db.prisma.job.findFirst({ where: { publicId, collectionId } });
}

/** A collection's jobs, newest first; `unfinished` keeps only queued and running ones. */
export async function listJobs(db: Database, { collectionId, limit, unfinished = false }: { collectionId: bigint; limit: number; unfinished?: boolean }): Promise<JobRow[]> {
  return db.prisma.job.findMany({
    where: { collectionId, ...(unfinished ? { state: { in: ["queued", "running"] } } : {}) },
    orderBy: { id: "desc" },
    take: limit,
  });
}

/** Every item of a job with its result (null while pending), in order; inputs are left out. */
export async function listJobItems(db: Database, { jobId }: { jobId: bigint }): Promise<JobItemRow[]> {
  const rows = await db.prisma.jobItem.findMany({
    where: { jobId },
    orderBy: { position: "asc" },
    select: { position: true, label: true, units: true, result: true },
  });
  return rows.map((row) => ({ ...row, result: row.result as Prisma.JsonObject | null }));
}

/** Up to `limit` items still waiting for a result, after `afterPosition`, in order. */
export async function listPendingJobItems(
  db: Database,
  { jobId, afterPosition, limit }: { jobId: bigint; afterPosition: number; limit: number },
): Promise<PendingJobItem[]> {
  const rows = await db.prisma.jobItem.findMany({
    where: { jobId, result: { equals: Prisma.DbNull }, position: { gt: afterPosition } },
    orderBy: { position: "asc" },
    take: limit,
  });
  return rows.map((row) => ({
    position: row.position,
    label: row.label,
    units: row.units,
    result: null,
    input: row.input as Prisma.JsonObject,
    attemptedAt: row.attemptedAt,
  }));
}

/** Items done and their units, counted from the items themselves (what a new run starts from). */
export async function countCompletedJobItems(db: Database, { jobId }: { jobId: bigint }): Promise<{ items: number; units: number }> {
  const [row] = await db.prisma.$queryRaw<{ items: bigint; units: bigint | null }[]>`
    SELECT count(*) AS "items", sum(coalesce("units", 0)) AS "units"
    FROM "job_items" WHERE "job_id" = ${jobId} AND "result" IS NOT NULL`;
  return { items: Number(row.items), units: Number(row.units ?? 0) };
}

/**
 * Claims the oldest job of these kinds that is queued, or running under an expired lease (its
 * server died), for `owner` for `leaseMs`. SKIP LOCKED: runners claiming at the same moment take
 * different jobs, and the claim of one re-checks the row the other has just taken.
 */
/**
 * Claims the oldest job a runner of `kinds` on `host` may run: queued, or running on an expired
 * lease. A job whose params name a `fileHost` (an import, whose file is on the disk of the server
 * that received it) is claimed only by runners on that host.
 */
export async function claimJob(db: Database, { owner, leaseMs, kinds, host }: { owner: string; leaseMs: number; kinds: string[]; host: string }): Promise<JobRow | null> {
  const claimed = await db.prisma.$queryRaw<{ id: bigint }[]>`
    UPDATE "jobs" SET
      "state" = 'running', "lease_owner" = ${owner}, "lease_expires_at" = now() + ${leaseMs} * interval '1 millisecond',
      "attempts" = "attempts" + 1, "started_at" = coalesce("started_at", now()), "run_started_at" = now(), "heartbeat_at" = now()
    WHERE "id" = (
      SELECT "id" FROM "jobs"
      WHERE ("state" = 'queued' OR ("state" = 'running' AND "lease_expires_at" < now())) AND "kind" = ANY(${kinds}::text[])
        AND coalesce("params"->>'fileHost', ${host}) = ${host}
      ORDER BY "id" LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING "id"`;
  if (claimed.length === 0) return null;
  return db.prisma.job.findUnique({ where: { id: claimed[0].id } });
}

/**
 * Puts running jobs back in the queue: those of `owner` (a server restarted under the same name
 * finds its own jobs orphaned), or every running job (`owner` undefined: an embedded database is
 * open in one process only, so whatever ran before belongs to no one).
 */
export async function requeueRunningJobs(db: Database, { owner }: { owner?: string }): Promise<number> {
  return db.prisma.job.updateMany({
    where: { state: "running", ...(owner === undefined ? {} : { leaseOwner: owner }) },
    data: { state: "queued", leaseOwner: null, leaseExpiresAt: null },
  }).then((result) => result.count);
}

/** The progress a runner writes; also renews its lease. */
export interface JobProgress {
  itemsDone: number;
  unitsDone: number;
}

/**
 * Renews the lease and writes progress. Null when the job is no longer this owner's (claimed by
 * another server after a stall, cancelled while its lease had expired, or deleted with its
 * collection); else whether someone asked to cancel it.
 */
export async function renewJobLease(
  db: Database,
  { jobId, owner, leaseMs, progress, runUnitsStart }: { jobId: bigint; owner: string; leaseMs: number; progress: JobProgress; runUnitsStart?: number },
): Promise<{ cancelRequested: boolean } | null> {
  const rows = await db.prisma.$queryRaw<{ cancel_requested: boolean }[]>`
    UPDATE "jobs" SET
      "lease_expires_at" = now() + ${leaseMs} * interval '1 millisecond', "heartbeat_at" = now(),
      "items_done" = ${progress.itemsDone}, "units_done" = ${progress.unitsDone},
      "run_units_start" = coalesce(${runUnitsStart ?? null}::integer, "run_units_start")
    WHERE "id" = ${jobId} AND "lease_owner" = ${owner} AND "state" = 'running'
    RETURNING "cancel_requested"`;
  return rows.length === 0 ? null : { cancelRequested: rows[0].cancel_requested };
}

/** Notes that a run is beginning these items (only the first attempt is kept). */
export async function markJobItemsAttempted(db: Database, { jobId, positions }: { jobId: bigint; positions: number[] }): Promise<void> {
  // The database's clock, like the documents' created_at it is compared with.
  await db.prisma.$executeRaw`
    UPDATE "job_items" SET "attempted_at" = now()
    WHERE "job_id" = ${jobId} AND "position" = ANY(${positions}::integer[]) AND "attempted_at" IS NULL`;
}

/**
 * Records how many units each item makes and, once every item has its count, the job's total.
 * False when `owner` no longer holds the job.
 */
export async function planJobItems(
  db: Database,
  { jobId, owner, units }: { jobId: bigint; owner: string; units: { position: number; units: number }[] },
): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    const owned = await tx.job.count({ where: { id: jobId, leaseOwner: owner, state: "running" } });
    if (owned === 0) return false;
    if (units.length > 0) {
      const values = units.map((item) => Prisma.sql`(${item.position}::integer, ${item.units}::integer)`);
      await tx.$executeRaw`
        UPDATE "job_items" AS i SET "units" = v."units"
        FROM (VALUES ${Prisma.join(values)}) AS v("position", "units")
        WHERE i."job_id" = ${jobId} AND i."position" = v."position"`;
    }
    await tx.$executeRaw`
      UPDATE "jobs" SET "units_total" = (SELECT sum("units") FROM "job_items" WHERE "job_id" = ${jobId})
      WHERE "id" = ${jobId} AND NOT EXISTS (SELECT 1 FROM "job_items" WHERE "job_id" = ${jobId} AND "units" IS NULL)`;
    return true;
  });
}

/**
 * Records an item's result, drops its input, and writes the job's progress, in one transaction
 * and only while `owner` holds the job. Null when it no longer does (nothing is written).
 */
export async function completeJobItem(
  db: Database,
  {
    jobId,
    owner,
    leaseMs,
    position,
    result,
    units,
    progress,
  }: { jobId: bigint; owner: string; leaseMs: number; position: number; result: Prisma.InputJsonObject; units?: number; progress: JobProgress },
): Promise<{ cancelRequested: boolean } | null> {
  return db.prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ cancel_requested: boolean }[]>`
      UPDATE "jobs" SET
        "lease_expires_at" = now() + ${leaseMs} * interval '1 millisecond', "heartbeat_at" = now(),
        "items_done" = ${progress.itemsDone}, "units_done" = ${progress.unitsDone}
      WHERE "id" = ${jobId} AND "lease_owner" = ${owner} AND "state" = 'running'
      RETURNING "cancel_requested"`;
    if (rows.length === 0) return null;
    await tx.jobItem.update({
      where: { jobId_position: { jobId, position } },
      data: { result, input: Prisma.DbNull, ...(units === undefined ? {} : { units }) },
    });
    return { cancelRequested: rows[0].cancel_requested };
  });
}

/**
 * Ends a job this owner holds: done, failed (with its error) or cancelled. Items still pending
 * get `pendingResult` and lose their input. False when the owner no longer holds it.
 */
export async function finishJob(
  db: Database,
  {
    jobId,
    owner,
    state,
    error,
    progress,
    pendingResult,
  }: { jobId: bigint; owner: string; state: "done" | "failed" | "cancelled"; error?: Prisma.InputJsonObject; progress: JobProgress; pendingResult?: Prisma.InputJsonObject },
): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    const finished = await tx.$executeRaw`
      UPDATE "jobs" SET
        "state" = ${state}, "error" = ${error === undefined ? null : JSON.stringify(error)}::jsonb,
        "items_done" = ${progress.itemsDone}, "units_done" = ${progress.unitsDone},
        "lease_owner" = NULL, "lease_expires_at" = NULL, "finished_at" = now()
      WHERE "id" = ${jobId} AND "lease_owner" = ${owner} AND "state" = 'running'`;
    if (finished === 0) return false;
    if (pendingResult) await settlePendingItems(tx, jobId, pendingResult);
    return true;
  });
}

/** Hands a job back to the queue (its runner is stopping): the next runner resumes it at once. */
export async function releaseJob(db: Database, { jobId, owner, progress }: { jobId: bigint; owner: string; progress: JobProgress }): Promise<void> {
  await db.prisma.job.updateMany({
    where: { id: jobId, leaseOwner: owner, state: "running" },
    data: { state: "queued", leaseOwner: null, leaseExpiresAt: null, itemsDone: progress.itemsDone, unitsDone: progress.unitsDone },
  });
}

/**
 * Cancels a job: at once when no runner holds it (queued, or its lease has expired), marking its
 * pending items with `pendingResult`; else by asking its runner, which stops between items.
 * Returns what happened; "finished" when the job had already ended.
 */
export async function cancelJob(
  db: Database,
  { jobId, pendingResult }: { jobId: bigint; pendingResult: Prisma.InputJsonObject },
): Promise<"cancelled" | "requested" | "finished"> {
  return db.prisma.$transaction(async (tx) => {
    const now = await tx.$executeRaw`
      UPDATE "jobs" SET "state" = 'cancelled', "cancel_requested" = true, "finished_at" = now(), "lease_owner" = NULL, "lease_expires_at" = NULL
      WHERE "id" = ${jobId} AND ("state" = 'queued' OR ("state" = 'running' AND "lease_expires_at" < now()))`;
    if (now > 0) {
      await settlePendingItems(tx, jobId, pendingResult);
      return "cancelled";
    }
    const asked = await tx.job.updateMany({ where: { id: jobId, state: "running" }, data: { cancelRequested: true } });
    return asked.count > 0 ? "requested" : "finished";
  });
}

async function settlePendingItems(tx: Prisma.TransactionClient, jobId: bigint, result: Prisma.InputJsonObject): Promise<void> {
  await tx.jobItem.updateMany({ where: { jobId, result: { equals: Prisma.DbNull } }, data: { result, input: Prisma.DbNull } });
}

/**
 * Puts a failed job back in the queue, its items left unprocessed by the failure (`skipped`) pending
 * again: a kind that can go on from where it stopped (an import) resumes. False unless it had failed.
 */
export async function requeueFailedJob(db: Database, { jobId }: { jobId: bigint }): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    const requeued = await tx.job.updateMany({
      where: { id: jobId, state: "failed" },
      data: { state: "queued", error: Prisma.DbNull, finishedAt: null, cancelRequested: false },
    });
    if (requeued.count === 0) return false;
    await tx.jobItem.updateMany({ where: { jobId, result: { path: ["status"], equals: "skipped" } }, data: { result: Prisma.DbNull } });
    return true;
  });
}

/** Replaces the result of one of a job's items. */
export async function setJobItemResult(db: Database, { jobId, position, result }: { jobId: bigint; position: number; result: Prisma.InputJsonObject }): Promise<void> {
  await db.prisma.jobItem.update({ where: { jobId_position: { jobId, position } }, data: { result } });
}
