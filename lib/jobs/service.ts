import { AppError } from "../api/errors";
import { findReadable, findWritable } from "../collections/service";
import type { CollectionRow } from "../db/collection-queries";
import type { Database } from "../db/connection";
import { cancelJob, getJobByPublicId, listJobItems, listJobs, type JobItemRow, type JobRow } from "../db/job-queries";
import { isWellFormedSlug } from "../keys";
import { jobKinds } from "./registry";
import { jobRunnerOf } from "./runner";
import type { JobState, JsonObject } from "./types";

/**
 * A collection's background jobs as the API shows them: read with a key that reads the
 * collection, cancelled with its write key.
 */

export interface JobCount {
  done: number;
  /** Null while the job has not yet counted its units (chunks). */
  total: number | null;
}

/** One item's outcome: `pending` until processed; then what its kind recorded (see lib/jobs/documents/). */
export type JobItemResult = { index: number; label?: string; status: string } & JsonObject;

export interface JobInfo {
  id: string;
  kind: string;
  /** The job's own address: GET for progress, DELETE to cancel. */
  url: string;
  state: JobState;
  /** Someone asked to cancel it; it stops after the item under way. */
  cancelRequested: boolean;
  /**
   * `<items>` and `<units>` done and in all (documents and chunks for an upload), the units per
   * second of the current run (`<units>PerSecond`, null until measurable) and the seconds it
   * should still take at that rate (`etaSeconds`, null when unknown or finished).
   */
  progress: Record<string, JobCount | number | null>;
  /** Why it failed; `details` where the error has them (an import's `row` and `column`, `storedThroughRow`). */
  error: { code: string; message: string; details?: JsonObject } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export { keptFinishedJobs } from "../db/job-queries";

/** How long a cancel waits for the job's runner to stop before answering 202 (still stopping). */
const cancelWaitMs = 10_000;

export function jobUrl(collectionPublicId: string, jobPublicId: string): string {
  return `/api/collections/${encodeURIComponent(collectionPublicId)}/jobs/${jobPublicId}`;
}

export function toJobInfo(collectionPublicId: string, job: JobRow): JobInfo {
  const names = jobKinds[job.kind]?.names ?? { items: "items", units: "units" };
  const measuredUntil = job.finishedAt ?? job.heartbeatAt;
  const seconds = job.runStartedAt && measuredUntil ? (measuredUntil.getTime() - job.runStartedAt.getTime()) / 1000 : 0;
  const unitsThisRun = job.unitsDone - job.runUnitsStart;
  const rate = seconds >= 1 && unitsThisRun > 0 ? unitsThisRun / seconds : null;
  const eta = job.state === "running" && rate !== null && job.unitsTotal !== null ? Math.ceil(Math.max(0, job.unitsTotal - job.unitsDone) / rate) : null;
  return {
    id: job.publicId,
    kind: job.kind,
    url: jobUrl(collectionPublicId, job.publicId),
    state: job.state as JobState,
    cancelRequested: job.cancelRequested,
    progress: {
      [names.items]: { done: job.itemsDone, total: job.itemsTotal },
      [names.units]: { done: job.unitsDone, total: job.unitsTotal },
      [`${names.units}PerSecond`]: rate === null ? null : Math.round(rate * 10) / 10,
      etaSeconds: eta,
    },
    error: (job.error as JobInfo["error"]) ?? null,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

function toItemResult(item: JobItemRow): JobItemResult {
  return { index: item.position, ...(item.label ? { label: item.label } : {}), status: "pending", ...(item.result as JsonObject | null) } as JobItemResult;
}

/** A job with the outcome of each of its items (under its kind's name for them, e.g. `documents`). */
export async function getCollectionJob(db: Database, { id, key, jobId }: { id: string; key: string | null; jobId: string }): Promise<JobInfo & Record<string, unknown>> {
  const row = await findReadable(db, id, key);
  return withItems(db, row, await findJob(db, row, jobId));
}

/** The collection's unfinished jobs and its most recent finished ones, newest first. */
export async function listCollectionJobs(db: Database, { id, key }: { id: string; key: string | null }): Promise<JobInfo[]> {
  const row = await findReadable(db, id, key);
  const jobs = await listJobs(db, { collectionId: row.id, limit: 100 });
  return jobs.map((job) => toJobInfo(row.publicId, job));
}

/**
 * Cancels a job. A queued job (or one whose server died) is cancelled at once; a running one is
 * asked to stop after the item under way, and this waits up to 10 s for it. Items already
 * processed keep their results (documents stored stay stored); `stopped` is false when the job
 * was still stopping at the end of the wait. Cancelling a cancelled job changes nothing; a job
 * that has already finished or failed cannot be cancelled (409).
 */
export async function cancelCollectionJob(
  db: Database,
  { id, key, jobId }: { id: string; key: string | null; jobId: string },
): Promise<{ job: JobInfo & Record<string, unknown>; stopped: boolean }> {
  const row = await findWritable(db, id, key);
  let job = await findJob(db, row, jobId);
  const outcome = await cancelJob(db, { jobId: job.id, pendingResult: { status: "cancelled" } });
  if (outcome === "requested") {
    jobRunnerOf(db)?.cancel(job.id);
    for (const started = Date.now(); Date.now() - started < cancelWaitMs; ) {
      job = await findJob(db, row, jobId);
      if (job.state !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  job = await findJob(db, row, jobId);
  if (outcome === "finished" && job.state !== "cancelled") {
    throw new AppError("conflict:job", `Job ${job.publicId} has already ${job.state === "done" ? "finished" : "failed"}: there is nothing left to cancel.`);
  }
  return { job: await withItems(db, row, job), stopped: job.state !== "running" };
}

export async function withItems(db: Database, row: CollectionRow, job: JobRow): Promise<JobInfo & Record<string, unknown>> {
  const names = jobKinds[job.kind]?.names ?? { items: "items" };
  return { ...toJobInfo(row.publicId, job), [names.items]: (await listJobItems(db, { jobId: job.id })).map(toItemResult) };
}

export async function findJob(db: Database, row: CollectionRow, jobId: string): Promise<JobRow> {
  const job = isWellFormedSlug(jobId) ? await getJobByPublicId(db, { collectionId: row.id, publicId: jobId }) : null;
  if (!job) throw new AppError("not_found:job", `Collection ${row.publicId} has no job "${jobId.slice(0, 20)}".`);
  return job;
}

/** Whether the request asks to be answered before the work is done (RFC 7240 `Prefer: respond-async`). */
export function prefersRespondAsync(request: Request): boolean {
  const prefer = request.headers.get("prefer") ?? "";
  return prefer.split(",").some((preference) => preference.split(";")[0].trim().toLowerCase() === "respond-async");
}
