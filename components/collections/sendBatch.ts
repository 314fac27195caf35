import { ApiError } from "@/components/notebook/client";
import { startUploadJob, type UploadJob } from "./collectionsApi";
import type { PlannedDocument } from "./uploadPlan";

export type FileOutcome =
  | { status: "waiting" }
  | { status: "sending" }
  | { status: "added"; chunks: number; truncated?: { chunks: number; message: string } }
  | { status: "duplicate" }
  | { status: "failed"; message: string }
  | { status: "skipped"; message: string }
  | { status: "cancelled" };

export interface BatchTarget {
  collectionId: string;
  writeKey: string;
  /** Asked while waiting out a rate limit: true stops the wait and reports the batch cancelled. */
  isCancelled: () => boolean;
  /** Told how long the server asked to wait (0 when the wait is over). */
  onWait: (seconds: number) => void;
}

/** A started job with the documents it holds (in its order), and the documents the server would not take, with why. */
export interface SentBatch {
  job?: UploadJob;
  sent: PlannedDocument[];
  refused: Map<PlannedDocument, FileOutcome>;
  /** A refused key: nothing after this can succeed. */
  fatal?: string;
}

/**
 * Starts an upload job for one batch. A document the server refuses (400 naming
 * `documents[i]`, e.g. a control character) is set aside with the server's message and the job is
 * started without it; a refused key is `fatal`; "too many requests" (429) is waited out as the
 * server asks, then the same request is sent again.
 */
export async function sendBatch(batch: PlannedDocument[], target: BatchTarget): Promise<SentBatch> {
  const refused = new Map<PlannedDocument, FileOutcome>();
  let sent = batch;
  while (sent.length > 0) {
    try {
      return { job: await startRespectingRateLimit(sent, target), sent, refused };
    } catch (error) {
      if (error instanceof UploadCancelled) return { sent: [], refused: new Map(batch.map((document) => [document, { status: "cancelled" }])) };
      const message = (error as Error).message;
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        return { sent: [], refused: new Map(batch.map((document) => [document, { status: "failed", message }])), fatal: message };
      }
      const index = Number(/^documents\[(\d+)\]/.exec(message)?.[1] ?? NaN);
      if (!(error instanceof ApiError && error.status === 400 && index < sent.length)) {
        for (const document of sent) refused.set(document, { status: "failed", message });
        return { sent: [], refused };
      }
      // "documents[3].text must not…" is about that file: say it there, without the index.
      refused.set(sent[index], { status: "failed", message: message.replace(/^documents\[\d+\]\./, "") });
      sent = sent.filter((_, i) => i !== index);
    }
  }
  return { sent, refused };
}

class UploadCancelled extends Error {}

async function startRespectingRateLimit(batch: PlannedDocument[], target: BatchTarget): Promise<UploadJob> {
  for (;;) {
    try {
      return await startUploadJob(target.collectionId, target.writeKey, batch.map(({ text, metadata }) => ({ text, metadata })));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 429)) throw error;
      // The reply's Retry-After is also in its message ("try again in 3 s"); callApi keeps only the message.
      const seconds = Number(/in (\d+) s\b/.exec(error.message)?.[1] ?? 5);
      target.onWait(seconds);
      for (let waited = 0; waited < seconds * 4; waited++) {
        if (target.isCancelled()) throw new UploadCancelled();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      target.onWait(0);
    }
  }
}
