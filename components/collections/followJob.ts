import { ApiError } from "@/components/notebook/client";
import { cancelJob, fetchJob, type JobDocument, type UploadJob } from "./collectionsApi";
import type { FileOutcome } from "./sendBatch";

/** Following an upload job from the page: what became of each document, and polling until it ends. */

export function isFinished(job: UploadJob): boolean {
  return job.state !== "queued" && job.state !== "running";
}

/** What became of each document of the job so far, in job order; the first pending one of a running job is the one under way. */
export function jobOutcomes(job: UploadJob): FileOutcome[] {
  const documents = job.documents ?? [];
  const underWay = job.state === "running" ? documents.findIndex((document) => document.status === "pending") : -1;
  return documents.map((document, i) => (i === underWay ? { status: "sending" } : outcomeOf(document)));
}

function outcomeOf(document: JobDocument): FileOutcome {
  switch (document.status) {
    case "pending":
      return { status: "waiting" };
    case "added":
      return { status: "added", chunks: document.chunks ?? 0, ...(document.truncated ? { truncated: document.truncated } : {}) };
    case "duplicate":
      return { status: "duplicate" };
    case "failed":
      return { status: "failed", message: document.error?.message ?? "Not stored." };
    case "cancelled":
      return { status: "cancelled" };
    case "skipped":
      return { status: "skipped", message: "not stored: the upload stopped before it" };
  }
}

export interface FollowTarget {
  collectionId: string;
  writeKey: string;
  /** Every reply, as it comes. */
  onUpdate: (job: UploadJob) => void;
  /** Asked before each poll: true cancels the job (once) and follows it until it has stopped. */
  shouldCancel: () => boolean;
  /** Between polls, in ms (default 500). */
  pollMs?: number;
}

/**
 * Polls a job until it has finished and returns it as it ended. A failed poll (the server
 * restarting, a network blip) is tried again after a pause; a refused key or a job that no longer
 * exists (its collection deleted) ends the following with that error.
 */
export async function followJob(jobId: string, { collectionId, writeKey, onUpdate, shouldCancel, pollMs = 500 }: FollowTarget): Promise<UploadJob> {
  let cancelSent = false;
  for (;;) {
    try {
      let job = await fetchJob(collectionId, writeKey, jobId);
      if (!isFinished(job) && !cancelSent && shouldCancel()) {
        cancelSent = true;
        job = await cancelJob(collectionId, writeKey, jobId);
      }
      onUpdate(job);
      if (isFinished(job)) return job;
    } catch (error) {
      if (error instanceof ApiError && [401, 403, 404].includes(error.status)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
