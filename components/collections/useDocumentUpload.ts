"use client";

import { useCallback, useRef, useState } from "react";
import { fetchJob, fetchJobs, type JobCount, type UploadJob } from "./collectionsApi";
import { followJob, isFinished, jobOutcomes } from "./followJob";
import type { CollectionLimits } from "./limits";
import type { UnreadableFile } from "./readUploadFiles";
import { sendBatch, type FileOutcome } from "./sendBatch";
import { isRejected, planDocument, planJobs, type PlannedDocument, type UploadSource } from "./uploadPlan";

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
  /** Documents the server has processed, successfully or not. */
  done: number;
  /** Share of the upload done, 0–1: by chunks within the job under way, by documents across jobs. */
  fraction: number;
  /** The job under way: its chunks, speed and time left, as the server measures them. */
  job: { chunks: JobCount; chunksPerSecond: number | null; etaSeconds: number | null } | null;
  /** Seconds the server asked to wait before sending more (rate limit); 0 when not waiting. */
  waitSeconds: number;
  /** Why the upload stopped before its end, when a job failed. */
  error: string | null;
  results: FileResult[];
}

const idle: UploadProgress = { running: false, cancelling: false, total: 0, done: 0, fraction: 0, job: null, waitSeconds: 0, error: null, results: [] };

/** What to follow: documents to send as a new job, or a job already on the server (after a reload). */
type Step = { batch: PlannedDocument[] } | { job: UploadJob; offset: number };

/**
 * Uploads documents as background jobs on the server (one job unless the upload is over a job's
 * limits) and follows them, tracking a result per file. The server stores each document whole
 * or not at all; `cancel()` cancels the job under way (what it stored stays) and sends nothing
 * after it. `resume()` follows the collection's unfinished jobs, so a reload loses nothing.
 */
export function useDocumentUpload({
  collectionId,
  writeKey,
  limits,
  onFinished,
}: {
  collectionId: string;
  writeKey: string;
  limits: CollectionLimits;
  onFinished: () => void;
}) {
  const [progress, setProgress] = useState<UploadProgress>(idle);
  const cancelRequested = useRef(false);
  const busy = useRef(false);

  const run = useCallback(
    async (steps: Step[], results: FileResult[], total: number) => {
      busy.current = true;
      cancelRequested.current = false;
      let done = 0;
      let error: string | null = null;
      const publish = (update: Partial<UploadProgress> = {}) =>
        setProgress((previous) => ({ ...previous, total, done, fraction: total === 0 ? 1 : done / total, error, results: [...results], ...update }));
      publish({ running: true, cancelling: false, job: null, waitSeconds: 0 });

      let stopReason: FileOutcome | null = null;
      for (const step of steps) {
        let job: UploadJob | undefined;
        let indices: number[];
        if ("batch" in step) {
          if (stopReason === null && cancelRequested.current) stopReason = { status: "cancelled" };
          if (stopReason !== null) {
            for (const document of step.batch) results[document.index] = { name: document.name, outcome: stopReason };
            continue;
          }
          const sent = await sendBatch(step.batch, {
            collectionId,
            writeKey,
            isCancelled: () => cancelRequested.current,
            onWait: (seconds) => publish({ waitSeconds: seconds }),
          });
          for (const [document, outcome] of sent.refused) results[document.index] = { name: document.name, outcome };
          done += sent.refused.size;
          if (sent.fatal) stopReason = { status: "failed", message: `Not sent: ${sent.fatal}` };
          job = sent.job;
          indices = sent.sent.map((document) => document.index);
        } else {
          job = step.job;
          indices = (step.job.documents ?? []).map((_, i) => step.offset + i);
        }
        if (!job) continue;

        const before = done;
        const show = (current: UploadJob) => {
          jobOutcomes(current).forEach((outcome, i) => (results[indices[i]] = { name: results[indices[i]].name, outcome }));
          const { documents, chunks } = current.progress;
          const within = chunks.total ? chunks.done / chunks.total : documents.done / Math.max(1, documents.total ?? 1);
          done = before + documents.done;
          publish({ job: current.progress, fraction: total === 0 ? 1 : (before + within * indices.length) / total });
        };
        show(job);
        try {
          const ended = await followJob(job.id, { collectionId, writeKey, onUpdate: show, shouldCancel: () => cancelRequested.current });
          done = before + ended.progress.documents.done; // cancelled and skipped documents were not processed
          if (ended.state === "failed") {
            error = ended.error?.message ?? "The upload stopped on the server.";
            stopReason = { status: "failed", message: "Not sent: an earlier part of the upload failed." };
          }
          if (ended.state === "cancelled") stopReason = { status: "cancelled" };
        } catch (failure) {
          error = (failure as Error).message;
          stopReason = { status: "failed", message: `Not sent: ${error}` };
        }
        publish({ job: null });
      }
      busy.current = false;
      publish({ running: false, cancelling: false, job: null, waitSeconds: 0, fraction: total === 0 ? 1 : done / total });
      onFinished();
    },
    [collectionId, writeKey, onFinished],
  );

  const upload = useCallback(
    async (sources: (UploadSource | UnreadableFile)[]) => {
      const planned = sources.map((source, index) => ("reason" in source ? { index, name: source.name, reason: source.reason } : planDocument(source, index, limits)));
      const results: FileResult[] = planned.map((entry) =>
        isRejected(entry) ? { name: entry.name, outcome: { status: "skipped", message: entry.reason } } : { name: entry.name, outcome: { status: "waiting" } },
      );
      const accepted = planned.filter((entry): entry is PlannedDocument => !isRejected(entry));
      await run(planJobs(accepted, { limits }).map((batch) => ({ batch })), results, accepted.length);
    },
    [limits, run],
  );

  /** Follows the collection's unfinished jobs, oldest first (started before a reload, or in another tab). */
  const resume = useCallback(async () => {
    if (busy.current) return;
    const unfinished = (await fetchJobs(collectionId, writeKey, "documents")).filter((job) => !isFinished(job)).reverse();
    if (unfinished.length === 0 || busy.current) return;
    const results: FileResult[] = [];
    const steps: Step[] = [];
    for (const listed of unfinished) {
      const job = await fetchJob(collectionId, writeKey, listed.id);
      steps.push({ job, offset: results.length });
      for (const document of job.documents ?? []) results.push({ name: document.label ?? `document ${results.length + 1}`, outcome: { status: "waiting" } });
    }
    await run(steps, results, results.length);
  }, [collectionId, writeKey, run]);

  const cancel = useCallback(() => {
    cancelRequested.current = true;
    setProgress((previous) => (previous.running ? { ...previous, cancelling: true } : previous));
  }, []);

  const clear = useCallback(() => setProgress(idle), []);

  return { progress, upload, resume, cancel, clear };
}
