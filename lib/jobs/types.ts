import type { Database } from "../db/database";
import type { PendingJobItem } from "../db/job-queries";

/**
 * What a kind of background job is made of. The runner (runner.ts) claims jobs, holds their
 * lease, writes progress and ends them; a kind only works through its items.
 */

export type JobState = "queued" | "running" | "done" | "failed" | "cancelled";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type { PendingJobItem };

export interface JobKind {
  /** Stored with each job and the key of the registry, e.g. "documents". */
  kind: string;
  /** What the API calls the items and the units of work, e.g. documents and chunks. */
  names: { items: string; units: string };
  /**
   * Works through the job's pending items, completing each with its result. Called again after
   * a restart with what is left, so an item may have been begun (`attemptedAt`) by a run that
   * died. Returns when no item is left, or soon after `job.signal` aborts (cancel, shutdown, lease
   * lost). Throwing fails the job: items completed so far keep their results.
   */
  run(job: JobRun): Promise<void>;
  /**
   * Runs after a job of this kind ended (done, failed or cancelled) for its collection, e.g. to
   * queue the collection's map update; returns whether it queued a job, so the runner looks again.
   */
  followUp?(db: Database, collectionId: bigint): Promise<boolean>;
}

/** A job as its kind sees it while it runs. */
export interface JobRun {
  db: Database;
  id: bigint;
  publicId: string;
  collectionId: bigint | null;
  params: JsonObject;
  /** Aborted when the job is cancelled, the server stops, or another server has taken the job. */
  signal: AbortSignal;
  /** Up to `limit` items without a result, after `afterPosition` (-1 for the first), in order. */
  pendingItems(options: { afterPosition: number; limit: number }): Promise<PendingJobItem[]>;
  /** Records how many units items make; the job's total is known once every item's is. */
  plan(units: { position: number; units: number }[]): Promise<void>;
  /** Notes that these items are being begun, before any of their work is written. */
  begin(positions: number[]): Promise<void>;
  /** Records an item's result and its units of work, and counts it done. */
  complete(position: number, result: JsonObject, units: number): Promise<void>;
  /** Units of the items under way done so far (e.g. chunks embedded): shown until they complete. */
  reportPartial(units: number): void;
}
