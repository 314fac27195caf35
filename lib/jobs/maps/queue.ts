import { createSlug } from "../../keys";
import type { Database } from "../../db/connection";
import { countMapRows } from "../../db/map-queries";
import { insertJob, listJobs, pruneFinishedJobs, type JobRow } from "../../db/job-queries";
import { inlineMapRows } from "../../maps/service";
import { mapJob, type MapJobParams } from "./kind";

/**
 * Queues a map job for the collection unless one that does as much is queued already (a queued
 * re-layout also places new rows; running jobs may have read the rows before the latest change).
 * Returns the job; the caller wakes the runner.
 */
export async function queueMapJob(db: Database, { collectionId, relayout }: { collectionId: bigint; relayout: boolean }): Promise<JobRow> {
  const unfinished = await listJobs(db, { collectionId, limit: 50, unfinished: true });
  const queued = unfinished.find((job) => job.kind === mapJob.kind && job.state === "queued" && (!relayout || (job.params as unknown as MapJobParams).relayout));
  if (queued) return queued;
  await pruneFinishedJobs(db, { collectionId });
  const params: MapJobParams = { relayout };
  return insertJob(db, { publicId: createSlug(), kind: mapJob.kind, collectionId, params: { ...params }, items: [{ label: null, input: {} }] });
}

/**
 * After the collection's rows changed: a map job when rows are off the map and the collection is
 * too big to map when read (inlineMapRows). Returns whether it queued one.
 */
export async function queueMapIfOutdated(db: Database, collectionId: bigint): Promise<boolean> {
  const { rows, placed } = await countMapRows(db, { collectionId });
  if (rows === placed || rows <= inlineMapRows) return false;
  await queueMapJob(db, { collectionId, relayout: false });
  return true;
}
