"use client";

import { useCallback, useRef, useState } from "react";
import type { CollectionLimits } from "./limits";
import type { UnreadableFile } from "./readUploadFiles";
import { sendBatch, type FileOutcome } from "./sendBatch";
import { isRejected, planBatches, planDocument, type PlannedDocument, type UploadSource } from "./uploadPlan";

export type { FileOutcome };

export interface FileResult {
  name: string;
  outcome: FileOutcome;
}

export interface UploadProgress {
  running: boolean;
  cancelling: boolean;
  /** Documents that go to the server (skipped files not counted). */
  total: number;
  /** Documents the server has answered for, successfully or not. */
  done: number;
  /** Names of the documents in the request being processed. */
  current: string[];
  /** Seconds the server asked to wait before sending more (rate limit); 0 when not waiting. */
  waitSeconds: number;
  results: FileResult[];
}

const idle: UploadProgress = { running: false, cancelling: false, total: 0, done: 0, current: [], waitSeconds: 0, results: [] };

/**
 * Sends documents to a collection in small batches, one request at a time, tracking a result per
 * file (see sendBatch for retries and refusals). `cancel()` lets the request in flight finish (it
 * is one transaction on the server) and sends nothing after it; a refused key stops the upload.
 */
export function useDocumentUpload({
  collectionId,
  writeKey,
  chunking,
  limits,
  onFinished,
}: {
  collectionId: string;
  writeKey: string;
  chunking: { size: number; overlap: number };
  limits: CollectionLimits;
  onFinished: () => void;
}) {
  const [progress, setProgress] = useState<UploadProgress>(idle);
  const cancelRequested = useRef(false);

  const upload = useCallback(
    async (sources: (UploadSource | UnreadableFile)[]) => {
      const planned = sources.map((source, index) => ("reason" in source ? { index, name: source.name, reason: source.reason } : planDocument(source, index, limits)));
      const results: FileResult[] = planned.map((entry) =>
        isRejected(entry) ? { name: entry.name, outcome: { status: "skipped", message: entry.reason } } : { name: entry.name, outcome: { status: "waiting" } },
      );
      const accepted = planned.filter((entry): entry is PlannedDocument => !isRejected(entry));
      const batches = planBatches(accepted, { chunking, limits });
      let done = 0;
      const publish = (update: Partial<UploadProgress> = {}) =>
        setProgress((previous) => ({ ...previous, total: accepted.length, done, results: [...results], ...update }));

      cancelRequested.current = false;
      publish({ running: true, cancelling: false, current: [] });
      let stopReason: FileOutcome | null = null;
      for (const batch of batches) {
        if (stopReason === null && cancelRequested.current) stopReason = { status: "cancelled" };
        if (stopReason !== null) {
          for (const document of batch) results[document.index] = { name: document.name, outcome: stopReason };
          continue;
        }
        for (const document of batch) results[document.index] = { name: document.name, outcome: { status: "sending" } };
        publish({ current: batch.map((document) => document.name) });
        const outcome = await sendBatch(batch, {
          collectionId,
          writeKey,
          isCancelled: () => cancelRequested.current,
          onWait: (seconds) => publish({ waitSeconds: seconds }),
        });
        for (const [i, document] of batch.entries()) results[document.index] = { name: document.name, outcome: outcome.outcomes[i] };
        done += outcome.outcomes.filter((result) => result.status !== "cancelled").length;
        if (outcome.fatal) stopReason = { status: "failed", message: `Not sent: ${outcome.fatal}` };
        publish();
      }
      publish({ running: false, cancelling: false, current: [], waitSeconds: 0 });
      onFinished();
    },
    [collectionId, writeKey, chunking, limits, onFinished],
  );

  const cancel = useCallback(() => {
    cancelRequested.current = true;
    setProgress((previous) => (previous.running ? { ...previous, cancelling: true } : previous));
  }, []);

  const clear = useCallback(() => setProgress(idle), []);

  return { progress, upload, cancel, clear };
}
