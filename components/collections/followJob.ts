import { ApiError } from "@/components/notebook/client";
import { cancelJob, fetchJob, type CollectionJob, type JobDocument, type UploadJob } from "./collectionsApi";
import type { FileOutcome } from "./sendBatch";

/** Following a job from the page (an upload's or an import's): what became of each document, and polling until it ends. */

export function isFinished(job: Pick<CollectionJob, "state">): boolean {
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

export interface FollowTarget<J extends CollectionJob = UploadJob> {
  collectionId: string;
  writeKey: string;
  /** Every reply, as it comes. */
  onUpdate: (job: J) => void;
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
export async function followJob<J extends CollectionJob = UploadJob>(
  jobId: string,
  { collectionId, writeKey, onUpdate, shouldCancel, pollMs = 500 }: FollowTarget<J>,
): Promise<J> {
  let cancelSent = false;
  for (;;) {
    try {
      let job = await fetchJob<J>(collectionId, writeKey, jobId);
      if (!isFinished(job) && !cancelSent && shouldCancel()) {
        cancelSent = true;
        job = await cancelJob<J>(collectionId, writeKey, jobId);
      }
      onUpdate(job);
      if (isFinished(job)) return job;
    } catch (error) {
      if (error instanceof ApiError && [401, 403, 404].includes(error.status)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
