import { ApiError } from "@/components/notebook/client";
import { addDocuments, type AddedDocument } from "./collectionsApi";
import type { PlannedDocument } from "./uploadPlan";

export type FileOutcome =
  | { status: "waiting" }
  | { status: "sending" }
  | { status: "added"; chunks: number }
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

/**
 * Sends one batch and says what became of each document. A batch the server refuses as a whole
 * (400/413) is resent one document at a time, so the error lands on the file that caused it; a
 * refused key is `fatal` (nothing after it can succeed); "too many requests" (429) is waited out
 * as the server asks, then the same request is sent again.
 */
export async function sendBatch(batch: PlannedDocument[], target: BatchTarget): Promise<{ outcomes: FileOutcome[]; fatal?: string }> {
  try {
    const added = await addRespectingRateLimit(batch, target);
    return { outcomes: added.map((document) => (document.duplicate ? { status: "duplicate" } : { status: "added", chunks: document.chunks })) };
  } catch (error) {
    if (error instanceof UploadCancelled) return { outcomes: batch.map(() => ({ status: "cancelled" })) };
    // With one document per request, the server's "documents[0]." only obscures which file it means.
    const message = batch.length === 1 ? (error as Error).message.replace(/^documents\[0\]\./, "") : (error as Error).message;
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      return { outcomes: batch.map(() => ({ status: "failed", message })), fatal: message };
    }
    if (batch.length > 1 && error instanceof ApiError && (error.status === 400 || error.status === 413)) {
      const outcomes: FileOutcome[] = [];
      for (const document of batch) {
        const single = await sendBatch([document], target);
        outcomes.push(...single.outcomes);
        if (single.fatal) return { outcomes: [...outcomes, ...batch.slice(outcomes.length).map(() => ({ status: "failed" as const, message }))], fatal: single.fatal };
      }
      return { outcomes };
    }
    return { outcomes: batch.map(() => ({ status: "failed", message })) };
  }
}

class UploadCancelled extends Error {}

async function addRespectingRateLimit(batch: PlannedDocument[], target: BatchTarget): Promise<AddedDocument[]> {
  for (;;) {
    try {
      return await addDocuments(target.collectionId, target.writeKey, batch.map(({ text, metadata }) => ({ text, metadata })));
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
